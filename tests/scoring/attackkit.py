"""Playing and scoring any bundled scenario as ``drillbook run`` does, cached per scenario.

The attack suite plays many transcripts on every bundled scenario. Each is played through the
real engine, headless (``Session`` with the transcript's seed), and scored with the default
plan and the scenario's own client profile — exactly the path of ``drillbook run``. Loading,
the client profile and the bundled teams' scorecards are cached: the engine run costs about a
millisecond, scoring about twenty, loading a scenario far more.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from attackparts import Case
from drillbook.scenarios import library
from drillbook.scenarios.loader import LoadedScenario, load
from drillbook.scenarios.transcript import Decision, Transcript, check_against, load_transcript
from drillbook.scoring import Scorecard, default_plan, score
from drillbook.scoring.client import ClientProfile
from drillbook.scoring.files import scenario_client
from drillbook.scoring.plan import ResponsePlan
from drillbook.simulator.commands import Decide
from drillbook.simulator.refusals import ActionRejected
from drillbook.simulator.session import RunSettings, Session

Event = dict[str, Any]
SCENARIOS: tuple[str, ...] = tuple(p.stem for p in library.bundled())
FLAGSHIP = library.FLAGSHIP
# The scenarios with a bundled strong-but-imperfect team.
STRONG: tuple[str, ...] = (
    "airline-pricing-0347",
    "credit-limit-bias",
    "chat-history-exposure",
    "benefits-fraud-scoring",
    "recruiting-model-bias",
)


@cache
def loaded(scenario_id: str) -> LoadedScenario:
    return load(library.resolve(scenario_id))


@cache
def plan() -> ResponsePlan:
    return default_plan()


@cache
def client(scenario_id: str) -> ClientProfile | None:
    """The scenario's client profile, as ``drillbook run`` finds it (None if it names none)."""
    one = loaded(scenario_id)
    return scenario_client(one.path, one.scenario, plan())


def weak_kind(scenario_id: str) -> str:
    """The flagship's weak team is the article's own night; the others have a ``weak`` file."""
    return "article" if scenario_id == FLAGSHIP else "weak"


@cache
def team(scenario_id: str, kind: str) -> Transcript:
    """A bundled transcript: ``model``, ``weak`` (the article for the flagship), ``strong``."""
    if kind == "weak":
        kind = weak_kind(scenario_id)
    return load_transcript(library.reference_transcript(scenario_id, kind))


@cache
def case(scenario_id: str) -> Case:
    """What every attack generator reads: the scenario, its model team, the plan, the client."""
    return Case(
        loaded(scenario_id).scenario, team(scenario_id, "model"), plan(), client(scenario_id)
    )


@dataclass(frozen=True)
class Played:
    """A headless run: its journal events and the decisions the engine refused (not recorded)."""

    events: list[Event]
    refused: tuple[Decision, ...]


def play(scenario_id: str, t: Transcript, *, lenient: bool = False) -> Played:
    """Play ``t`` to the end of play, as ``run_transcript`` does.

    Strict (the default) lets the engine's refusal propagate. ``lenient`` records a refused
    decision and goes on: an attack that changes an answer can stop a later question from
    ever being asked, and the team's answer to it is then simply never given.
    """
    one = loaded(scenario_id)
    check_against(t, one.scenario)
    session = Session(one, RunSettings(seed=t.seed or 0, mode="headless"))
    session.start()
    refused: list[Decision] = []
    for d in t.decisions:
        try:
            session.apply(Decide.of(d.role, d.action), at=d.at)
        except ActionRejected:
            if not lenient:
                raise
            refused.append(d)
    session.end()
    return Played(session.history(), tuple(refused))


def card(scenario_id: str, events: list[Event]) -> Scorecard:
    """The scorecard under the default plan and the scenario's client profile."""
    return score(loaded(scenario_id).scenario, plan(), events, client(scenario_id))


@cache
def team_card(scenario_id: str, kind: str) -> Scorecard:
    return card(scenario_id, play(scenario_id, team(scenario_id, kind)).events)


def awareness(events: list[Event], roles: list[str]) -> dict[str, float]:
    """When each role could first know anything, read from a journal — generously.

    The issue's rule: an inject delivered to the role, or an escalation, assignment or
    notification by a role already aware. A notice or update to the response team is taken
    to reach every role. Being generous (never later than the scorer's own reading) is what
    makes "moved before the role could know" safe to assert on.
    """
    aware: dict[str, float] = {}
    for e in events:
        sim = float(e.get("sim", 0.0))
        if e.get("type") == "inject_delivered":
            for role in e.get("to", ()):
                aware.setdefault(role, sim)
        elif e.get("type") == "action_taken" and e["role"] in aware:
            p = e.get("params") or {}
            reached: list[str] = []
            if e["action"] == "escalate":
                reached = [p.get("to")]
            elif e["action"] == "assign_role":
                reached = [p.get("assign")]
            elif (
                e["action"] in ("notify", "status_update") and p.get("audience") == "response_team"
            ):
                reached = list(roles)
            for role in reached:
                if role:
                    aware.setdefault(role, sim)
    return aware


def deliveries(events: list[Event]) -> list[tuple[str, float, tuple[str, ...]]]:
    """What reached whom and when (injects and findings): the run's knowledge, for comparing."""
    return [
        (str(e.get("inject") or e.get("source")), float(e["sim"]), tuple(e.get("to", ())))
        for e in events
        if e.get("type") == "inject_delivered"
    ]
