"""The one vocabulary of a run: what an event is, the kinds there are, and who is who.

Three things are called "event" near here. Here, and everywhere in drillbook outside the
engine's internals, an **event** is one line of the journal: a dict with ``seq``, ``type``
and ``sim`` (minutes since the story began) and the fields of its kind. SimPy's events are
the engine's *wake-ups* (``simulator.wakeup``); Textual's are *messages* (``tui.messages``).

The kinds are a :class:`~enum.StrEnum`, so a kind *is* the string the journal holds:
``Kind.DECISION == "action_taken"`` and ``json.dumps`` writes it as such. Journals written
before this module existed therefore read the same, and a kind a newer drillbook writes is
still a readable event (its ``type`` is simply not one of these).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

Event = dict[str, Any]

FACILITATOR = "facilitator"  # the facilitator's seat; roles are the scenario's own ids
EPSILON = 1e-9  # sim times closer than this are the same instant (float sums of minutes)


class Kind(StrEnum):
    """The ``type`` of a journal event."""

    # the header and the end, both the engine's
    RUN_STARTED = "run_started"
    RUN_ENDED = "run_ended"
    # story events: what the engine delivers, and the inputs that change the story
    INJECT_DELIVERED = "inject_delivered"
    DECISION = "action_taken"
    FACILITATOR = "facilitator"  # an ad-hoc inject, a re-timing or a cancellation
    # records: journaled in order, changing nothing in the story
    CLOCK = "clock"
    EVALUATOR_NOTE = "evaluator_note"
    RATING = "rating"
    LESSON = "lesson"
    HOTWASH_STARTED = "hotwash_started"
    # the consoles' own state, so a resumed run looks like the moment before the crash
    INJECT_READ = "inject_read"  # a role opened a delivered inject
    SEAT_TAKEN = "seat_taken"  # a console switched to a seat
    CLOCK_MARK = "clock_mark"  # where a running clock stood


# Events the engine produces itself; every other event is an input that replay applies again.
ENGINE_KINDS = frozenset({Kind.INJECT_DELIVERED, Kind.RUN_ENDED})
# Inputs that change the story; the rest of the inputs are records.
STORY_INPUTS = frozenset({Kind.DECISION, Kind.FACILITATOR})
# Records the facilitator's console and a transcript's evaluators write.
EVALUATOR_RECORDS = frozenset({Kind.EVALUATOR_NOTE, Kind.RATING, Kind.LESSON})


class Verb(StrEnum):
    """The ``verb`` of a facilitator change (``Kind.FACILITATOR``)."""

    ADHOC = "adhoc"
    RETIME = "retime"
    CANCEL = "cancel"


class ClockVerb(StrEnum):
    """The ``verb`` of a clock record (``Kind.CLOCK``)."""

    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    SPEED = "speed"
    JUMP = "jump"
