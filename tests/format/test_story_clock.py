"""The story clock: one formatter (``Wed 09:00``, ``day 3 09:00``, ``Wed 4 Oct 09:00``)
chosen by the scenario (``clock:``, ``date:``) and read the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from drillbook.formats.offsets import StoryClock
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios.loader import load
from enginekit import MINI, position_of

DAY = 24 * 60


@pytest.mark.parametrize(
    ("mode", "minutes", "label"),
    [
        ("weekday", 0, "Tue 03:47"),
        ("weekday", 2 * DAY + 13, "Thu 04:00"),
        ("day", 0, "day 1 03:47"),
        ("day", 20 * 60 + 13, "day 2 00:00"),
        ("day", 37 * DAY, "day 38 03:47"),
        ("date", 0, "Tue 3 Oct 03:47"),
        ("date", 30 * DAY, "Thu 2 Nov 03:47"),
    ],
)
def test_the_three_forms(mode: str, minutes: float, label: str) -> None:
    start = datetime(2023, 10, 3, 3, 47)  # a Tuesday
    clock = StoryClock(start, mode)
    assert clock.label(minutes) == label
    again = StoryClock.parse(clock.start_label())
    assert again.label(minutes) == label  # what a reader keeps of the start is enough


def with_start(extra: str) -> str:
    return MINI.replace('start: "Tue 03:47"\n', 'start: "Tue 03:47"\n' + extra)


@pytest.mark.parametrize("date", ["2023-10-03", '"2023-10-03"'])
def test_a_dated_scenario_reads_dates(write: Callable[[str, str], Path], date: str) -> None:
    s = load(write("s.yaml", with_start(f"date: {date}\n"))).scenario
    assert s.story_time(60 * 24 * 9) == "Thu 12 Oct 03:47"
    assert s.start_label == "Tue 3 Oct 2023 03:47"


def test_a_long_story_can_count_days(write: Callable[[str, str], Path]) -> None:
    s = load(write("s.yaml", with_start("clock: day\n"))).scenario
    assert s.story_time(324 * 60 + 31) == "day 14 16:18"
    assert s.start_label == "day 1 03:47"


def test_an_undated_story_reads_as_before(write: Callable[[str, str], Path]) -> None:
    s = load(write("s.yaml", MINI)).scenario
    assert (s.story_time(25), s.start_label) == ("Tue 04:12", "Tue 03:47")


@pytest.mark.parametrize(
    ("extra", "needle", "words"),
    [
        (
            'date: "2023-10-02"\n',
            "id: mini",
            'start says Tue but date 2023-10-02 is a Mon; expected start "Mon 03:47"',
        ),
        ("clock: date\n", "id: mini", "clock: date needs the calendar 'date'"),
        ('date: "2 Oct"\n', '"2 Oct"', "'2 Oct' is not a date; expected like \"2023-10-02\""),
        ("clock: weekly\n", "weekly", "expected 'weekday', 'day' or 'date'"),
    ],
)
def test_bad_clocks_are_placed(
    write: Callable[[str, str], Path], extra: str, needle: str, words: str
) -> None:
    text = with_start(extra)
    path = write("s.yaml", text)
    with pytest.raises(InputError) as info:
        load(path)
    line, _ = position_of(text, needle)
    got = [str(p) for p in info.value.problems]
    assert any(f"s.yaml:{line}:" in p and words in p for p in got), got
