"""Helpers for the engine's tests: small scenarios written as YAML text, a fake wall.

Tests build the scenario they need as text in ``tmp_path`` so that every expected position
(``file:line:col``) can be read off the text itself, and so that a change to the flagship
never breaks a test about the loader or the engine.
The module has its own name (not ``conftest``) so that test files can import it even where
another folder of the suite has a ``conftest.py`` of its own.
"""

from __future__ import annotations

import textwrap
from typing import Any

from drillbook.scenarios.actions import parse_action
from drillbook.simulator.engine import Engine, Event

# A scenario small enough to read at a glance, used by the loader tests.
MINI = """\
id: mini
title: Mini
summary: A small scenario.
types: [data]
start: "Tue 03:47"
ends: "+2:00"
roles:
  - id: on_call
  - id: incident_commander
truth:
  severity: high
  types: [data]
  root_cause: feed
  causes:
    - {id: feed, label: Feed}
    - {id: drift, label: Drift}
meters:
  - id: tickets
    label: Tickets
    rate: 10
    cap: 1000
sources:
  - id: logs
    kind: log
    title: Logs
    shows: Everything.
    access: [on_call]
injects:
  - id: alert
    at: "+0:05"
    to: [on_call]
    channel: pager
    title: Alert
    body: "{tickets} sold"
"""

# A scenario for the engine: a piecewise meter with a cap and a derived meter, a source with
# jitter that only one role can reach, a question. Conditional injects are added per test.
LAB = """\
id: lab
title: Lab
summary: A scenario built to exercise the engine.
types: [data]
start: "Mon 09:00"
ends: "+3:00"
roles:
  - id: on_call
  - id: incident_commander
  - id: technical_lead
truth:
  severity: high
  types: [data]
  root_cause: feed
  causes:
    - {id: feed, label: Feed}
    - {id: drift, label: Drift}
meters:
  - id: units
    label: Units
    rate: 10
    cap: 2000
    rates:
      - when: {after: "+0:30"}
        rate: 20
      - when: {done: contain, where: {method: rate_limit}}
        rate: 5
      - when: {done: contain, where: {method: [take_offline, fallback]}}
        rate: 0
  - id: cost
    label: Cost
    format: money
    derived: {from: units, factor: 3}
sources:
  - id: logs
    kind: log
    title: Logs
    shows: "Units so far: {units}"
    minutes: 10
    jitter: 5
    access: [technical_lead]
    refusal: No credentials.
  - id: dash
    kind: dashboard
    title: Dash
    shows: All green.
    minutes: 4
    access: [on_call, technical_lead]
injects:
  - id: alert
    at: "+0:05"
    to: [on_call]
    channel: pager
    title: Alert
    body: "{units} units, {cost}"
  - id: choice
    at: "+0:10"
    to: [incident_commander]
    channel: phone
    title: Choose
    question:
      prompt: What now?
      options:
        - {id: honour, label: Honour}
        - {id: cancel, label: Cancel}
  - id: late
    at: "+1:00"
    to: [incident_commander]
    channel: email
    title: One hour
"""


def position_of(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, col) of the ``nth`` occurrence of ``needle`` in ``text``."""
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    return line, col


def with_injects(base: str, extra: str) -> str:
    """``base`` (whose last key is ``injects:``) with more injects appended."""
    body = textwrap.dedent(extra).strip("\n")
    return base + textwrap.indent(body, "  ") + "\n"


class FakeWall:
    """A wall clock the test moves by hand: the clock never sleeps, and neither do tests."""

    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def act(engine: Engine, at: float, role: str, action: str, **params: Any) -> Event:
    """Submit one decision to an engine at sim minute ``at``."""
    return engine.submit(role, parse_action({"action": action, **params}), at=at)


def deliveries(events: list[Event]) -> dict[str, list[float]]:
    """inject id → the sim times it was delivered."""
    out: dict[str, list[float]] = {}
    for e in events:
        if e["type"] == "inject_delivered":
            out.setdefault(e["inject"], []).append(e["sim"])
    return out


def recording(engine: Engine) -> list[Event]:
    """Collect every event the engine emits from now on."""
    events: list[Event] = []
    engine.listeners.append(events.append)
    return events


def unchain(path: Any) -> None:
    """Rewrite a journal as drillbook wrote them before the hash chain: no ``run_id``,
    ``chain`` or ``hash`` (the journals already on disk when the chain came in)."""
    import json
    from pathlib import Path

    p = Path(path)
    lines = [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line]
    old = [{k: v for k, v in e.items() if k not in ("run_id", "chain", "hash")} for e in lines]
    p.write_text(
        "".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n" for e in old),
        encoding="utf-8",
    )
