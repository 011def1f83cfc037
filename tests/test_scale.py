"""Meter conditions at scale: the indexed engine does the same as checking everything, for
a cost that grows with crossings, not injects × crossings.

The oracle is the engine as it was before thresholds were indexed (``BruteEngine``): every
crossing re-checks every rated meter and conditional inject, the next crossing is the
minimum over every watched threshold, and every wait is a real SimPy process. Random
scenarios — base and derived meters (factors > 0, 0 and < 0), caps, rate rules on time,
decisions and the meter itself, thresholds that coincide or differ by less than ε,
composite conditions — must give byte-identical journals in both. Cost is asserted
structurally (conditions evaluated, thresholds tested), never by the clock.
"""

from __future__ import annotations

import gc
import json
from functools import partial
from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError, parse
from drillbook.scenarios.loader import LoadedScenario, load
from drillbook.simulator.engine import Engine
from drillbook.simulator.index import index_of
from drillbook.simulator.wakeup import Wakeup
from enginekit import act, recording
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.bigscenario import big_scenario

HEAD = """\
id: scale
title: Scale
summary: Generated.
types: [data]
start: "Mon 09:00"
ends: "+6:00"
roles:
  - id: on_call
  - id: technical_lead
truth:
  severity: high
  types: [data]
  root_cause: feed
  causes:
    - {{id: feed, label: Feed}}
    - {{id: drift, label: Drift}}
meters:
  - id: units
    label: Units
    initial: {initial}
    rate: {rate}
{cap}    rates:
{rules}  - id: cost
    label: Cost
    derived: {{from: units, factor: {factor}}}
  - id: refund
    label: Refund
    derived: {{from: units, factor: -2}}
  - id: nothing
    label: Nothing
    derived: {{from: units, factor: 0}}
injects:
  - id: alert
    at: "+0:05"
    to: [on_call]
    channel: pager
    title: Alert
    body: "{{units}} units"
"""


class BruteEngine(Engine):
    """The engine before the index: re-check everything at every crossing, real processes."""

    def _react_to_crossings(self) -> None:
        self._reevaluate(self.index.rated, self.index.conditional)

    def _rewatch(self) -> None:
        now = self.now
        times = [
            t
            for meter_id, thr in self.index.watched
            if (t := self.meters.crossing(meter_id, thr, now)) is not None and t > now + 1e-9
        ]
        nxt = min(times, default=None)
        if nxt == self._watch_at:
            return
        self._watch_token += 1
        self._watch_at = nxt
        if nxt is not None:
            self._wake(nxt, partial(self._meter_watch, self._watch_token))

    def _wake(self, due, action) -> None:  # type: ignore[no-untyped-def]
        def waiting():  # type: ignore[no-untyped-def]
            yield self.env.timeout(max(0.0, due - self.env.now))
            action()

        self.env.process(waiting())


# Few values, so that thresholds coincide (several owners at one crossing), sit within ε of
# each other (100 + 1e-10, + 9.5e-10: reached together, or not) and of a meter's value.
METERS = ("units", "units", "cost", "refund", "nothing")
THRESHOLDS = st.sampled_from([40, 100, 100, 100 + 1e-10, 100 + 9.5e-10, 300, 300, 900, -50])
METHODS = ("rate_limit", "human_review", "take_offline")


@st.composite
def leaf(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["meter", "meter", "meter", "meter", "done", "after"]))
    if kind == "meter":
        return f"{{meter: {draw(st.sampled_from(METERS))}, above: {draw(THRESHOLDS)!r}}}"
    if kind == "done":
        return f"{{done: contain, where: {{method: {draw(st.sampled_from(METHODS))}}}}}"
    return f'{{after: "+{draw(st.integers(0, 4))}:{draw(st.sampled_from(["00", "30"]))}"}}'


@st.composite
def condition(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(["leaf", "leaf", "all", "any", "not"]))
    if shape == "leaf":
        return draw(leaf())
    if shape == "not":
        return f"{{not: {draw(leaf())}}}"
    parts = draw(st.lists(leaf(), min_size=1, max_size=3))
    return f"{{{shape}: [{', '.join(parts)}]}}"


@st.composite
def scenario_text(draw: st.DrawFn) -> str:
    rules = ""
    for _ in range(draw(st.integers(0, 3))):
        when = draw(st.one_of(leaf(), condition()))
        rules += f"      - when: {when}\n        rate: {draw(st.sampled_from([0, 1, 2.5, 7]))}\n"
    cap = draw(st.sampled_from([None, 500, 100]))
    text = HEAD.format(
        initial=draw(st.sampled_from([0, 40, 99.9999999999])),
        rate=draw(st.sampled_from([0, 0.05, 1, 3.7, 10])),
        cap=f"    cap: {cap}\n" if cap is not None else "",
        rules=rules or "      []\n",
        factor=draw(st.sampled_from([3, 0.1, 1])),
    )
    for i in range(draw(st.integers(1, 12))):
        delay = draw(st.sampled_from(["", '    delay: "+0:10"\n']))
        text += (
            f"  - id: c{i}\n    when: {draw(condition())}\n{delay}"
            f"    to: [technical_lead]\n    channel: dashboard\n    title: C{i} at {{units}}\n"
        )
    return text


