"""One door into a run: typed commands through ``Session.apply``, read back from the journal.

A front end written only against ``SessionLike`` plays a scenario through; a journal's input
lines are commands, so applying them again reproduces the run event for event; subscribers
hear of an event only once it is on disk.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.scenarios import library, load
from drillbook.scenarios.actions import params_of
from drillbook.scenarios.transcript import load_transcript
from drillbook.simulator import commands
from drillbook.simulator.commands import Cancel, Decide, Record, Retime, SendAdhoc, command_of
from drillbook.simulator.events import Event, Kind
from drillbook.simulator.journal import Journal, read_journal, without_wall
from drillbook.simulator.protocol import SessionLike
from drillbook.simulator.refusals import ActionRejected
from drillbook.simulator.session import RunSettings, Session
from enginekit import FakeWall

FLAGSHIP = load(library.resolve(library.FLAGSHIP))


def play_through(session: SessionLike, decisions: list[tuple[float, str, dict]]) -> None:
    """A front end that knows only the protocol: it applies and reads, nothing else."""
    for at, role, action in decisions:
        session.apply(Decide.of(role, action), at=at)
    session.apply(commands.EndPlay(at_scenario_end=True))


def model_decisions() -> list[tuple[float, str, dict]]:
    t = load_transcript(library.reference_transcript(library.FLAGSHIP, "model"))
    return [(d.at, d.role, {"action": d.action.action, **params_of(d.action)}) for d in t.decisions]


def test_a_front_end_written_against_the_protocol_plays_the_flagship_through() -> None:
    session = Session(FLAGSHIP, RunSettings(seed=1, mode="headless"))
    assert isinstance(session, SessionLike)
    seen: list[Event] = []
    session.subscribe(seen.append, "on_call")
    session.start()
    play_through(session, model_decisions())
    assert session.ended and session.history()[-1]["type"] == Kind.RUN_ENDED
    # the on-call engineer's subscription carried only what that seat may see
    assert seen == session.history("on_call")
    assert all(e.get("role", "on_call") == "on_call" for e in seen if e["type"] == Kind.DECISION)
    assert "meters" not in seen[-1]


def facilitated(session: Session, wall: FakeWall) -> None:
    """Every kind of command a live run takes, on a clock that runs."""
    session.apply(commands.start_clock())
    wall.advance(60 * 6.5)
    session.tick()
    session.apply(Decide.of("on_call", {"action": "acknowledge", "re": "anomaly-alert"}))
    session.apply(commands.set_speed(15))
    session.apply(SendAdhoc(("on_call",), "phone", "Your manager", "Status?"))
    now = session.snapshot().reached
    session.apply(Retime("deal-sites", now + 5))
    session.apply(commands.jump_to_next_inject())
    session.apply(
        Record(Kind.EVALUATOR_NOTE, {"text": "Slow to escalate", "capability": "containment"})
    )
    session.apply(commands.pause_clock())
    session.apply(Cancel("still-selling"))
    session.apply(commands.resume_clock())
    wall.advance(30)
    session.apply(Decide.of("technical_lead", {"action": "contain", "method": "rate_limit"}))
    session.apply(commands.rating(capability="containment", rating="S", note="slow start"))
    session.apply(commands.hot_wash_started())
    session.end()


def test_replaying_a_journal_is_applying_its_input_lines(tmp_path: Path) -> None:
    wall = FakeWall()
    path = tmp_path / "run.jsonl"
    live = Session(FLAGSHIP, RunSettings(seed=3), journal=Journal(path), wall=wall)
    live.start()
    facilitated(live, wall)
    journaled = read_journal(path).events

    again = Session(FLAGSHIP, RunSettings(seed=3))
    again.start(
        {
            k: v
            for k, v in journaled[0].items()
            if k not in ("seq", "type", "sim", "wall", "run_id", "chain", "hash")
        }
    )
    for line in journaled[1:]:
        if line["type"] != Kind.INJECT_DELIVERED:  # the engine's own: the inputs deliver it
            again.apply(command_of(line), at=float(line["sim"]))
    assert without_wall(again.history()) == without_wall(journaled)
    kinds = {e["type"] for e in journaled}
    assert {Kind.DECISION, Kind.FACILITATOR, Kind.CLOCK, Kind.EVALUATOR_NOTE, Kind.RATING} <= kinds


def test_subscribers_hear_of_an_event_only_once_it_is_journaled(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    session = Session(FLAGSHIP, RunSettings(seed=1), journal=Journal(path), wall=FakeWall())
    on_disk: list[bool] = []

    def check(event: Event) -> None:
        lines = path.read_text(encoding="utf-8").splitlines()
        on_disk.append(any(f'"seq":{event["seq"]},' in line for line in lines))

    session.subscribe(check)
    session.start()
    session.apply(Decide.of("on_call", {"action": "acknowledge"}), at=8)
    session.end()
    assert on_disk and all(on_disk)


def test_a_subscriber_that_applies_a_command_keeps_the_order(tmp_path: Path) -> None:
    """A console that reacts to an inject by deciding (a bot, a headless seat) must not see
    events out of order: its command's events queue behind the one being delivered. It
    decides at the story's time as it stands: subscribers run after the engine, not in it."""
    session = Session(FLAGSHIP, RunSettings(seed=1), wall=FakeWall())
    heard: list[int] = []

    def react(event: Event) -> None:
        heard.append(event["seq"])
        if event["type"] == Kind.INJECT_DELIVERED and event["inject"] == "anomaly-alert":
            now = session.snapshot().reached
            session.apply(Decide.of("on_call", {"action": "acknowledge"}), at=now)

    session.subscribe(react)
    session.start()
    session.run_to(30)
    assert heard == sorted(heard) == [e["seq"] for e in session.history()]
    assert any(e["type"] == Kind.DECISION for e in session.history())


def test_a_refused_command_records_nothing() -> None:
    session = Session(FLAGSHIP, RunSettings(seed=1), wall=FakeWall())
    session.start()
    before = session.history()
    with pytest.raises(ActionRejected):
        session.apply(Decide.of("on_call", {"action": "contain", "method": "no-such-method"}))
    with pytest.raises(ActionRejected):
        session.apply(Retime("no-such-inject", 30))
    with pytest.raises(ActionRejected):
        session.apply(Record(Kind.DECISION, {"role": "on_call"}))  # not a record: a forgery
    assert session.history() == before


def test_the_facilitators_snapshot_has_meters_and_the_msel_a_roles_has_neither() -> None:
    session = Session(FLAGSHIP, RunSettings(seed=1), wall=FakeWall())
    session.start()
    session.run_to(20)
    facilitator, player = session.snapshot(), session.snapshot("on_call")
    assert facilitator.meters and facilitator.upcoming
    assert player.meters == {} and player.upcoming == ()
    assert player.reached == facilitator.reached == 20


def test_the_header_names_the_bundled_plan_it_was_played_under() -> None:
    """The bundled plan is found as bundled data wherever drillbook is installed."""
    header = Session(FLAGSHIP, RunSettings(seed=1)).header()
    assert header["plan_id"] == "default" and header["plan_version"] == "1"
    assert header["plan_digest"]
