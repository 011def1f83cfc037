"""Facilitator verbs: an ad-hoc inject, re-timing and cancelling upcoming ones, all journaled."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.engine import Engine
from drillbook.simulator.refusals import ActionRejected
from enginekit import act, deliveries, recording


def engine_of(loaded: LoadedScenario) -> tuple[Engine, list[dict]]:
    engine = Engine(loaded.scenario)
    return engine, recording(engine)


def test_an_adhoc_inject_now_and_later(lab: Callable[..., LoadedScenario]) -> None:
    engine, events = engine_of(lab())
    engine.run_until(12)
    now_id = engine.send_adhoc(["on_call"], "phone", "CEO calls", "Where are we?")
    later_id = engine.send_adhoc(
        ["on_call", "technical_lead"], "email", "Audit", "Send logs", at=40
    )
    assert (now_id, later_id) == ("adhoc-1", "adhoc-2")
    engine.run_until(60)
    assert events[2] == {
        "seq": 2,
        "type": "facilitator",
        "sim": 12.0,
        "verb": "adhoc",
        "inject": "adhoc-1",
        "due": 12.0,
        "to": ["on_call"],
        "channel": "phone",
        "title": "CEO calls",
        "body": "Where are we?",
    }
    # canonical order: adhoc-1, due now, is delivered before the next change is applied
    assert [(e["type"], e["inject"]) for e in events[3:5]] == [
        ("inject_delivered", "adhoc-1"),
        ("facilitator", "adhoc-2"),
    ]
    assert events[4]["due"] == 40
    got = deliveries(events)
    assert got["adhoc-1"] == [12.0] and got["adhoc-2"] == [40.0]
    delivered = [e for e in events if e.get("inject") == "adhoc-2"][-1]
    assert delivered["kind"] == "adhoc" and delivered["to"] == ["on_call", "technical_lead"]


def test_an_adhoc_inject_to_nobody_or_in_the_past_is_refused(
    lab: Callable[..., LoadedScenario],
) -> None:
    engine, events = engine_of(lab())
    engine.run_until(12)
    with pytest.raises(ActionRejected, match="expected roles in play"):
        engine.send_adhoc(["data_lead"], "chat", "t", "b")
    with pytest.raises(ActionRejected, match="expected roles in play"):
        engine.send_adhoc([], "chat", "t", "b")
    with pytest.raises(ActionRejected, match="in the past"):
        engine.send_adhoc(["on_call"], "chat", "t", "b", at=11)
    assert [e["type"] for e in events] == ["inject_delivered", "inject_delivered"]


@pytest.mark.parametrize("due", [20.0, 90.0])
def test_retime_earlier_and_later(lab: Callable[..., LoadedScenario], due: float) -> None:
    engine, events = engine_of(lab())
    engine.run_until(15)
    engine.retime("late", due)
    engine.finish()
    assert deliveries(events)["late"] == [due]  # once, at the new time: the old one is retired
    assert events[2] == {
        "seq": 2,
        "type": "facilitator",
        "sim": 15.0,
        "verb": "retime",
        "inject": "late",
        "due": due,
    }


def test_retime_twice_keeps_only_the_last(lab: Callable[..., LoadedScenario]) -> None:
    engine, events = engine_of(lab())
    engine.retime("late", 30)
    engine.retime("late", 45)
    engine.finish()
    assert deliveries(events)["late"] == [45.0]


def test_retime_refuses_the_past_and_what_is_not_waiting(
    lab: Callable[..., LoadedScenario],
) -> None:
    engine, _ = engine_of(lab())
    engine.run_until(15)
    with pytest.raises(ActionRejected, match="into the past"):
        engine.retime("late", 14)
    with pytest.raises(ActionRejected, match="'alert' is not waiting to be delivered"):
        engine.retime("alert", 30)  # already delivered
    with pytest.raises(ActionRejected, match="'ghost' is not waiting"):
        engine.retime("ghost", 30)


def test_a_fired_conditional_inject_can_be_retimed_while_it_waits_out_its_delay(
    lab: Callable[..., LoadedScenario],
) -> None:
    loaded = lab(
        "- {id: thanks, when: {done: contain}, delay: 30, to: [on_call], channel: chat, title: T}"
    )
    engine, events = engine_of(loaded)
    act(engine, 20, "on_call", "contain", method="fallback")
    engine.retime("thanks", 25)
    engine.finish()
    assert deliveries(events)["thanks"] == [25.0]


def test_cancel_a_scheduled_inject(lab: Callable[..., LoadedScenario]) -> None:
    engine, events = engine_of(lab())
    engine.run_until(15)
    engine.cancel("late")
    with pytest.raises(ActionRejected, match="nothing to cancel"):
        engine.cancel("alert")  # delivered at +0:05 already
    engine.finish()
    assert "late" not in deliveries(events)
    assert events[2] == {
        "seq": 2,
        "type": "facilitator",
        "sim": 15.0,
        "verb": "cancel",
        "inject": "late",
    }


def test_cancel_a_waiting_conditional_inject(lab: Callable[..., LoadedScenario]) -> None:
    loaded = lab("- {id: thanks, when: {done: contain}, to: [on_call], channel: chat, title: T}")
    engine, events = engine_of(loaded)
    engine.cancel("thanks")
    assert engine.is_triggered("thanks")
    act(engine, 20, "on_call", "contain", method="fallback")
    with pytest.raises(ActionRejected, match="nothing to cancel"):
        engine.cancel("thanks")  # once is enough
    engine.finish()
    assert "thanks" not in deliveries(events)
    assert [e["verb"] for e in events if e["type"] == "facilitator"] == ["cancel"]


def test_a_cancelled_inject_no_longer_triggers_what_depends_on_it(
    lab: Callable[..., LoadedScenario],
) -> None:
    loaded = lab(
        "- {id: after-late, when: {delivered: late}, to: [on_call], channel: chat, title: T}"
    )
    engine, events = engine_of(loaded)
    engine.cancel("late")
    engine.finish()
    assert set(deliveries(events)) == {"alert", "choice"}


def test_nothing_can_be_recorded_after_the_end(lab: Callable[..., LoadedScenario]) -> None:
    from drillbook.scenarios.actions import parse_action

    engine, events = engine_of(lab())
    engine.start()
    engine.finish(30)
    ended = len(events)
    attempts: list[Callable[[], object]] = [
        lambda: engine.record("evaluator_note", text="late"),
        lambda: engine.submit("on_call", parse_action({"action": "acknowledge"})),
        lambda: engine.send_adhoc(["on_call"], "chat", "t", "b"),
        lambda: engine.cancel("anything"),
        lambda: engine.retime("anything", 50),
        lambda: engine.finish(),
    ]
    for attempt in attempts:
        with pytest.raises(ActionRejected, match="the run has ended"):
            attempt()
    assert len(events) == ended  # nothing written after run_ended
