"""Times as people in the room say them: ``+0:30``, ``Wed 09:00``, ``day 3 09:00``, ``09:00``.

The forms used to take only the scenario format's ``"+H:MM"`` and answered a slip with
``expected '+H:MM' (quoted)`` — YAML's words inside a form field. A facilitator re-timing an
inject or a player setting a due date thinks in the story's clock, so every time box takes an
offset *or* a day and time of the story, and says what to type in the form's own words. Day 1
is the day the story starts (the clock bar shows the same day numbers).

No Textual here: the dialogs and the action form call :func:`parse_story_time`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from drillbook.formats.limits import MAX_STORY_MINUTES
from drillbook.formats.offsets import fmt_offset, parse_offset
from drillbook.scenarios.model import Scenario

DAY_MINUTES = 24 * 60
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EXAMPLES = "+0:30, Wed 09:00 or day 3 09:00"
_HHMM = r"([01]?\d|2[0-3]):([0-5]\d)"
_DAY_N = re.compile(rf"^day\s+(\d{{1,4}})\s+{_HHMM}$", re.IGNORECASE)
_WEEKDAY = re.compile(rf"^([a-z]{{3}})[a-z]*\.?\s+{_HHMM}$", re.IGNORECASE)
_TIME = re.compile(rf"^{_HHMM}$")
_ISO_DATE = re.compile(rf"^(\d{{4}})-(\d{{2}})-(\d{{2}})(?:[ T]{_HHMM})?$")
# A calendar date typed alone (an action item's due date) means the start of that working day.
DATE_ONLY_HOUR = 9


class StoryTimeError(ValueError):
    """A time the form cannot read, or one it may not take; the message says what to type."""


def day_number(scenario: Scenario, minutes: float) -> int:
    """Day 1 is the story's first day; the day changes at the story's midnight."""
    return scenario.story_clock.day_number(minutes)


def day_label(scenario: Scenario, minutes: float) -> str:
    """``day 3 Thu 09:00`` (or ``day 3 Wed 4 Oct 09:00`` for a story with a calendar date):
    the scenario's one story clock, with the day number the console shows."""
    return scenario.story_clock.with_day(minutes)


def _at(scenario: Scenario, day: int, hour: int, minute: int) -> int:
    """Minutes from the start to ``hour:minute`` on story day ``day`` (day 1 = the first)."""
    start = scenario.start_datetime
    first_midnight = start.hour * 60 + start.minute
    return (day - 1) * DAY_MINUTES + hour * 60 + minute - first_midnight


def parse_story_time(
    text: str, scenario: Scenario, now: float = 0.0, *, not_before_now: bool = True
) -> int | None:
    """Minutes from the start for what was typed; blank is ``None`` (the caller's "now").

    ``09:00`` and ``Wed 09:00`` mean the next such time from ``now`` (today's, if it has not
    passed); ``day 3 09:00`` and ``+H:MM`` (or whole minutes) are exact. A time before ``now``
    is refused when ``not_before_now``, saying what now is.
    """
    typed = " ".join(text.strip().split())
    if not typed:
        return None
    minutes = _read_date(typed, scenario)
    if minutes is None:
        minutes = _read(typed, scenario, now)
    if minutes is None:
        raise StoryTimeError(f"'{typed}' is not a time; type one like {_examples(scenario)}")
    if minutes < 0:
        raise StoryTimeError(
            f"{typed} is before the story starts ({scenario.story_clock.label(0)}); "
            f"type a time from then on, like {_examples(scenario)}"
        )
    if minutes > MAX_STORY_MINUTES:
        raise StoryTimeError(f"{typed} is beyond the longest story drillbook plays")
    if not_before_now and minutes < int(now):
        raise StoryTimeError(
            f"{typed} ({day_label(scenario, minutes)}) has passed: it is now "
            f"{day_label(scenario, now)} ({fmt_offset(now)}); type a later time, "
            f"or leave it blank for now"
        )
    return minutes


def _examples(scenario: Scenario) -> str:
    return EXAMPLES + (", or a date like 2027-01-15" if scenario.date is not None else "")


def _read_date(typed: str, scenario: Scenario) -> int | None:
    """``2027-01-15`` (09:00 that day) or ``2027-01-15 14:00``, for a story with a calendar
    date; a story without one says so rather than guessing which week is meant."""
    m = _ISO_DATE.match(typed)
    if m is None:
        return None
    if scenario.date is None:
        raise StoryTimeError(
            f"{typed} is a calendar date, but this story has none (it starts "
            f"{scenario.start_label}); type a time like {EXAMPLES}"
        )
    hour = int(m.group(4)) if m.group(4) else DATE_ONLY_HOUR
    minute = int(m.group(5)) if m.group(5) else 0
    try:
        wanted = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), hour, minute)
    except ValueError:
        raise StoryTimeError(
            f"{typed} is not a date on the calendar; type one like 2027-01-15"
        ) from None
    return int((wanted - scenario.start_datetime).total_seconds() // 60)


def _read(typed: str, scenario: Scenario, now: float) -> int | None:
    if typed.startswith("+") or typed.isdigit():
        try:
            return parse_offset(int(typed) if typed.isdigit() else typed)
        except ValueError:
            return None
    today = day_number(scenario, now)
    if m := _DAY_N.match(typed):
        return _at(scenario, int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _TIME.match(typed):
        hour, minute = int(m.group(1)), int(m.group(2))
        at = _at(scenario, today, hour, minute)
        return at if at >= int(now) else _at(scenario, today + 1, hour, minute)
    if (m := _WEEKDAY.match(typed)) and m.group(1).lower() in WEEKDAYS:
        hour, minute = int(m.group(2)), int(m.group(3))
        wanted = WEEKDAYS.index(m.group(1).lower())
        start = scenario.start_datetime
        for day in range(today, today + 8):  # the next such weekday, today's if not passed
            at = _at(scenario, day, hour, minute)
            if (start + timedelta(minutes=at)).weekday() == wanted and at >= int(now):
                return at
    return None
