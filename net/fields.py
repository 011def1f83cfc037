"""What each field of a command a seat sends may hold, checked before the command is built.

A record (a note, a rating, a lesson) or a change to the MSEL is journaled field for field, so
anything a seat adds would be a journal line's field: the journal's own (``wall``, ``hash``), a
name colliding with the engine's arguments, a value of a kind the scorer or the report does not
expect. Only the fields the consoles write are taken, each of its kind (docs/protocol.md).
"""

from __future__ import annotations

from typing import Any

from drillbook.simulator.events import Kind

MAX_TEXT = 4000  # characters of one note, lesson or message a seat sends
MAX_NAME = 200  # characters of a name a seat sends (a capability, a channel, an inject id)

# What each field a seat may send holds: (test, what it should be).
_Field = tuple[Any, str]
_TEXT: _Field = (
    lambda v: isinstance(v, str) and len(v) <= MAX_TEXT,
    f"text of {MAX_TEXT} characters or fewer",
)
_NAME: _Field = (
    lambda v: isinstance(v, str) and 0 < len(v) <= MAX_NAME,
    f"a name of {MAX_NAME} characters or fewer",
)
_NUMBER: _Field = (lambda v: isinstance(v, int | float) and not isinstance(v, bool), "a number")
_SEQ: _Field = (
    lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
    "an event number",
)
_ROLES: _Field = (
    lambda v: isinstance(v, list) and 0 < len(v) <= 64 and all(_NAME[0](r) for r in v),
    "a list of role ids",
)
_WHEN: _Field = (lambda v: v is None or _NUMBER[0](v), "a number of minutes (or null: now)")
_FLAG: _Field = (lambda v: isinstance(v, bool), "true or false")
_QUESTION: _Field = (lambda v: _SEQ[0](v) or _NAME[0](v), "a discussion question")
# The records' fields, as the consoles write them (tui: the note and rating dialogs, the hot
# wash's lessons); ``None`` is taken for any field left empty.
RECORDS: dict[str, dict[str, _Field]] = {
    Kind.EVALUATOR_NOTE: {"text": _TEXT, "capability": _NAME, "about": _NAME},
    Kind.RATING: {"rating": _NAME, "capability": _NAME, "note": _TEXT},
    Kind.LESSON: {"text": _TEXT, "capability": _NAME, "question": _QUESTION, "plan_change": _FLAG},
}
# The facilitator's changes to the MSEL, by verb (all required, but a reply's ``reply_to``).
CHANGES: dict[str, dict[str, _Field]] = {
    "adhoc": {
        "to": _ROLES,
        "channel": _NAME,
        "title": _TEXT,
        "body": _TEXT,
        "due": _WHEN,
        "reply_to": _SEQ,
    },
    "retime": {"inject": _NAME, "due": _NUMBER},
    "cancel": {"inject": _NAME},
}
_OPTIONAL = frozenset({"reply_to"})


def field_problem(
    body: dict[str, Any], spec: dict[str, _Field], known: tuple[str, ...], what: str
) -> str | None:
    """What is wrong with ``body``'s fields, or None: each is one of ``spec`` (or ``known``)
    and holds what it should, and a change to the MSEL has all of its fields. ``what`` names
    the command in the line ("evaluator_note", "facilitator adhoc")."""
    for name, value in body.items():
        if name in known:
            continue
        field = spec.get(name)
        if field is None:
            expected = ", ".join(spec) or "no fields"
            return f"{shown(name)} is not a field of this {what}; expected {expected}"
        if value is None and (name in _OPTIONAL or body.get("type") in RECORDS):
            continue
        if not field[0](value):
            return f"'{name}' in this {what} is not {field[1]}"
    if body.get("type") == Kind.FACILITATOR:
        missing = [n for n in spec if n not in body and n not in _OPTIONAL]
        if missing:
            return f"this {what} is without {', '.join(missing)}"
    return None


def shown(value: Any) -> str:
    """A value a seat sent, for a refusal and the host's log line: quoted and cut short (a
    type or a role can be any text up to the frame's size)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "…"
