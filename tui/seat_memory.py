"""What the app remembers per seat between screens — read marks — and the records that keep it.

Split from the app so the app stays about the run; the records themselves are described in
:mod:`drillbook.tui.desk_state`. A mixin of the app: it reads ``session`` and ``read``.
"""

from __future__ import annotations

from typing import Any

from drillbook.simulator.events import FACILITATOR
from drillbook.tui import desk_state as desk


class SeatMemory:
    """Unread counts and read marks for the role seats, journaled as records."""

    session: Any
    read: dict[str, set[int]]

    def unread(self, role: str) -> int:
        """What is on ``role``'s desk (injects, escalations to it) and not yet opened."""
        if self.session is None or role == FACILITATOR:
            return 0
        seen = self.read[role]
        return sum(
            1
            for e in self.session.history(role)
            if e["seq"] not in seen and desk.desk_item(e, role) is not None
        )

    def mark_read(self, role: str, seq: int) -> bool:
        """Note that ``role`` has read the item delivered as ``seq``; journaled (once) so a
        resume keeps the mark. Returns whether it was unread."""
        if seq in self.read[role]:
            return False
        self.read[role].add(seq)
        self.record(desk.INJECT_READ, role=role, inject_seq=seq)
        return True

    def record(self, kind: str, **fields: Any) -> None:
        """Journal one of the consoles' own records (see ``desk_state``); quietly nothing
        once the run has ended: a read mark is not worth a warning."""
        if self.session is not None and not self.session.ended:
            from drillbook.simulator import commands  # not needed before play: see tui.app

            self.session.apply(commands.Record(kind, fields))
