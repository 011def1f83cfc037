"""What the app offers in a hosted run (``drillbook host``): the seat-code dialog and the
simulation cell, as actions and palette lines. A mixin of the app, split from it so the app
stays about the run; it reads ``session``, ``seats`` and ``seat_codes``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drillbook.simulator.events import FACILITATOR
from drillbook.tui.commands import PaletteCommand


class Hosting:
    session: Any
    seats: list[str]
    seat_codes: Any  # the host's seat desk (tui.seat_codes.SeatDesk), or None

    def action_simulation_cell(self) -> None:
        """Players' messages to parties nobody plays, and the answers (command palette)."""
        from drillbook.tui.facilitator.cell import open_cell

        open_cell(self)

    def action_seat_codes(self) -> None:
        from drillbook.tui.seat_codes import SeatCodesDialog

        if self.seat_codes is not None:
            self.push_screen(SeatCodesDialog(self.seat_codes))  # type: ignore[attr-defined]

    def hosted_palette(self) -> Iterable[PaletteCommand]:
        if self.session is not None and FACILITATOR in self.seats:
            yield PaletteCommand(
                "Simulation cell: answer outside parties",
                "players' messages to the client, regulator, public…",
                self.action_simulation_cell,
            )
        if self.seat_codes is not None:
            yield PaletteCommand(
                "Seats: join codes, revoke and reissue", "hosted run", self.action_seat_codes
            )
