"""What an engine sets up once per scenario leaves every run exactly as setting it up each
time did: the opening wake-ups walked by one cursor (``simulator.opening``) against one
wake-up per scripted inject and time point, and the start's reaction set from the first
run's outcome against evaluating every condition again. Journals are compared whole."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path

from drillbook.scenarios.loader import LoadedScenario, load
from drillbook.simulator.engine import Engine
from drillbook.simulator.index import index_of
from enginekit import LAB, act, recording, with_injects

# Ties everywhere: scripted injects at the same minute as each other and as the time points
# conditions name (+0:30, +1:00), conditional injects that fire at the start, at a time point
# and on a delivery, and one scheduled before anything is due at all (+0:00).
TIES = """\
- id: first
  at: "+0:00"
  to: [on_call]
  channel: chat
  title: First
- id: half-a
  at: "+0:30"
  to: [on_call]
  channel: chat
  title: Half A
- id: half-b
  at: "+0:30"
  to: [technical_lead]
  channel: chat
  title: "Half B: {units}"
- id: at-once
  when: {after: "+0:00"}
  to: [incident_commander]
  channel: chat
  title: At once
- id: on-the-half
  when: {after: "+0:30"}
  to: [incident_commander]
  channel: chat
  title: On the half
- id: after-alert
  when: {delivered: alert}
  delay: 5
  to: [incident_commander]
  channel: chat
  title: After the alert
- id: hour-unless-contained
  when: {not_done: contain, by: "+1:00"}
  to: [incident_commander]
  channel: chat
  title: Not contained
"""


class EveryWakeup(Engine):
    """The engine's set-up as it was: a wake-up per opening item, every condition at start."""

    def _open(self) -> None:
        for inject_id, at in self.index.scripted:
            self._schedule(inject_id, at, "scripted", {"inject": inject_id})
        for t in self.index.time_points:
            self._wake(t, partial(self._react, ("time", t)))

    def _react_at_start(self) -> None:
        self._apply(self.index.initial)


def _play(engine: Engine) -> str:
    events = recording(engine)
    engine.start(scenario="lab")
    act(engine, 12, "on_call", "acknowledge")
    engine.retime("late", 45.0)  # a scripted inject re-timed and one cancelled, after the
    engine.cancel("half-b")  # opening has set them up
    act(engine, 30, "technical_lead", "contain", method="rate_limit")
    act(engine, 50, "technical_lead", "investigate", source="logs")
    engine.finish()
    return json.dumps(events)


def test_a_run_is_the_same_however_its_opening_is_set_up(tmp_path: Path) -> None:
    # LAB's units, with a rule that holds from the start and changes only at a decision
    # (no time point): the start's outcome is what sets that rate
    rule = "      - when: {not: {done: acknowledge}}\n        rate: 7\n"
    text = LAB.replace("    rates:\n", "    rates:\n" + rule, 1)
    path = tmp_path / "ties.yaml"
    path.write_text(with_injects(text, TIES), encoding="utf-8")
    scenario = load(path).scenario
    before = _play(EveryWakeup(scenario, seed=3))
    first = _play(Engine(scenario, seed=3))  # works out the start's outcome
    assert "start" in index_of(scenario).outcomes
    again = _play(Engine(scenario, seed=3))  # sets it
    assert first == before
    assert again == before
    # and the ties came out in declaration order, the opening's ones first at each minute
    delivered = [(e["sim"], e["inject"]) for e in json.loads(first) if "inject" in e]
    assert delivered[:4] == [(0.0, "first"), (0.0, "at-once"), (5.0, "alert"), (10.0, "choice")]
    assert [i for t, i in delivered if t == 30.0] == ["half-a", "on-the-half"]
    alert = next(e for e in json.loads(first) if e.get("inject") == "alert")
    assert alert["body"] == "35 units, $105"  # 7/min from the start, not LAB's 10


def test_a_cursor_queues_one_opening_item_at_a_time(lab: Callable[..., LoadedScenario]) -> None:
    """The point of the cursor: the queue does not hold the whole opening, and each item is
    queued under the event id its own wake-up would have had."""
    scenario = lab(TIES).scenario
    opening = index_of(scenario).opening
    engine = Engine(scenario)
    mine = [entry for entry in engine.env._queue if entry[3] is engine._cursor]
    assert len(mine) == 1
    assert mine[0][:3] == (opening.items[0][0], 1, opening.items[0][1])
    assert [item[1] for item in opening.items] != sorted(item[1] for item in opening.items)
