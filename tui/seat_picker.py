"""Choose a seat: the facilitator's or a role's, by arrow keys or by its number.

On one machine passed around the room this is how the keyboard changes hands; each seat
keeps its own screens, so nobody loses a half-filled form.
"""

from __future__ import annotations

from typing import ClassVar

from drillbook.tui.base import Seated
from drillbook.tui.format import styled
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class SeatPicker(Seated, ModalScreen[str | None]):
    """A list of seats with unread counts; enter or a digit chooses, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="seat.cancel"),
        *(Binding(str(n), f"pick({n})", show=False, id=f"seat.pick{n}") for n in range(10)),
    ]

    def compose(self) -> ComposeResult:
        app = self.drill
        options = []
        for n, seat in enumerate(app.seats):
            unread = app.unread(seat)
            mark = (f"  {unread} unread", "bold") if unread else ""
            here = "  (you are here)" if seat == app.current_mode else ""
            prompt = styled(f"{n}  ", app.seat_title(seat), mark, here)
            options.append(Option(prompt, id=seat))
        with Vertical(classes="dialog"):
            yield Label("Choose a seat", classes="dialog-title")
            yield OptionList(*options, id="seats")
            yield Label("enter or 0–9 to sit down · esc to stay", classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, n: int) -> None:
        seats = self.drill.seats
        if 0 <= n < len(seats):
            self.dismiss(seats[n])
