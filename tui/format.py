"""Words and labels the screens show, kept free of Textual so they can be tested on their own.

Every screen reads the clock, a role or a verdict the same way; putting the wording here keeps
the facilitator console and the role consoles consistent, and keeps the screens about layout.

It is also the one door for text that someone else wrote — a scenario, a client profile, a
journal, a roster, a player typing — on its way to a widget: :func:`plain` makes it a Rich
``Text`` (never parsed as markup, so ``[/i]`` is four characters, not a crash) with every
control character made visible (:func:`clean`), so ``ESC ] 0 ; … BEL`` cannot retitle the
terminal and a bidi override cannot reorder what a player reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drillbook.formats.offsets import fmt_duration, fmt_offset
from drillbook.scenarios.model import Scenario
from drillbook.scenarios.vocabulary import ROLE_TITLES, describe
from drillbook.scoring.status import status_rank
from drillbook.simulator.events import FACILITATOR
from drillbook.tui.story_time import day_label, day_number
from rich.text import Text

# Seats at the table: the facilitator's, then one per role in play.
CHANNEL_MARKS = {
    "pager": "PAGE",
    "phone": "CALL",
    "email": "MAIL",
    "chat": "CHAT",
    "dashboard": "DASH",
    "news": "NEWS",
    "social": "SOCL",
    "ticket": "TCKT",
}


def _control_pictures() -> dict[int, str]:
    """Code point → what is shown instead: C0 (but tab and newline) and DEL as their Unicode
    control pictures (``␛`` for ESC, ``␇`` for BEL), C1 and the invisible bidi controls as a
    ``⟨U+202E⟩`` tag, so a reader sees that something was there and the terminal obeys none."""
    table: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
    table[0x7F] = "\u2421"  # ␡
    bidi = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    for c in [*range(0x80, 0xA0), *bidi]:
        table[c] = f"⟨U+{c:04X}⟩"
    table[0x2028] = table[0x2029] = "\n"  # line and paragraph separators: a line break
    return table


CONTROL_PICTURES = _control_pictures()


def clean(text: object) -> str:
    """``text`` with no character a terminal would obey: Windows line ends become ``\n``,
    every other control character is shown (see :data:`CONTROL_PICTURES`)."""
    return str(text).replace("\r\n", "\n").translate(CONTROL_PICTURES)


def plain(text: object, style: str = "") -> Text:
    """Someone else's text as a widget shows it: literal characters, never markup."""
    return Text(clean(text), style=style)


def styled(*parts: str | tuple[str, str]) -> Text:
    """A line the app composes around someone else's text: ``("Set up the run", "bold"),
    " — ", title``. Every part is :func:`clean`-ed and none is read as markup, which an
    f-string with ``[b]…[/b]`` around a title cannot promise."""
    out = Text()
    for part in parts:
        text, style = (part, "") if isinstance(part, str) else part
        out.append(clean(text), style=style or None)
    return out


def role_title(role: str, scenario: Scenario | None = None) -> str:
    """How people name a seat: the scenario's own title for a role of its own (``Government
    affairs``), else the article's (``Incident Commander``), else the id."""
    if role == FACILITATOR:
        return "Facilitator"
    return scenario.role_title(role) if scenario is not None else ROLE_TITLES.get(role, role)


def seat_label(role: str, roster: dict[str, str], scenario: Scenario | None = None) -> str:
    """``Incident Commander (Dana)`` — the title, and the person if the roster names one."""
    person = roster.get(role)
    title = role_title(role, scenario)
    return f"{title} ({person})" if person else title


def story_clock(scenario: Scenario, minutes: float) -> str:
    """The clock as players read it: ``day 1 Tue 04:12 · T+0:25`` (day 1 is the first day,
    so ``+168:00`` and ``+504:00`` no longer both read ``Tue 03:47``)."""
    return f"{day_label(scenario, minutes)} · T{fmt_offset(minutes)}"


def at_label(scenario: Scenario, minutes: float | None) -> str:
    """Story time for a player's table cell: ``04:12``, or ``d2 Wed 05:47`` after the first
    day (a weekday alone repeats every week)."""
    if minutes is None:
        return "—"
    return scenario.story_clock.short(minutes)


def offset_label(minutes: float | None, scenario: Scenario | None = None) -> str:
    """Time for the facilitator's tables, in the MSEL's own terms: ``+0:25``; with the
    scenario, after the first day the day number too: ``+48:00 d3``."""
    if minutes is None:
        return "—"
    day = day_number(scenario, minutes) if scenario is not None else 1
    return fmt_offset(minutes) + (f" d{day}" if day > 1 else "")


def decision_words(scenario: Scenario, action: str, params: dict[str, Any]) -> str:
    """A decision in words, its times as the story's (``when +48:00 (day 3 Thu 03:47)``)
    rather than the journal's minutes (``when=2880``)."""
    from drillbook.tui.widgets.form_fields import offset_fields

    shown = dict(params)
    for name in offset_fields(action):
        value = shown.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            shown[name] = f"{fmt_offset(value)} ({day_label(scenario, value)})"
    return describe(action, shown)


def clock_state(running: bool, started: bool, speed: float, ended: bool) -> str:
    if ended:
        return "■ ended"
    if running:
        return f"▶ running ×{speed:g}"
    return f"⏸ paused ×{speed:g}" if started else f"not started ×{speed:g}"


def channel_mark(channel: str) -> str:
    return CHANNEL_MARKS.get(channel, channel[:4].upper())


def timing(late_by: float | None) -> str:
    """How early or late a step was against its window: ``12 min late``, ``3 min early``."""
    if late_by is None:
        return ""
    if abs(late_by) < 0.5:
        return "on time"
    return f"{fmt_duration(abs(late_by))} {'late' if late_by > 0 else 'early'}"


def verdict_text(verdicts: Iterable[Any]) -> str:
    """One cell for a decision's verdicts: the worst outcome and its rule first, with its
    timing: ``met escalate-ic, 57 min early (+1 rule)``."""
    items = sorted(
        verdicts,
        key=lambda v: status_rank(v.status),
    )
    if not items:
        return "—"
    worst = items[0]
    text = worst.status.replace("_", " ")
    rule = getattr(worst, "rule", "")
    if rule:  # which step of the plan it counted for: players learn it before the report
        text = f"{text} {rule}"
    when = timing(worst.late_by)
    if when and worst.status in ("met", "late"):
        text = f"{text}, {when}"
    if len(items) > 1:
        text += f" (+{len(items) - 1} rule{'s' if len(items) > 2 else ''})"
    return text


def capability_ids(scenario: Scenario) -> list[str]:
    """The capabilities a scenario's objectives exercise, in first-mentioned order."""
    seen: dict[str, None] = {}
    for objective in scenario.objectives:
        for cap in objective.capabilities:
            seen.setdefault(cap, None)
    return list(seen)


def humanise(value: str) -> str:
    """``take_offline`` → ``take offline``; ids read better without underscores."""
    return value.replace("_", " ")


ROLE_SHORT = {
    "on_call": "OC",
    "incident_commander": "IC",
    "technical_lead": "TL",
    "communications_lead": "CL",
    "data_lead": "DL",
    "legal_advisor": "LA",
}


def roles_short(roles: Iterable[str]) -> str:
    """``on_call, data_lead`` → ``OC DL`` (the facilitator's tables are narrow)."""
    return " ".join(ROLE_SHORT.get(r, r) for r in roles)
