"""What a front end may know of a run: the ``SessionLike`` protocol, snapshots and seat views.

The screens are written against this protocol only, never against :class:`Session`, its
engine or its clock. A local session satisfies it by being the run; a networked one will
satisfy it by relaying commands to a host and events back, and the screens will not change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from drillbook.simulator.events import FACILITATOR, Event

if TYPE_CHECKING:
    from drillbook.scenarios.model import Scenario
    from drillbook.simulator.commands import Command
    from drillbook.simulator.session import RunSettings

Unsubscribe = Callable[[], None]


@dataclass(frozen=True)
class Snapshot:
    """The run as one seat sees it at one moment.

    ``now`` is the story time on the seat's clock (what a clock bar shows); ``reached`` is
    how far the story has actually run. The anchor (sim time, wall time) and ``speed`` are
    what a console's own clock runs from between events. ``meters`` and ``upcoming`` (the
    MSEL ahead) are the facilitator's only: empty for every other seat.
    """

    role: str
    now: float
    reached: float
    speed: float
    running: bool
    started: bool
    ended: bool
    anchor_sim: float
    anchor_wall: float
    meters: dict[str, float] = field(default_factory=dict)
    upcoming: tuple[dict[str, Any], ...] = ()


@runtime_checkable
class SessionLike(Protocol):
    """One exercise in progress, as every front end uses it."""

    @property
    def scenario(self) -> Scenario: ...

    @property
    def settings(self) -> RunSettings: ...

    @property
    def ended(self) -> bool: ...

    @property
    def journal_path(self) -> Path | None: ...

    def apply(self, command: Command, *, at: float | None = None) -> Event | None:
        """The only way to change the run (raises ``ActionRejected``: nothing recorded)."""
        ...

    def tick(self) -> None:
        """Let the run catch up with the wall clock and deliver what fell due."""
        ...

    def history(self, role: str = FACILITATOR) -> list[Event]: ...

    def subscribe(
        self, callback: Callable[[Event], None], role: str = FACILITATOR
    ) -> Unsubscribe: ...

    def snapshot(self, role: str = FACILITATOR) -> Snapshot: ...

    def view(self, role: str) -> SeatView: ...


@dataclass(frozen=True)
class SeatView:
    """One seat's window on a session: its history, its subscription and its snapshot."""

    session: SessionLike
    role: str

    def history(self) -> list[Event]:
        return self.session.history(self.role)

    def subscribe(self, callback: Callable[[Event], None]) -> Unsubscribe:
        return self.session.subscribe(callback, self.role)

    def snapshot(self) -> Snapshot:
        return self.session.snapshot(self.role)
