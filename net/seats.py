"""Seats and their join codes, and what each seat may see — decided on the host, before sending.

A seat is one console at the table: a role of the scenario, the facilitator, an evaluator
(``evaluator-1``…) or an observer (``observer-1``…). Each has one random code of 192 bits
(``secrets.token_urlsafe(24)``). Codes are kept in a file beside the journal (mode 0600), so a
host restarted with ``--resume`` hands out the same ones and seats reconnect by themselves.

What a seat sees (:func:`seat_event`), from the journal's events:

- the **facilitator**: everything;
- a **role**: what ``visible_to``/``player_view`` allow — its own injects and decisions,
  the clock, the header and the end, never another role's inject, meters or the MSEL;
- an **evaluator**: the header, every delivered inject and decision, the clock, notes,
  ratings, lessons and the hot wash, and the end without meters — never the facilitator's
  MSEL edits (ad-hoc injects, re-timings, cancellations) or meters;
- an **observer**: the *public story* only — the header, the clock, the end without meters,
  and injects that are public: on the ``news`` or ``social`` channel, or delivered to every
  role in play at once. No decision, no private inject, no note, no score.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drillbook.net.wire import SeatKind
from drillbook.simulator.events import FACILITATOR, Event, Kind
from drillbook.simulator.session import player_view, visible_to

PUBLIC_CHANNELS = frozenset({"news", "social"})
_EVALUATOR_KINDS = frozenset(
    {
        Kind.RUN_STARTED,
        Kind.INJECT_DELIVERED,
        Kind.DECISION,
        Kind.CLOCK,
        Kind.EVALUATOR_NOTE,
        Kind.RATING,
        Kind.LESSON,
        Kind.HOTWASH_STARTED,
        Kind.RUN_ENDED,
    }
)
_OBSERVER_KINDS = frozenset({Kind.RUN_STARTED, Kind.CLOCK, Kind.RUN_ENDED})


@dataclass(frozen=True)
class Seat:
    """One console: ``name`` is what codes are keyed by (a role id, ``facilitator``,
    ``evaluator-2``); ``kind`` says what it may see and send; ``role`` is the role it plays."""

    name: str
    kind: str

    @property
    def role(self) -> str | None:
        """The role a role seat decides for (None for every other seat)."""
        return self.name if self.kind == SeatKind.ROLE else None

    @property
    def view_role(self) -> str:
        """The seat as a ``SessionLike`` role argument (``facilitator`` for the facilitator)."""
        return FACILITATOR if self.kind == SeatKind.FACILITATOR else self.name


def seats_for(roles: list[str], evaluators: int = 0, observers: int = 0) -> list[Seat]:
    """Every seat of one exercise, facilitator first."""
    seats = [Seat(FACILITATOR, SeatKind.FACILITATOR)]
    seats += [Seat(r, SeatKind.ROLE) for r in roles]
    seats += [Seat(f"evaluator-{i}", SeatKind.EVALUATOR) for i in range(1, evaluators + 1)]
    seats += [Seat(f"observer-{i}", SeatKind.OBSERVER) for i in range(1, observers + 1)]
    return seats


def kind_of(name: str, roles: list[str]) -> str | None:
    if name == FACILITATOR:
        return SeatKind.FACILITATOR
    if name in roles:
        return SeatKind.ROLE
    for kind in (SeatKind.EVALUATOR, SeatKind.OBSERVER):
        prefix, _, number = name.partition("-")
        if prefix == kind and number.isdigit():
            return kind
    return None


def new_code() -> str:
    return secrets.token_urlsafe(24)


class SeatCodes:
    """The join code of every seat; revoking a seat's code issues it a new one."""

    def __init__(self, seats: list[Seat], codes: dict[str, str] | None = None) -> None:
        self.seats = {s.name: s for s in seats}
        given = codes or {}
        self._code = {name: given.get(name) or new_code() for name in self.seats}

    def codes(self) -> dict[str, str]:
        return dict(self._code)

    def seat_for(self, code: str) -> Seat | None:
        """The seat a code opens (compared in constant time), or None."""
        found = None
        for name, known in self._code.items():
            if secrets.compare_digest(known.encode(), code.encode()):
                found = self.seats[name]
        return found

    def reissue(self, name: str) -> str:
        """Revoke ``name``'s code and give it a fresh one (the host closes its connection)."""
        if name not in self.seats:
            raise KeyError(name)
        self._code[name] = new_code()
        return self._code[name]

    def write(self, path: Path) -> None:
        """The codes as JSON, ``{"seat": "code"}``, readable by the owner only (0600), written
        to a new file renamed into place so a reader never sees half of it."""
        tmp = path.with_name(f".{path.name}.tmp")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)  # a stale one (or a planted link) is never written through
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(tmp, flags, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self._code, f, indent=2)
            f.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)


def read_codes(path: Path) -> dict[str, str]:
    """Codes a host wrote before (``--resume``); anything not a mapping of text is refused."""
    if path.stat().st_size > 1 << 20:
        raise ValueError(f"{path}: too large for a seat-code file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ValueError(f"{path}: not a seat-code file; expected {{'seat': 'code'}}")
    return data


def codes_path(journal: Path) -> Path:
    """Where a host keeps its seats' codes: beside the journal, hidden."""
    return journal.with_name(f".{journal.name}.codes.json")


def is_public(event: Event, roles: list[str]) -> bool:
    """A delivered inject the outside world could see: news or social, or sent to all."""
    if event["type"] != Kind.INJECT_DELIVERED:
        return False
    return event.get("channel") in PUBLIC_CHANNELS or set(roles) <= set(event.get("to", ()))


def seat_event(event: Event, seat: Seat, roles: list[str]) -> Event | None:
    """The part of ``event`` this seat may receive, or None (filtering happens before send)."""
    kind = seat.kind
    if kind == SeatKind.FACILITATOR:
        return event
    if kind == SeatKind.ROLE:
        return player_view(event) if visible_to(event, seat.name) else None
    typ = event["type"]
    if kind == SeatKind.EVALUATOR:
        return _public_view(event) if typ in _EVALUATOR_KINDS else None
    if typ in _OBSERVER_KINDS or is_public(event, roles):
        return _public_view(event)
    return None


def _public_view(event: Event) -> Event:
    """An event with nothing a non-facilitator may not read: the header's and the end's
    player view (no meters, no plan or client paths); a delivery without its finding source."""
    if event["type"] in (Kind.RUN_STARTED, Kind.RUN_ENDED):
        return player_view(event)
    return event


def seat_history(events: list[Event], seat: Seat, roles: list[str], after: int = -1) -> list[Any]:
    """What ``seat`` may see of ``events`` with ``seq`` > ``after`` (a reconnecting seat's)."""
    out = []
    for event in events:
        if event["seq"] > after:
            shown = seat_event(event, seat, roles)
            if shown is not None:
                out.append(shown)
    return out
