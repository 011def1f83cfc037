"""Times as people say them, and one story clock for console, tables and report axis.

A story with a calendar ``date`` shows it everywhere the console shows a time (``day 3 Thu
3 Dec 09:00``) and takes a date where a form asks for a time (``2026-12-15``); one without a
date says so instead of guessing the week.
"""

from __future__ import annotations

from datetime import date

import pytest
from drillbook.reports.timeline import story_clock as axis_clock
from drillbook.scenarios import library, load
from drillbook.tui.format import at_label, story_clock
from drillbook.tui.story_time import StoryTimeError, parse_story_time

FLAGSHIP = load(library.resolve(library.FLAGSHIP)).scenario  # starts Tue 03:47, no date
DATED = FLAGSHIP.model_copy(update={"date": date(2026, 12, 1)})  # a Tuesday


def test_the_console_clock_carries_the_day_and_the_date_when_the_story_has_one() -> None:
    assert story_clock(FLAGSHIP, 25).startswith("day 1 Tue 04:12 · T+0:25")
    assert story_clock(DATED, 25).startswith("day 1 Tue 1 Dec 04:12 · T+0:25")
    assert story_clock(DATED, 48 * 60).startswith("day 3 Thu 3 Dec 03:47")


def test_table_cells_and_the_report_axis_tell_the_days_apart() -> None:
    assert at_label(FLAGSHIP, 25) == "04:12"
    assert at_label(FLAGSHIP, 168 * 60) == "d8 Tue 03:47"
    assert at_label(DATED, 168 * 60) == "Tue 8 Dec 03:47"
    undated, dated = axis_clock(FLAGSHIP.start_label), axis_clock(DATED.start_label)
    assert undated(60) == "Tue 04:47" and undated(504 * 60) == "d22 Tue 03:47"
    assert dated(504 * 60) == "Tue 22 Dec 03:47" != dated(168 * 60)


def test_a_form_takes_a_calendar_date_in_a_dated_story() -> None:
    due = parse_story_time("2026-12-15", DATED, now=30)
    assert DATED.story_clock.label(due) == "Tue 15 Dec 09:00"  # a date alone: 09:00 that day
    assert DATED.story_clock.label(parse_story_time("2026-12-02 14:30", DATED)) == "Wed 2 Dec 14:30"
    with pytest.raises(StoryTimeError, match="not a date on the calendar"):
        parse_story_time("2026-02-30", DATED)
    with pytest.raises(StoryTimeError, match="has passed"):
        parse_story_time("2026-12-01 04:00", DATED, now=30, not_before_now=True)
    with pytest.raises(StoryTimeError, match=r"before the story starts \(Tue 1 Dec 03:47\)"):
        parse_story_time("2026-11-30", DATED)


def test_a_story_without_a_date_says_so_rather_than_guess_the_week() -> None:
    with pytest.raises(StoryTimeError, match="this story has none"):
        parse_story_time("2027-01-15", FLAGSHIP)
    assert parse_story_time("day 3 09:00", FLAGSHIP) == 2 * 24 * 60 + (9 * 60 - (3 * 60 + 47))
