"""One played exercise, read back for reporting: journal, scenario, scorecard, people, date.

Reports and the register both start from a journal file. This module is the one place that
turns that file into what they need — the scenario it was played on, the response plan and
client profile it is scored against, and the Scorecard from :func:`scoring.score` — so the
report a facilitator reads and the figures the register keeps come from the same scoring.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from drillbook.formats.yamlsource import InputError, Problem
from drillbook.scenarios.loader import LoadedScenario
from drillbook.scenarios.model import Scenario
from drillbook.scoring.scorecard import Scorecard
from drillbook.simulator.events import Kind
from drillbook.simulator.journal import Event, JournalFile, read_journal


@dataclass(frozen=True)
class Exercise:
    """Everything a report or the register reads about one run."""

    journal: JournalFile
    scenario: Scenario
    scorecard: Scorecard
    sha256: str
    plan: Any = None  # the ResponsePlan scored against (owners of steps, their actions)
    client_name: str | None = None
    people: dict[str, str] = field(default_factory=dict)  # role → person
    # the scenario file differs from the one played (accepted with --accept-changed-scenario)
    scenario_changed: bool = False
    inputs: tuple[Path, ...] = ()  # scenario, plan and client files read: never overwritten

    @property
    def run_id(self) -> str | None:
        """The run's id from the journal header (None for journals older than run ids)."""
        return self.journal.run_id

    plan_digest: str = ""  # SHA-256 of the plan file scored against

    @property
    def plan_version(self) -> str:
        return str(getattr(self.plan, "version", "") or "")

    @property
    def played_under(self) -> str | None:
        """The plan version the run was played under, when it is not the one scored against
        (the plan file changed since play); None when they agree or the journal predates
        plan versions."""
        played = self.header.get("plan_digest")
        if not played or not self.plan_digest or played == self.plan_digest:
            return None
        return str(self.header.get("plan_version") or "unversioned")

    @property
    def header(self) -> Event:
        return self.journal.started

    @property
    def events(self) -> list[Event]:
        return self.journal.events

    @property
    def date(self) -> date:
        return exercise_date(self.journal)

    @property
    def practice(self) -> bool:
        return bool(self.header.get("practice"))

    @property
    def end(self) -> float:
        """Sim time of the end of play (or of the last event, for a run still open)."""
        ended = [e for e in self.events if e["type"] == Kind.RUN_ENDED]
        return float(ended[-1]["sim"] if ended else self.events[-1]["sim"])


def exercise_date(jf: JournalFile) -> date:
    """The exercise date: the wall date (UTC) of the journal's ``run_started``."""
    wall = str(jf.started.get("wall") or "")
    try:
        return date.fromisoformat(wall[:10])
    except ValueError:
        raise InputError(
            [
                Problem(
                    str(jf.path),
                    1,
                    1,
                    f"run_started has no wall date ('{wall}'); expected an ISO time like 2025-03-14T09:00:00Z",
                )
            ]
        ) from None


def people_of(events: list[Event]) -> dict[str, str]:
    """Who played which role: the roster, completed by names given in ``assign_role``.

    The roster a facilitator entered wins; a team that assigns "Priya" to technical_lead
    during play names a person the roster may not have.
    """
    header = events[0] if events else {}
    found: dict[str, str] = {}
    for e in events:
        if e["type"] == Kind.DECISION and e.get("action") == "assign_role":
            params = e.get("params") or {}
            if params.get("assign") and params.get("person"):
                found.setdefault(str(params["assign"]), str(params["person"]))
    roster = {str(k): str(v) for k, v in (header.get("roster") or {}).items() if v}
    return {**found, **roster}


def sha256_of(path: Path) -> str:
    """The digest of a file read again after it was checked: bounded and refused as any
    input is, since it may have been swapped meanwhile (a FIFO there was waited on for ever)."""
    from drillbook.formats.limits import read_bounded

    return hashlib.sha256(read_bounded(path)).hexdigest()


def plan_digest(path: Path | None) -> str:
    """The SHA-256 of the plan file scored against (None: the bundled plan), as a journal
    header's ``plan_digest`` is (:func:`simulator.planref.plan_ref`); "" if unreadable.

    Only the digest: ``plan_ref`` would also read the plan's ``id`` and ``version`` with the
    YAML parser, which the report does not use and which cost it PyYAML's import (~10 ms);
    the plan's YAML was already read and validated by ``for_journal``."""
    from drillbook.scoring.plan import DEFAULT_PLAN_PATH  # the bundled plan, as planref's

    try:
        return sha256_of(Path(path) if path else DEFAULT_PLAN_PATH)
    except (OSError, InputError):
        return ""


def load_exercise(
    journal_path: str | Path,
    *,
    plan: str | None = None,
    client: str | None = None,
    accept_changed_scenario: bool = False,
) -> Exercise:
    """Read a journal (its hash chain checked), find its scenario, plan and client, and
    score it. A scenario changed since the run is refused unless ``accept_changed_scenario``;
    the Exercise then says so, and the report states it on its first page."""
    import drillbook.scoring as scoring
    from drillbook.scoring.files import for_journal, recorded
    from drillbook.simulator.replay import scenario_changed, scenario_of

    jf = read_journal(journal_path)
    exercise_date(jf)  # a journal without a date cannot be reported or registered
    loaded: LoadedScenario = scenario_of(jf, accept_changed=accept_changed_scenario)
    # the same choice of plan and client profile as `drillbook score` makes
    response_plan, profile = for_journal(
        jf.path, jf.started, loaded.path, loaded.scenario, plan, client
    )
    card = scoring.score(
        loaded.scenario, response_plan, jf.events, client=profile, source=str(jf.path)
    )
    return Exercise(
        journal=jf,
        scenario=loaded.scenario,
        scorecard=card,
        sha256=sha256_of(jf.path),
        plan=response_plan,
        client_name=getattr(profile, "name", None) or card.client,
        people=people_of(jf.events),
        scenario_changed=scenario_changed(jf, loaded),
        inputs=tuple(
            Path(p)
            for p in (loaded.path, plan, client, jf.started.get("plan"), jf.started.get("client"))
            if isinstance(p, (str, Path)) and p
        ),
        plan_digest=plan_digest(recorded(jf.path, plan, jf.started.get("plan"), "plan")),
    )
