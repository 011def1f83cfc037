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
from datetime import timedelta

from drillbook.formats.limits import MAX_STORY_MINUTES
from drillbook.formats.offsets import fmt_offset, parse_offset, wall_label
from drillbook.scenarios.model import Scenario

DAY_MINUTES = 24 * 60
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EXAMPLES = "+0:30, Wed 09:00 or day 3 09:00"
_HHMM = r"([01]?\d|2[0-3]):([0-5]\d)"
_DAY_N = re.compile(rf"^day\s+(\d{{1,4}})\s+{_HHMM}$", re.IGNORECASE)
_WEEKDAY = re.compile(rf"^([a-z]{{3}})[a-z]*\.?\s+{_HHMM}$", re.IGNORECASE)
_TIME = re.compile(rf"^{_HHMM}$")


class StoryTimeError(ValueError):
    """A time the form cannot read, or one it may not take; the message says what to type."""


def day_number(scenario: Scenario, minutes: float) -> int:
    """Day 1 is the story's first day; the day changes at the story's midnight."""
    start = scenario.start_datetime
    return ((start + timedelta(minutes=minutes)).date() - start.date()).days + 1


def day_label(scenario: Scenario, minutes: float) -> str:
    """``day 3 Thu 09:00`` — the day number beside the weekday and time of the story."""
    return f"day {day_number(scenario, minutes)} {wall_label(scenario.start_datetime, minutes)}"


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
    minutes = _read(typed, scenario, now)
    if minutes is None:
        raise StoryTimeError(f"'{typed}' is not a time; type one like {EXAMPLES}")
    if minutes < 0:
        raise StoryTimeError(
            f"{typed} is before the story starts ({wall_label(scenario.start_datetime, 0)}); "
            f"type a time from then on, like {EXAMPLES}"
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
