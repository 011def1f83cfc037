"""Meters that can fall: a signed rate, floored at a declared ``min``.

``trust`` starts at 50 and falls 0.5/min until contained, then recovers at 1/min; it never
goes below 10 nor above 80. ``calm`` accrues only while trust is above 40, so it shows that a
condition on a falling meter stops holding at the computed moment (trust 40 at +0:20).
The scenario also uses the ``meeting`` and ``video`` channels and a ``video`` source.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios.loader import load
from drillbook.simulator.engine import Engine
from enginekit import MINI, act, deliveries, position_of, recording

FALLING = (
    MINI.replace(
        """meters:
  - id: tickets
    label: Tickets
    rate: 10
    cap: 1000
""",
        """meters:
  - id: tickets
    label: Tickets
    rate: 10
    cap: 1000
  - id: trust
    label: Trust
    initial: 50
    rate: -0.5
    min: 10
    cap: 80
    rates:
      - when: {done: contain}
        rate: 1
  - id: calm
    label: Calm
    rate: 0
    rates:
      - when: {meter: trust, above: 40}
        rate: 1
""",
    ).replace("kind: log", "kind: video")
    + """  - id: low-trust
    when: {not: {meter: trust, above: 40}}
    to: [on_call]
    channel: meeting
    title: Trust is low
  - id: recovered
    when: {all: [{done: contain}, {meter: trust, above: 45}]}
    to: [on_call]
    channel: video
    title: Trust is back
"""
)


def engine_for(write: Callable[[str, str], Path], text: str = FALLING) -> Engine:
    return Engine(load(write("s.yaml", text)).scenario)


def test_a_falling_meter_is_floored_at_its_min(write: Callable[[str, str], Path]) -> None:
    engine = engine_for(write)
    engine.run_until(60)
    assert engine.meters.value("trust", 10) == pytest.approx(45)
    assert engine.meters.value("trust", 60) == pytest.approx(20)
    engine.run_until(119)
    assert engine.meters.value("trust", 119) == 10  # 50 − 0.5 × 119 would be −9.5


def test_a_condition_on_a_falling_meter_stops_holding_when_it_drops(
    write: Callable[[str, str], Path],
) -> None:
    engine = engine_for(write)
    events = recording(engine)
    engine.run_until(60)
    # calm accrued only while trust ≥ 40, i.e. for the first 20 minutes
    assert engine.meters.value("calm", 60) == pytest.approx(20, abs=1e-6)
    assert deliveries(events)["low-trust"] == [pytest.approx(20, abs=1e-6)]


def test_a_meter_recovers_after_a_decision(write: Callable[[str, str], Path]) -> None:
    engine = engine_for(write)
    events = recording(engine)
    act(engine, 30, "on_call", "contain", method="take_offline")  # trust 35, then +1/min
    engine.finish()
    assert engine.meters.value("trust", 40) == pytest.approx(45)
    assert engine.meters.value("trust", 120) == 80  # the cap holds a recovering meter too
    got = deliveries(events)
    assert got["recovered"] == [pytest.approx(40, abs=1e-6)]
    # trust rose past 40 again at +0:35: calm accrues again from then
    assert engine.meters.value("calm", 45) == pytest.approx(20 + 10, abs=1e-6)


@pytest.mark.parametrize(
    ("edit", "needle", "words"),
    [
        ("    min: 10\n", "initial: 50", "negative rate but no floor; expected 'min: …'"),
        ("    initial: 50\n", "initial: 5", "below its min 10; expected initial ≥ min"),
        ("    cap: 80\n", "cap: 8", "cap 8 below its min 10; expected min ≤ cap"),
    ],
)
def test_bad_floors_are_placed(
    write: Callable[[str, str], Path], edit: str, needle: str, words: str
) -> None:
    text = FALLING
    if needle == "initial: 50":
        text = text.replace(edit, "")
    elif needle == "initial: 5":
        text = text.replace(edit, "    initial: 5\n")
    else:
        text = text.replace(edit, "    cap: 8\n")
    path = write("s.yaml", text)
    with pytest.raises(InputError) as info:
        load(path)
    (problem,) = info.value.problems
    line, _ = position_of(text, "- id: trust")
    assert f"s.yaml:{line}:" in str(problem)
    assert words in str(problem)
