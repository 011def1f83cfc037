"""Every message the screens exchange, as small dataclasses (one place to read them all).

The session calls back synchronously while the clock ticks or a decision is applied; the
callbacks only post these messages, so widgets update on Textual's own loop, in order, and a
burst of clock ticks collapses into one (``can_replace``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class JournalEvent(Message):
    """A journal event this seat may see (already filtered by the session for players)."""

    event: dict[str, Any]


@dataclass
class ClockMoved(Message):
    """The story clock moved or changed state; only the latest one matters."""

    now: float

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ClockMoved)


@dataclass
class DecisionMade(Message):
    """A decision form was filled in: ``action`` is the action's data, checked against the contract."""

    role: str
    action: dict[str, Any]


@dataclass
class ScorecardChanged(Message):
    """The scorer re-read the journal (facilitator only: players never receive scores)."""

    scorecard: Any
