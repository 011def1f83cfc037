"""The weakest link: which single change to the team model cuts the median loss most.

Each candidate change removes one weakness the model declares — a role without a backup, a
source whose credentials are lost or held by one person, a role with no on-call rotation, a
person who may be away — and the simulation is played again on the same seeds. The changes
are listed with their effect, best first (ties broken by the median time to contain).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from drillbook.readiness.runner import RunResult, Spec
from drillbook.readiness.stats import quantile
from drillbook.readiness.team import Credentials, Person, Rotation, TeamModel

PAGED_ROLES = ("on_call", "incident_commander", "technical_lead")


@dataclass(frozen=True)
class Change:
    id: str
    title: str
    team: TeamModel


def changes(team: TeamModel, roles_in_play: list[str]) -> list[Change]:
    """Every single change that removes one weakness of ``team``."""
    out: list[Change] = []
    for role in roles_in_play:
        people = team.roles.get(role, [])
        if len(people) < 2 or all(team.person(p).absent for p in people):
            backup = Person(id=f"backup-{role.replace('_', '-')}", name=f"A backup {role}")
            out.append(
                Change(
                    f"backup:{role}",
                    f"a backup for {role}",
                    team.model_copy(
                        update={
                            "people": [*team.people, backup],
                            "roles": {**team.roles, role: [*people, backup.id]},
                        }
                    ),
                )
            )
    for source, cred in team.access.items():
        if cred.credentials != "known":
            access = {**team.access, source: Credentials(credentials="known")}
            out.append(
                Change(
                    f"access:{source}",
                    f"access to {source}",
                    team.model_copy(update={"access": access}),
                )
            )
    rotated = {r.role for r in team.on_call}
    for role in PAGED_ROLES:
        if role in roles_in_play and role not in rotated and team.roles.get(role):
            rot = Rotation(role=role, people=team.roles[role])
            out.append(
                Change(
                    f"on_call:{role}",
                    f"an on-call rotation for {role}",
                    team.model_copy(update={"on_call": [*team.on_call, rot]}),
                )
            )
    for p in team.people:
        if p.absent:
            people = [
                q.model_copy(update={"absent": []}) if q.id == p.id else q for q in team.people
            ]
            out.append(
                Change(
                    f"present:{p.id}",
                    f"{p.name or p.id} present",
                    team.model_copy(update={"people": people}),
                )
            )
    return out


def weakest_links(
    spec: Spec,
    baseline: list[RunResult],
    meter: str,
    runs: int,
    play: Callable[[Spec, int], list[RunResult]],
    roles_in_play: list[str],
) -> list[dict[str, Any]]:
    """Each change's effect on the median of ``meter`` (and on time to contain), best first."""
    base = baseline[:runs]
    base_loss = quantile([r.meters.get(meter, 0.0) for r in base], 0.5)
    base_contain = _contain(base)
    rows = []
    for change in changes(spec.team, roles_in_play):
        results = play(replace(spec, team=change.team), runs)
        loss = quantile([r.meters.get(meter, 0.0) for r in results], 0.5)
        contain = _contain(results)
        rows.append(
            {
                "change": change.id,
                "title": change.title,
                "median_loss": round(loss, 2),
                "saved": round(base_loss - loss, 2),
                "median_contain": None if math.isinf(contain) else round(contain, 2),
                "contain_sooner_by": None
                if math.isinf(contain) or math.isinf(base_contain)
                else round(base_contain - contain, 2),
                "readiness": round(quantile([r.readiness for r in results], 0.5), 1),
            }
        )
    return sorted(
        rows,
        key=lambda r: (
            -r["saved"],
            r["median_contain"] if r["median_contain"] is not None else math.inf,
            r["change"],
        ),
    )


def _contain(results: list[RunResult]) -> float:
    return quantile(
        [math.inf if r.times["contain"] is None else float(r.times["contain"]) for r in results],
        0.5,
    )
