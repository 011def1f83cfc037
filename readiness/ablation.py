"""The weakest link: which single change to the team model cuts the median loss most.

Each candidate change removes one weakness the model declares — a role without a backup, a
source whose credentials are lost or held by one person, a role with no on-call rotation, a
person who may be away — and the simulation is played again on the same seeds. The changes
are listed with their effect, best first (ties broken by the median time to contain).

A night like the article's fails for several reasons at once: fix any one and the loss still
reaches its cap, so every single change "saves $0" and the list alone tells a manager nothing
they can act on. :func:`smallest_set` then answers the next question — which few changes
*together* lower the median loss — by adding, one at a time, the change that helps most on
top of those already made (a greedy search over the same seeds).
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
    base_loss, base_contain = _medians(baseline[:runs], meter)
    rows = [
        _effect(change, play(replace(spec, team=change.team), runs), meter, base_loss, base_contain)
        for change in changes(spec.team, roles_in_play)
    ]
    return sorted(rows, key=_best_first)


def smallest_set(
    spec: Spec,
    baseline: list[RunResult],
    meter: str,
    runs: int,
    play: Callable[[Spec, int], list[RunResult]],
    roles_in_play: list[str],
    singles: list[dict[str, Any]],
    *,
    most: int = 4,
    on_step: Callable[[int], None] | None = None,
) -> dict[str, Any] | None:
    """The fewest changes found that together lower the median loss, when no single one does.

    ``singles`` are :func:`weakest_links`' rows for ``spec``; if the best of them already saves
    something there is no set to find (None). Otherwise the best single change (by time to
    contain, then id) is made, every change still open on the changed team is tried on top of
    it, and so on until the median loss drops or ``most`` changes are made. The answer says
    whether it dropped (``found``), so "even these four together save nothing" is reported as
    such. ``on_step(n)`` is told before each round how many variants it will play.
    """
    if not singles or singles[0]["saved"] > 0:
        return None
    base_loss, base_contain = _medians(baseline[:runs], meter)
    by_id = {c.id: c for c in changes(spec.team, roles_in_play)}
    chosen = [by_id[singles[0]["change"]]]
    best = singles[0]
    while best["saved"] <= 0 and len(chosen) < most:
        team = chosen[-1].team
        made = {c.id for c in chosen}
        options = [c for c in changes(team, roles_in_play) if c.id not in made]
        if not options:
            break
        if on_step:
            on_step(len(options))
        rows = [
            (_effect(c, play(replace(spec, team=c.team), runs), meter, base_loss, base_contain), c)
            for c in options
        ]
        best, change = min(rows, key=lambda rc: _best_first(rc[0]))
        chosen.append(change)
    return {
        "meter": meter,
        "found": best["saved"] > 0,
        "changes": [c.id for c in chosen],
        "titles": [c.title for c in chosen],
        "median_loss": best["median_loss"],
        "saved": best["saved"],
        "median_contain": best["median_contain"],
        "contain_sooner_by": best["contain_sooner_by"],
        "readiness": best["readiness"],
    }


def _medians(results: list[RunResult], meter: str) -> tuple[float, float]:
    """The median loss on ``meter`` and the median time to contain, of the same runs."""
    return quantile([r.meters.get(meter, 0.0) for r in results], 0.5), _contain(results)


def _effect(
    change: Change, results: list[RunResult], meter: str, base_loss: float, base_contain: float
) -> dict[str, Any]:
    """One change's row: the median loss it leaves, what it saves, and time to contain."""
    loss, contain = _medians(results, meter)
    return {
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


def _best_first(row: dict[str, Any]) -> tuple[float, float, str]:
    """Most saved first; then the sooner containment; then the id, so the order is stable."""
    contain = row["median_contain"]
    return (-row["saved"], contain if contain is not None else math.inf, row["change"])


def _contain(results: list[RunResult]) -> float:
    return quantile(
        [math.inf if r.times["contain"] is None else float(r.times["contain"]) for r in results],
        0.5,
    )
