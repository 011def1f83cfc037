"""Replay and resume: the journal is the truth, and re-feeding its inputs reproduces it exactly."""

from __future__ import annotations

import gc
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios import library
from drillbook.scenarios.actions import (
    ACTION_NAMES,
    INCIDENT_TYPES,
    ROLES,
    SEVERITIES,
    Contain,
    Notify,
    PreserveEvidence,
    Remediate,
    StatusUpdate,
)
from drillbook.scenarios.loader import load
from drillbook.scenarios.transcript import load_transcript
from drillbook.simulator.commands import (
    Cancel,
    Decide,
    Record,
    Retime,
    SendAdhoc,
    jump_to_next_inject,
    pause_clock,
    resume_clock,
    set_speed,
    start_clock,
)
from drillbook.simulator.headless import run_transcript
from drillbook.simulator.journal import JOURNAL_FIELDS, Journal, read_journal
from drillbook.simulator.refusals import ActionRejected
from drillbook.simulator.replay import replay, resume
from drillbook.simulator.session import RunSettings, Session
from enginekit import MINI, FakeWall, unchain
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FLAGSHIP = load(library.resolve(library.FLAGSHIP))


def strip_wall(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Everything but the wall clock (clock events included, unlike replay's comparison)."""
    return [{k: v for k, v in e.items() if k not in JOURNAL_FIELDS} for e in events]


def test_a_headless_run_replays(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    transcript = load_transcript(library.reference_transcript(library.FLAGSHIP))
    run_transcript(FLAGSHIP, transcript, RunSettings(seed=1, mode="headless"), Journal(path))
    result = replay(path)
    assert result.ok, result.difference
    assert result.events == len(read_journal(path).events)
    assert result.scenario_changed is False


Step = Callable[[Session, FakeWall], None]


def tick(minutes_of_wall: float) -> Step:
    def step(s: Session, wall: FakeWall) -> None:
        wall.advance(minutes_of_wall * 60)
        s.tick()

    return step


def decide(role: str, **action: Any) -> Step:
    def step(s: Session, _: FakeWall) -> None:
        s.apply(Decide.of(role, action))

    return step


# A facilitated run with a real-looking clock: uneven ticks (sim times with many decimals),
# speed changes, a pause, jumps, facilitator verbs, an evaluator note and decisions.
BEFORE_CRASH: list[Step] = [
    lambda s, _: s.apply(start_clock()),
    *[tick(0.37) for _ in range(9)],
    decide("on_call", action="investigate", source="model-output-sample"),
    lambda s, _: s.apply(set_speed(15)),
    tick(0.8137),
    decide("on_call", action="acknowledge", re="anomaly-alert"),
    lambda s, _: s.apply(SendAdhoc(("on_call",), "phone", "Your manager", "Status?")),
    lambda s, _: s.apply(Retime("deal-sites", s.snapshot().reached + 1 / 3)),
    lambda s, _: s.apply(jump_to_next_inject()),
    lambda s, _: s.apply(Record("evaluator_note", dict(text="Slow to escalate", about="on_call"))),
    lambda s, _: s.apply(pause_clock()),
]
AFTER_CRASH: list[Step] = [
    lambda s, _: s.apply(resume_clock()),
    tick(1.234567),
    decide("technical_lead", action="contain", method="rate_limit"),
    lambda s, _: s.apply(Cancel("still-selling")),
    lambda s, _: s.apply(set_speed(60)),
    tick(0.5),
    lambda s, _: s.apply(
        SendAdhoc(("data_lead",), "email", "Audit", "Logs?", due=s.snapshot().reached + 7)
    ),
    lambda s, _: s.apply(jump_to_next_inject()),
    decide("technical_lead", action="contain", method="fallback"),
    decide("incident_commander", action="notify", audience="client"),
    tick(0.75),
]


def play(path: Path, steps: list[Step], wall: FakeWall) -> Session:
    session = Session(FLAGSHIP, RunSettings(seed=7), journal=Journal(path), wall=wall)
    session.start()
    for step in steps:
        step(session, wall)
    return session


def test_a_facilitated_run_with_clock_changes_and_verbs_replays(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    session = play(path, BEFORE_CRASH + AFTER_CRASH, FakeWall())
    session.end()
    events = read_journal(path).events
    kinds = {(e["type"], e.get("verb")) for e in events}
    assert {("clock", "speed"), ("clock", "jump"), ("clock", "pause")} <= kinds
    assert {("facilitator", "adhoc"), ("facilitator", "retime"), ("facilitator", "cancel")} <= kinds
    assert any(e["sim"] != round(e["sim"], 3) for e in events)  # uneven times, on purpose
    result = replay(path)
    assert result.ok, result.difference


def _tamper_with_the_alert(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if '"inject":"anomaly-alert"' in line)
    event = json.loads(lines[i])
    event["body"] = "Nothing to see here."
    lines[i] = json.dumps(event) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return i


def test_a_tampered_journal_breaks_its_chain_at_the_edited_line(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    play(path, BEFORE_CRASH, FakeWall()).end()
    i = _tamper_with_the_alert(path)
    with pytest.raises(InputError) as info:
        replay(path)
    assert str(info.value).startswith(f"{path}:{i + 1}:1: hash chain broken: this line was changed")


def test_replay_finds_a_tampered_journal_from_before_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    play(path, BEFORE_CRASH, FakeWall()).end()
    unchain(path)
    i = _tamper_with_the_alert(path)
    result = replay(path)
    assert not result.ok
    assert result.difference.startswith(f"line {i + 1} differs in body: journaled seq {i}")


def test_replay_refuses_a_changed_scenario_unless_told(tmp_path: Path) -> None:
    scenario = tmp_path / "mini.yaml"
    scenario.write_text(MINI, encoding="utf-8")
    path = tmp_path / "j.jsonl"
    Session(load(scenario), RunSettings(), journal=Journal(path)).start()
    with scenario.open("a", encoding="utf-8") as fh:
        fh.write("# an edit after the run\n")
    with pytest.raises(InputError, match=r"j.jsonl:1:1: scenario .*mini.yaml changed since"):
        replay(path)
    result = replay(path, accept_changed_scenario=True)
    assert result.ok and result.scenario_changed is True


def test_resume_after_a_crash_gives_the_journal_of_an_uninterrupted_run(tmp_path: Path) -> None:
    whole = tmp_path / "whole.jsonl"
    play(whole, BEFORE_CRASH + AFTER_CRASH, FakeWall()).end()

    crashed = tmp_path / "crashed.jsonl"
    wall = FakeWall()
    session = play(crashed, BEFORE_CRASH, wall)
    del session  # the process dies: no end(), no close(); its lock goes with it
    gc.collect()
    with crashed.open("a", encoding="utf-8") as fh:
        fh.write('{"seq":99,"type":"inject_deli')  # the line in flight
    assert read_journal(crashed).torn_tail

    resumed = resume(crashed, wall=wall)
    for step in AFTER_CRASH:
        step(resumed, wall)
    resumed.end()

    got = read_journal(crashed)
    assert not got.torn_tail
    assert strip_wall(got.events) == strip_wall(read_journal(whole).events)
    assert [e["seq"] for e in got.events] == list(range(len(got.events)))
    assert replay(crashed).ok


def test_a_journal_that_stops_after_a_delivery_replays_and_resumes_once(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    session = Session(FLAGSHIP, RunSettings(seed=2, mode="headless"), journal=Journal(path))
    session.start()
    session.apply(Decide.of("on_call", {"action": "acknowledge"}), at=8)
    session.run_to(30)  # booking-spike (+0:20) is journaled after the last input
    # The process dies here: its journal is closed (and its lock released) without an end.
    # Closing it explicitly, rather than by ``del`` and the garbage collector's timing, keeps
    # the test from depending on when a reference cycle is collected.
    assert session.journal is not None
    session.journal.close()
    del session
    assert replay(path).ok
    resumed = resume(path)
    resumed.end()
    spikes = [e for e in read_journal(path).events if e.get("inject") == "booking-spike"]
    assert len(spikes) == 1


def test_an_ended_run_cannot_be_resumed(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    play(path, [], FakeWall()).end()
    with pytest.raises(InputError, match="this run has ended; there is nothing to resume"):
        resume(path)


# ── property: any small transcript drawn from the flagship's contract replays exactly ─────


def _literal(model: Any, field: str) -> tuple[str, ...]:
    return model.model_fields[field].annotation.__args__


def _subset(values: tuple[str, ...] | list[str], min_size: int = 1) -> st.SearchStrategy:
    return st.lists(st.sampled_from(values), min_size=min_size, max_size=3, unique=True)


def action_shapes() -> dict[str, dict[str, st.SearchStrategy[Any]]]:
    """Each action of the contract with a strategy per parameter, ids from the flagship."""
    s = FLAGSHIP.scenario
    role = st.sampled_from(ROLES)
    question = s.inject("client-duty-manager").question
    text = st.text("abc xyz", min_size=1, max_size=8)
    minutes = st.integers(0, 400)
    evidence = _literal(PreserveEvidence, "items")[0].__args__
    shapes = {
        "acknowledge": {},
        "verify_fix": {},
        "resolve": {},
        "close": {},
        "final_report": {},
        "escalate": {"to": role},
        "assign_role": {"assign": role},
        "classify": {"severity": st.sampled_from(SEVERITIES), "types": _subset(INCIDENT_TYPES)},
        "contain": {"method": st.sampled_from(_literal(Contain, "method"))},
        "preserve_evidence": {"items": _subset(evidence)},
        "notify": {"audience": st.sampled_from(_literal(Notify, "audience"))},
        "status_update": {"audience": st.sampled_from(_literal(StatusUpdate, "audience"))},
        "assess_regulatory": {"obligations": _subset([o.id for o in s.truth.obligations], 0)},
        "investigate": {"source": st.sampled_from([src.id for src in s.sources])},
        "diagnose": {"root_cause": st.sampled_from([c.id for c in s.truth.causes])},
        "assess_impact": {"affected": st.integers(0, 20000)},
        "remediate": {
            "option": st.sampled_from(_literal(Remediate, "option")),
            "tested": st.booleans(),
        },
        "test_fix": {"option": st.sampled_from(_literal(Remediate, "option"))},
        "remediate_harm": {"measure": text},
        "consult": {"with": st.sampled_from(("legal_advisor", "client", "leadership"))},
        "public_statement": {"spokesperson": role, "message": text},
        "schedule_review": {"when": minutes},
        "add_action_item": {"text": text, "owner": text, "due": minutes},
        "answer": {
            "inject": st.just("client-duty-manager"),
            "option": st.sampled_from([o.id for o in question.options]),
        },
        "note": {"text": text},
        "lift_containment": {"method": st.sampled_from(_literal(Contain, "method"))},
        "amend": {"of": st.sampled_from(("notify", "public_statement", "status_update"))},
    }
    return shapes


def flagship_actions() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        *[
            st.fixed_dictionaries({"action": st.just(name), **params})
            for name, params in action_shapes().items()
        ]
    )


decisions = st.lists(
    st.tuples(st.integers(0, 8 * 60), st.sampled_from(ROLES), flagship_actions()),
    max_size=12,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decisions=decisions, seed=st.integers(0, 2**16))
def test_any_transcript_replays_exactly(decisions: list, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "j.jsonl"
        session = Session(FLAGSHIP, RunSettings(seed=seed, mode="headless"), journal=Journal(path))
        session.start()
        for at, role, action in sorted(decisions, key=lambda d: d[0]):
            before = len(session.history())
            try:
                session.apply(Decide.of(role, action), at=at)
            except ActionRejected:  # nothing recorded; only the story has moved on to ``at``
                assert {e["type"] for e in session.history()[before:]} <= {"inject_delivered"}
        session.end()
        result = replay(path)
        assert result.ok, result.difference


def test_the_property_draws_from_the_whole_contract() -> None:
    assert set(action_shapes()) == set(ACTION_NAMES)
