"""What the consoles remember about the room, journaled as records so a resume restores it.

A crash used to come back with every inject unread, the facilitator's seat in front of
everyone and the story clock at the last decision rather than where play was. Each of these is
journaled as a *record* (``Session.record``: a line that changes nothing in the story, which
replay re-feeds in order), never as a story event, so scoring and the goldens do not move:

- ``inject_read`` ``{role, inject_seq}`` — a role opened a delivered inject;
- ``seat_taken`` ``{seat}`` — the machine passed around the room sat at another console;
- ``clock_mark`` — the running clock's position, at most every :data:`MARK_EVERY_WALL_SECONDS`
  of wall time, so a ``kill -9`` loses no more than that of play (a rebuilt run stands at its
  last journaled line, and this is the line that says where play was).

This module imports no Textual: the app calls it, and the tests can read a journal with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from drillbook.simulator.events import Kind

INJECT_READ = Kind.INJECT_READ
SEAT_TAKEN = Kind.SEAT_TAKEN
CLOCK_MARK = Kind.CLOCK_MARK
DESK_RECORDS = frozenset({INJECT_READ, SEAT_TAKEN, CLOCK_MARK})
MARK_EVERY_WALL_SECONDS = 5.0


def desk_item(event: Mapping[str, Any], role: str) -> dict[str, Any] | None:
    """What lands in ``role``'s inbox for ``event`` (already filtered for the role): a
    delivered inject as it is, another role's escalation to it as a page from that role
    (``inject`` is the inject it was about, so a reply can be ``re`` it), else None."""
    if event.get("type") == Kind.INJECT_DELIVERED:
        return dict(event)
    if event.get("type") != Kind.DECISION or event.get("role") == role:
        return None
    params = event.get("params") or {}
    if event.get("action") != "escalate" or params.get("to") != role:
        return None
    from drillbook.tui.format import role_title

    by = role_title(str(event.get("role")))
    about = params.get("re")
    body = params.get("rationale") or ""
    return {
        "seq": event["seq"],
        "sim": event["sim"],
        "type": "escalation",
        "inject": about,
        "channel": "pager",
        "sender": by,
        "title": f"Escalated to you by {by}",  # short: the inbox column is narrow
        "body": (body or f"{by} pulled you into the incident.")
        + (f"\n\nAbout: {about}" if about else ""),
    }


def read_marks(events: Iterable[Mapping[str, Any]], seats: Iterable[str]) -> dict[str, set[int]]:
    """Role → the sequence numbers of the injects it has read, from the journal so far."""
    read: dict[str, set[int]] = {seat: set() for seat in seats}
    for e in events:
        if (
            e.get("type") == INJECT_READ
            and e.get("role") in read
            and isinstance(e.get("inject_seq"), int)
        ):
            read[e["role"]].add(e["inject_seq"])
    return read


def last_seat(events: Iterable[Mapping[str, Any]], seats: Iterable[str]) -> str | None:
    """The seat the console was on when the journal stopped (None: never changed)."""
    known = set(seats)
    seat = None
    for e in events:
        if e.get("type") == SEAT_TAKEN and e.get("seat") in known:
            seat = e["seat"]
    return seat


class ClockMarks:
    """Decides when a running clock's position is worth a ``clock_mark`` line."""

    def __init__(self, every: float = MARK_EVERY_WALL_SECONDS) -> None:
        self.every = every
        self._last_wall: float | None = None
        self._last_sim: float | None = None

    def due(self, wall: float, sim: float, running: bool) -> bool:
        """Whether to journal the position now: the clock runs, the story moved since the
        last mark, and ``every`` wall seconds passed (the first call only starts the count)."""
        if not running:
            self._last_wall = None  # a paused clock's position is journaled by the pause itself
            return False
        if sim == self._last_sim:
            return False
        if self._last_wall is None:
            self._last_wall = wall
            return False
        if wall - self._last_wall < self.every:
            return False
        self._last_wall, self._last_sim = wall, sim
        return True


def wall_of(snapshot: Any) -> float:
    """The wall time a running seat's snapshot was read at, from its own anchor: the story
    moves ``speed`` minutes a wall minute from ``(anchor_sim, anchor_wall)`` (the same wall
    clock the session runs on, a fake one in tests), so no second clock is read here."""
    speed = snapshot.speed or 1.0
    return float(snapshot.anchor_wall + (snapshot.now - snapshot.anchor_sim) * 60.0 / speed)
