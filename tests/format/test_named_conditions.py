"""Named conditions: declared once under ``conditions:``, referred to as ``{condition: NAME}``.

The engine, the index and the linter see through a reference to its definition; the MSEL
and the handbook show the name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios.conditions import describe, leaves
from drillbook.scenarios.loader import load
from drillbook.simulator.engine import Engine
from enginekit import LAB, act, deliveries, position_of, recording, with_injects

NAMED = LAB.replace(
    "injects:\n",
    """conditions:
  uncontained: {not_done: contain, by: "+0:40"}
  still-bad: {all: [{condition: uncontained}, {meter: units, above: 300}]}
injects:
""",
).replace(
    '      - when: {after: "+0:30"}\n        rate: 20\n',
    '      - when: {after: "+0:30"}\n        rate: 20\n'
    "      - when: {condition: still-bad}\n        rate: 30\n",
)


def scenario_text(extra: str = "") -> str:
    return with_injects(
        NAMED,
        """
        - {id: escalate-now, when: {condition: still-bad}, to: [incident_commander], channel: meeting, title: Bridge}
        - {id: calm, when: {all: [{after: "+0:40"}, {not: {condition: uncontained}}]}, delay: 5, to: [on_call], channel: chat, title: Calm}
        """
        + extra,
    )


def test_a_reference_behaves_as_its_definition(write: Callable[[str, str], Path]) -> None:
    engine = Engine(load(write("s.yaml", scenario_text())).scenario)
    events = recording(engine)
    engine.finish()
    got = deliveries(events)
    # uncontained from +0:40; units 300 at +0:30 (10/min), so still-bad holds from +0:40
    assert got["escalate-now"] == [40]
    assert engine.meters.rate("units") == 30  # the rate rule through the name, last wins
    assert "calm" not in got


def test_containing_in_time_keeps_both_closed(write: Callable[[str, str], Path]) -> None:
    engine = Engine(load(write("s.yaml", scenario_text())).scenario)
    events = recording(engine)
    act(engine, 20, "technical_lead", "contain", method="fallback")
    engine.finish()
    got = deliveries(events)
    assert "escalate-now" not in got
    assert got["calm"] == [45]  # not uncontained from +0:40, plus the delay


def test_the_name_is_shown_and_the_definition_read_through(
    write: Callable[[str, str], Path],
) -> None:
    s = load(write("s.yaml", scenario_text())).scenario
    inj = s.inject("escalate-now")
    assert inj is not None and describe(inj.when) == "still-bad"
    assert [type(leaf).__name__ for leaf in leaves(inj.when)] == ["NotDone", "MeterAbove"]


@pytest.mark.parametrize(
    ("edit", "needle", "words"),
    [
        (
            lambda t: t.replace("{condition: still-bad}, to", "{condition: stil-bad}, to"),
            "stil-bad",
            "unknown condition 'stil-bad'; expected one of: uncontained, still-bad",
        ),
        (
            lambda t: t.replace(
                'uncontained: {not_done: contain, by: "+0:40"}',
                'uncontained: {any: [{not_done: contain, by: "+0:40"}, {condition: still-bad}]}',
            ),
            "{condition: still-bad}]",
            "refers to itself",
        ),
        (
            lambda t: t.replace("  uncontained:", "  Uncontained:"),
            "Uncontained",
            "not an id",
        ),
    ],
)
def test_bad_references_are_placed(
    write: Callable[[str, str], Path], edit: Callable[[str], str], needle: str, words: str
) -> None:
    text = edit(scenario_text())
    path = write("s.yaml", text)
    with pytest.raises(InputError) as info:
        load(path)
    line, _ = position_of(text, needle)
    got = [str(p) for p in info.value.problems]
    assert any(f"s.yaml:{line}:" in p and words in p for p in got), got


def test_the_handbook_defines_each_name_once(write: Callable[[str, str], Path]) -> None:
    from drillbook.reports.brief import handbook

    book = handbook(load(write("s.yaml", scenario_text())).scenario)
    assert book.conditions == [
        ("uncontained", "contain not done by +0:40"),
        ("still-bad", "(uncontained) and (units > 300)"),
    ]
    assert any(b.trigger == "still-bad" for b in book.branches)