DECISIONS = st.lists(st.tuples(st.integers(0, 300), st.sampled_from(METHODS)), max_size=3).map(
    sorted
)


def journal(cls: type[Engine], loaded: LoadedScenario, decisions: list[tuple[int, str]]) -> str:
    engine = cls(loaded.scenario, seed=3)
    events = recording(engine)
    for at, method in decisions:
        act(engine, at, "technical_lead", "contain", method=method)
    engine.finish()
    return "\n".join(json.dumps(e) for e in events)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=scenario_text(), decisions=DECISIONS)
def test_indexed_crossings_match_checking_everything(
    tmp_path: Path, text: str, decisions: list[tuple[int, str]]
) -> None:
    path = tmp_path / "scale.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load(path)
    assert journal(Engine, loaded, decisions) == journal(BruteEngine, loaded, decisions)


def test_wakeups_keep_the_order_of_processes() -> None:
    """Equal times break in the order SimPy processes would have given, wherever the wait
    was started (at once, or from inside another wait's action)."""

    def program(wake: type) -> list[str]:
        import simpy

        env = simpy.Environment()
        order: list[str] = []

        def start(name: str, due: float, then: list[tuple[str, float]]) -> None:
            def act() -> None:
                order.append(name)
                for child, child_due in then:
                    start(child, child_due, [])

            wake(env, due, act)

        start("a", 5, [("a1", 5), ("a2", 7)])
        start("b", 5, [("b1", 5)])
        start("c", 7, [])
        start("d", 0, [("d1", 5), ("d2", 0)])
        env.run()
        return order

    def as_process(env, due, action) -> None:  # type: ignore[no-untyped-def]
        def waiting():  # type: ignore[no-untyped-def]
            yield env.timeout(max(0.0, due - env.now))
            action()

        env.process(waiting())

    assert program(Wakeup) == program(as_process)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> LoadedScenario:
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text(big_scenario(1500), encoding="utf-8")
    return load(path)


def test_a_crossing_rechecks_only_what_names_it(
    big: LoadedScenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1,500 injects on thresholds, all crossed: each inject's condition is evaluated about
    twice (at the start, at its crossing), not once per crossing (the old 1,500²)."""
    n = len(big.scenario.injects) - 1
    evaluations = 0

    def counting(test):  # type: ignore[no-untyped-def]
        def counted(*args):  # type: ignore[no-untyped-def]
            nonlocal evaluations
            evaluations += 1
            return test(*args)

        return counted

    index = index_of(big.scenario)  # the engine evaluates the conditions it compiled
    for inject_id, test in list(index.inject_tests.items()):
        monkeypatch.setitem(index.inject_tests, inject_id, counting(test))
    for meter_id, rules in list(index.rate_tests.items()):
        counted = tuple((rate, counting(test)) for rate, test in rules)
        monkeypatch.setitem(index.rate_tests, meter_id, counted)
    engine = Engine(big.scenario, seed=1)
    events = recording(engine)
    act(engine, 120, "technical_lead", "contain", method="rate_limit")
    act(engine, 300, "technical_lead", "contain", method="human_review")
    engine.finish()
    delivered = [e for e in events if e["type"] == "inject_delivered"]
    assert len(delivered) == n + 1  # every threshold was reached
    assert n <= evaluations <= 3 * n  # each at least once (the count is live), not n² times
    assert engine.crossings.checks <= 12 * n  # pointer moves + a few bisection probes each


def test_parsing_leaves_the_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    parse("a: 1\n", "x.yaml")
    assert gc.isenabled()
    with pytest.raises(InputError):
        parse("a: [1\n", "x.yaml")
    assert gc.isenabled()
    gc.disable()
    try:
        parse("a: 1\n", "x.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_loaded_transcript_keeps_positions_not_the_raw_file(tmp_path: Path) -> None:
    """The decisions hold the data; of the file only where each value was stays alive, so
    a refusal in a headless run can still be placed at its entry."""
    from drillbook.scenarios.transcript import load_transcript

    from bench.bigscenario import long_transcript

    path = tmp_path / "t.yaml"
    path.write_text(long_transcript(30), encoding="utf-8")
    loaded = load_transcript(path)
    assert len(loaded.decisions) == 30
    assert loaded.document is not None and loaded.document.data is None
    assert loaded.document.positions.of(("actions", 29, "at")) == (33, 10)
