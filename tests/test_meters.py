"""Meters in closed form, against values worked out by hand.

LAB's ``units``: 10/min from the start, 20/min from +0:30, 5/min once contained by rate
limiting, 0 once taken offline or on fallback; capped at 2,000. ``cost`` = units × 3.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from drillbook.scenarios.loader import LoadedScenario, load
from drillbook.scenarios.model import Meter
from drillbook.scenarios.references import PLACEHOLDER
from drillbook.simulator.engine import Engine
from drillbook.simulator.meters import (
    MeterBook,
    render_parts,
    render_text,
    render_value,
    shown_as,
    text_parts,
)
from enginekit import LAB, act, deliveries, recording


def book() -> MeterBook:
    return MeterBook(
        [
            Meter(id="units", label="Units", rate=10, cap=2000),
            Meter(id="cost", label="Cost", derived={"from": "units", "factor": 3}),
        ]
    )


def test_linear_between_changes_and_capped() -> None:
    m = book()
    assert m.value("units", 0) == 0
    assert m.value("units", 12.5) == 125
    assert m.value("units", 500) == 2000  # 10/min would be 5,000: the cap holds
    assert m.value("cost", 12.5) == 375
    assert m.rate("cost") == 30


def test_a_rate_change_starts_a_new_segment_from_the_current_value() -> None:
    m = book()
    assert m.set_rate("units", 30, 20) is True
    assert m.set_rate("units", 30, 20) is False  # same rate: nothing changes
    assert m.value("units", 30) == 300
    assert m.value("units", 45) == 600
    m.set_rate("units", 45, 0)
    assert m.value("units", 1000) == 600


def test_crossing_times_are_computed() -> None:
    m = book()
    assert m.crossing("units", 500, 0) == 50
    assert m.crossing("cost", 1500, 0) == 50  # units 500
    assert m.crossing("units", 500, 60) == 60  # already above: now
    assert m.crossing("units", 2500, 0) is None  # above the cap: never
    m.set_rate("units", 20, 0)
    assert m.crossing("units", 500, 20) is None  # not growing: never


def test_one_meter_probed_at_many_thresholds_is_crossing_for_each() -> None:
    m = book()
    m.set_rate("units", 7.3, 3.1)
    for now in (0.0, 7.3, 40.0, 700.0):
        at = m.crossing_of("units", now)
        for threshold in (-5, 0, 22.63, 73, 73.0000001, 500, 1999.9, 2000, 2500):
            assert at(threshold) == m.crossing("units", threshold, now)
    m.set_rate("units", 100, 0)  # stopped at 287.37
    assert m.crossing_of("units", 900)(500) is None  # not growing: never
    assert m.crossing_of("units", 900)(200) == 900  # passed: now


def test_a_text_cut_at_its_placeholders_renders_as_the_pattern_fills_it() -> None:
    """The engine cuts each text once (``text_parts``); filled in, it must read exactly as
    the placeholder pattern substituted at delivery would: unknown names kept as written,
    ``:rate`` the rate, any other suffix the value."""
    m = book()
    m.set_rate("units", 3, 7)
    defs = {d: m.definition(d) for d in m.ids}

    def by_pattern(text: str, now: float) -> str:
        def fill(found) -> str:  # type: ignore[no-untyped-def]
            meter = defs.get(found.group(1))
            if meter is None:
                return str(found.group(0))
            shown = m.rate(meter.id) if found.group(2) == "rate" else m.value(meter.id, now)
            return render_value(meter, shown)

        return PLACEHOLDER.sub(fill, text)

    texts = [
        "{units}",
        "Now {units} units, {cost}.",
        "{nope} and {units:rate}/min, {cost:rate}, {units:x}{cost}",
        "{ {units}} {Units} {units",
        "no placeholder at all",
        "{}{-}",
    ]
    for text in texts:
        for now in (0.0, 12.5, 333.3):
            assert render_parts(text_parts(text, defs), m, now) == by_pattern(text, now)
            assert render_text(text, defs, m, now) == by_pattern(text, now)


def test_values_are_rendered_as_players_read_them() -> None:
    count = Meter(id="a", label="A")
    money = Meter(id="b", label="B", format="money")
    pct = Meter(id="c", label="C", format="percent")
    num = Meter(id="d", label="D", format="number")
    assert render_value(count, 12480.999) == "12,480"
    assert render_value(money, 1747200.4) == "$1,747,200"
    assert render_value(pct, 12.46) == "12.5%"
    assert render_value(num, 1234.56) == "1,234.6"


def test_money_shows_its_own_currency() -> None:
    def money(unit: str) -> Meter:
        return Meter(id="m", label="M", format="money", unit=unit)

    assert render_value(money("USD"), 9800) == "$9,800"
    assert render_value(money("EUR"), 9800) == "€9,800"
    assert render_value(money("gbp"), 9800) == "£9,800"
    assert render_value(money("CHF"), 9800) == "CHF 9,800"


@pytest.mark.parametrize("fmt", ["money", "percent", "number", "count"])
@pytest.mark.parametrize("unit", ["", "USD", "eur", "gbp", "CHF", "{odd}"])
def test_a_meter_shown_as_chosen_once_reads_as_render_value(fmt: str, unit: str) -> None:
    """Deliveries fill in placeholders with ``shown_as`` (the format chosen once per meter):
    every value must read exactly as ``render_value`` has it, rounding and odd floats alike."""
    meter = Meter(id="m", label="M", format=fmt, unit=unit)
    show = shown_as(meter)
    for value in (0, 0.5, 1e-10, -3.7, 12480.999, 1747200.4, 2.5, 3.5, -0.0, 9800, 12.46):
        assert show(value) == render_value(meter, value), value


def run(loaded: LoadedScenario, *decisions: tuple[float, str, str, dict]) -> Engine:
    engine = Engine(loaded.scenario)
    for at, role, action, params in decisions:
        act(engine, at, role, action, **params)
    return engine


@pytest.mark.parametrize(
    ("t", "units"),
    [(0, 0), (5, 50), (30, 300), (31, 320), (60, 900), (115, 2000), (180, 2000)],
)
def test_nobody_acts(lab: Callable[..., LoadedScenario], t: float, units: float) -> None:
    engine = run(lab())
    engine.run_until(t)
    assert engine.meters.value("units", t) == pytest.approx(units)
    assert engine.meters.value("cost", t) == pytest.approx(3 * units)


def test_rate_limiting_at_a_decision_slows_the_meter(lab: Callable[..., LoadedScenario]) -> None:
    engine = run(lab(), (45, "on_call", "contain", {"method": "rate_limit"}))
    engine.run_until(100)
    assert engine.meters.value("units", 45) == pytest.approx(600)  # 300 + 15 × 20
    assert engine.meters.value("units", 100) == pytest.approx(875)  # 600 + 55 × 5


def test_the_last_matching_rule_wins(lab: Callable[..., LoadedScenario]) -> None:
    # contained at +0:20: the +0:30 rule also matches later, but the contain rule is listed last
    engine = run(lab(), (20, "on_call", "contain", {"method": "fallback"}))
    events = recording(engine)
    engine.finish()
    assert events[-1]["meters"] == {"units": 200.0, "cost": 600.0}


def test_bodies_show_meter_values_at_delivery(lab: Callable[..., LoadedScenario]) -> None:
    engine = Engine(lab().scenario)
    events = recording(engine)
    engine.run_until(5)
    assert [e["body"] for e in events] == ["50 units, $150"]


@pytest.mark.parametrize(
    ("decisions", "fired_at"),
    [
        ((), 40.0),  # 300 + 20 × (t − 30) = 500
        (((35, "on_call", "contain", {"method": "rate_limit"}),), 55.0),  # 400 + 5 × (t − 35)
        (((35, "on_call", "contain", {"method": "take_offline"}),), None),  # stuck at 400
    ],
)
def test_a_threshold_fires_at_the_computed_crossing(
    lab: Callable[..., LoadedScenario], decisions: tuple, fired_at: float | None
) -> None:
    loaded = lab(
        """
        - {id: big, when: {meter: units, above: 500}, to: [on_call], channel: dashboard, title: Big}
        - {id: pricey, when: {meter: cost, above: 1500}, to: [on_call], channel: dashboard, title: Pricey}
        """
    )
    engine = run(loaded, *decisions)
    events = recording(engine)
    engine.finish()
    got = deliveries(events)
    assert got.get("big") == ([fired_at] if fired_at is not None else None)
    assert got.get("pricey") == got.get("big")  # cost = 3 × units: the same moment


def test_rates_follow_deliveries_findings_and_answers(
    write: Callable[[str, str], Path],
) -> None:
    calls = """\
  - id: calls
    label: Calls
    rates:
      - when: {delivered: choice}
        rate: 2
      - when: {investigated: dash}
        rate: 4
      - when: {chosen: {inject: choice, option: cancel}}
        rate: 1
sources:"""
    engine = Engine(load(write("calls.yaml", LAB.replace("sources:", calls, 1))).scenario)
    seen = {}
    engine.run_until(10)
    seen[10] = engine.meters.value("calls", 10)
    act(engine, 20, "technical_lead", "investigate", source="dash")  # the finding at +0:24
    engine.run_until(24)
    seen[24] = engine.meters.value("calls", 24)
    act(engine, 30, "incident_commander", "answer", inject="choice", option="cancel")
    engine.run_until(40)
    seen[40] = engine.meters.value("calls", 40)
    # 0 until +0:10, 2/min to +0:24, 4/min to +0:30, then 1/min
    assert seen == {10: 0, 24: pytest.approx(28), 40: pytest.approx(28 + 24 + 10)}
