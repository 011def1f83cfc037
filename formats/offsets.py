"""Offsets from the start of an exercise: ``"+H:MM"`` or a whole number of minutes.

Sim time everywhere in drillbook is minutes since the scenario's start, as a float. Authors
write offsets as quoted ``"+1:30"`` (hours may exceed 24: ``"+240:00"`` is day ten) or as
whole minutes (``90``). The leading ``+`` is required in the string form so that an
unquoted ``1:30`` — which YAML 1.1 would read as the number 90 — is caught, not guessed.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from typing import Annotated, Any

from drillbook.formats.limits import MAX_STORY_MINUTES
from pydantic import BeforeValidator, WithJsonSchema

_OFFSET = re.compile(r"^\+(\d+):([0-5]\d)$")
OFFSET_PATTERN = r"^\+\d{1,4}:[0-5]\d$"


def _within_story(minutes: int, shown: str) -> int:
    """The same bound for both spellings: ``"+10000:00"`` and ``600000`` are both refused."""
    if minutes > MAX_STORY_MINUTES:
        raise ValueError(
            f"{shown} is beyond the longest story drillbook plays; expected at most "
            f'"{fmt_offset(MAX_STORY_MINUTES)}" ({MAX_STORY_MINUTES} minutes)'
        )
    return minutes


def parse_offset(value: Any) -> int:
    """Minutes for ``"+H:MM"`` or a whole number; ``ValueError`` with the rule otherwise."""
    if isinstance(value, bool):
        raise ValueError(f'{value!r} is not an offset; expected "+H:MM" or whole minutes')
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"{value} is before the start; expected 0 or more minutes")
        return _within_story(value, str(value))
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and value >= 0:
        return _within_story(int(value), str(value))
    if isinstance(value, str):
        m = _OFFSET.match(value.strip())
        if m and len(m.group(1)) <= 6:
            return _within_story(int(m.group(1)) * 60 + int(m.group(2)), f'"{value}"')
        if m:
            return _within_story(MAX_STORY_MINUTES + 1, f'"{value[:12]}…"')
        if value.strip().startswith("-"):
            raise ValueError(f'"{value}" is before the start; expected "+H:MM" from the start')
        raise ValueError(f'"{value}" is not an offset; expected "+H:MM" (quoted) or whole minutes')
    raise ValueError(f'{value!r} is not an offset; expected "+H:MM" or whole minutes')


Offset = Annotated[
    int,
    BeforeValidator(parse_offset),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": OFFSET_PATTERN},
                {"type": "integer", "minimum": 0},
            ],
            "description": 'Offset from the start: "+H:MM" (quoted) or whole minutes.',
        }
    ),
]


def fmt_offset(minutes: float | None) -> str:
    """``95.0`` → ``"+1:35"``; seconds are dropped (floor), as a player reads a clock."""
    if minutes is None:
        return "—"
    sign = "-" if minutes < 0 else "+"
    whole = int(abs(minutes) // 1)
    return f"{sign}{whole // 60}:{whole % 60:02d}"


def fmt_duration(minutes: float) -> str:
    """A length of time for people: ``25`` → ``25 min``, ``135`` → ``2 h 15 min``, days too."""
    m = round(minutes)
    if m < 60:
        return f"{m} min"
    days, rest = divmod(m, 24 * 60)
    h, mm = divmod(rest, 60)
    parts = (
        ([f"{days} d"] if days else []) + ([f"{h} h"] if h else []) + ([f"{mm} min"] if mm else [])
    )
    return " ".join(parts)


def wall_label(start: datetime, minutes: float) -> str:
    """The story clock as players read it: ``Tue 04:12`` (start + offset)."""
    t = start + timedelta(minutes=minutes)
    return t.strftime("%a %H:%M")


# A story longer than this shows day numbers: weekdays repeat after a week.
WEEK_MINUTES = 7 * 24 * 60
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class StoryClock:
    """The one formatter of the story clock, for every screen, report and command.

    Three forms, chosen by the scenario: ``Wed 09:00`` (a story within a week, no date: the
    long-standing form), ``day 3 09:00`` (a longer story: weekdays would repeat), and
    ``Wed 4 Oct 09:00`` (a scenario with a calendar ``date``). The start is written with the
    year when there is a date (``Mon 2 Oct 2023 21:30``), so a label can be read back.
    """

    def __init__(self, start: datetime, mode: str = "weekday") -> None:
        if mode not in ("weekday", "day", "date"):
            raise ValueError(f"unknown story clock '{mode}'; expected weekday, day or date")
        self.start = start
        self.mode = mode

    def label(self, minutes: float) -> str:
        t = self.start + timedelta(minutes=minutes)
        if self.mode == "date":
            return f"{t:%a} {t.day} {_MONTHS[t.month - 1]} {t:%H:%M}"
        if self.mode == "day":
            return f"day {(t.date() - self.start.date()).days + 1} {t:%H:%M}"
        return t.strftime("%a %H:%M")

    def start_label(self) -> str:
        if self.mode == "date":
            t = self.start
            return f"{t:%a} {t.day} {_MONTHS[t.month - 1]} {t.year} {t:%H:%M}"
        return self.label(0)

    def day_number(self, minutes: float) -> int:
        """Day 1 is the story's first day; the day changes at the story's midnight."""
        return ((self.start + timedelta(minutes=minutes)).date() - self.start.date()).days + 1

    def with_day(self, minutes: float) -> str:
        """The console's clock: the day number beside the story's own label —
        ``day 3 Thu 09:00``, ``day 3 Wed 4 Oct 09:00``, or ``day 3 09:00``."""
        label = self.label(minutes)
        return label if self.mode == "day" else f"day {self.day_number(minutes)} {label}"

    def short(self, minutes: float) -> str:
        """A table cell or an axis label: the time alone on the first day, then what tells
        the days apart — ``d2 Wed 05:47``, ``Wed 4 Oct 05:47``, ``day 2 05:47``."""
        t = self.start + timedelta(minutes=minutes)
        day = self.day_number(minutes)
        if day == 1:
            return f"{t:%H:%M}"
        if self.mode == "weekday":
            return f"d{day} {self.label(minutes)}"
        return self.label(minutes)

    def day_part(self, minutes: float) -> str:
        """The label without its time of day (``Wed``, ``day 3``, ``Wed 4 Oct``)."""
        return self.label(minutes).rsplit(" ", 1)[0]

    @classmethod
    def parse(cls, start_label: str) -> StoryClock:
        """The clock whose :meth:`start_label` this is (for readers that keep only the text)."""
        parts = start_label.split()
        hh, mm = (int(x) for x in parts[-1].split(":"))
        if parts[0] == "day":
            return cls(datetime(2024, 1, 1, hh, mm), "day")
        if len(parts) == 5:
            day, month, year = int(parts[1]), _MONTHS.index(parts[2]) + 1, int(parts[3])
            return cls(datetime(year, month, day, hh, mm), "date")
        weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun").index(parts[0][:3])
        return cls(datetime(2024, 1, 1 + weekday, hh, mm), "weekday")
