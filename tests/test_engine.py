"""The engine: findings from sources, refusals, and what it will not accept."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from drillbook.scenarios.actions import parse_action
from drillbook.scenarios.library import resolve
from drillbook.scenarios.loader import LoadedScenario, load
from drillbook.simulator.engine import Engine
from drillbook.simulator.refusals import ActionRejected
from enginekit import act, deliveries, recording


@pytest.mark.parametrize("seed", [0, 2, 5])
def test_a_finding_arrives_after_the_sources_minutes_plus_seeded_jitter(
    lab: Callable[..., LoadedScenario], seed: int
) -> None:
    engine = Engine(lab().scenario, seed=seed)
    events = recording(engine)
    act(engine, 20, "technical_lead", "investigate", source="logs")
    engine.run_until(60)
    jitter = random.Random(seed).randint(0, 5)  # the run's first draw; logs: 10 min + up to 5
    [finding] = [e for e in events if e["type"] == "inject_delivered" and e["kind"] == "finding"]
    assert finding["sim"] == 30 + jitter
    assert finding["to"] == ["technical_lead"]
    assert finding["inject"] == "source:logs"
    assert finding["refused"] is False
    assert finding["title"] == "Logs"
    # the body shows the meter when the finding arrives, not when it was asked for
    assert finding["body"] == f"Units so far: {300 + 20 * jitter}"
    assert engine.state.investigations == {"logs": ["technical_lead"]}


def test_seeds_change_the_jitter_and_only_the_jitter(lab: Callable[..., LoadedScenario]) -> None:
    times = {}
    for seed in (0, 2):  # first draws: 3 and 0
        engine = Engine(lab().scenario, seed=seed)
        events = recording(engine)
        act(engine, 20, "technical_lead", "investigate", source="logs")
        act(engine, 20, "technical_lead", "investigate", source="dash")
        engine.run_until(60)
        times[seed] = deliveries(events)
    assert times[0]["source:logs"] == [33.0] and times[2]["source:logs"] == [30.0]
    assert times[0]["source:dash"] == times[2]["source:dash"] == [24.0]  # no jitter


def test_a_role_without_access_is_refused_at_once(lab: Callable[..., LoadedScenario]) -> None:
    engine = Engine(lab().scenario)
    events = recording(engine)
    act(engine, 20, "on_call", "investigate", source="logs")
    # alert, choice, then the decision and its refusal in the same instant
    assert [e["type"] for e in events][2:] == ["action_taken", "inject_delivered"]
    refusal = events[-1]
    assert refusal["type"] == "inject_delivered"
    assert refusal["sim"] == 20.0
    assert refusal["to"] == ["on_call"]
    assert refusal["title"] == "Cannot reach: Logs"
    assert refusal["body"] == "No credentials."
    assert refusal["refused"] is True
    assert engine.state.investigations == {"logs": []}
    engine.run_until(60)
    assert len([e for e in events if e.get("source") == "logs"]) == 1  # nothing follows


def test_two_roles_investigating_the_same_source_each_get_a_finding(
    lab: Callable[..., LoadedScenario],
) -> None:
    engine = Engine(lab().scenario)
    events = recording(engine)
    act(engine, 20, "on_call", "investigate", source="dash")
    act(engine, 21, "technical_lead", "investigate", source="dash")
    engine.run_until(60)
    findings = [(e["sim"], e["to"]) for e in events if e.get("source") == "dash"]
    assert findings == [(24.0, ["on_call"]), (25.0, ["technical_lead"])]


def test_decisions_are_journaled_with_their_parameters(lab: Callable[..., LoadedScenario]) -> None:
    engine = Engine(lab().scenario)
    event = act(
        engine, 7.5, "on_call", "classify", severity="high", types=["data"], rationale="why"
    )
    assert event == {
        "seq": 1,  # after the alert at +0:05 (no run_started here: the session writes it)
        "type": "action_taken",
        "sim": 7.5,
        "role": "on_call",
        "action": "classify",
        "params": {"severity": "high", "types": ["data"], "rationale": "why"},
    }


def test_what_the_engine_refuses_records_nothing(lab: Callable[..., LoadedScenario]) -> None:
    engine = Engine(lab().scenario)
    events = recording(engine)
    act(engine, 30, "on_call", "acknowledge")
    before = len(events)
    with pytest.raises(ActionRejected, match="before the current sim time 30"):
        act(engine, 29, "on_call", "note", text="late")
    with pytest.raises(ActionRejected, match="role 'data_lead' is not in play"):
        act(engine, 31, "data_lead", "acknowledge")
    with pytest.raises(ActionRejected, match="'inject_delivered' events are the engine's own"):
        engine.record("inject_delivered", inject="x")
    assert len(events) == before
    assert engine.state.actions[-1].action == "acknowledge"
    engine.finish()
    with pytest.raises(ActionRejected, match="the run has ended"):
        act(engine, 200, "on_call", "note", text="after")


def test_finish_runs_to_the_end_of_play_and_reports_the_meters(
    lab: Callable[..., LoadedScenario],
) -> None:
    engine = Engine(lab().scenario)
    events = recording(engine)
    ended = engine.finish()
    assert ended["type"] == "run_ended"
    assert ended["sim"] == 180.0
    assert ended["reason"] == "end of play"
    assert ended["meters"] == {"units": 2000.0, "cost": 6000.0}
    assert [e["seq"] for e in events] == list(range(len(events)))


def test_a_decision_after_the_end_of_play_is_refused_not_stretched_into():
    """Play has an end: a decision timed after it is refused, rather than silently moving
    the end of play (and every deadline that counts from it) to fit."""
    scenario = load(resolve("airline-pricing-0347")).scenario
    engine = Engine(scenario, seed=1)
    late = float(scenario.ends) + 40
    with pytest.raises(ActionRejected, match=r"after the end of play \(\+360:00\)"):
        engine.submit("on_call", parse_action({"action": "acknowledge"}), at=late)
