"""The seats of a hosted exercise and their join codes (the facilitator's eyes only).

``drillbook host`` hands the app a *seat desk* (anything with ``url``, ``rows()`` and
``reissue(seat)``); this dialog lists every seat, whether it is connected and its code, and
enter on a seat revokes its code and issues a new one — the seat's connection is closed, and
whoever held the old code can no longer join.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from drillbook.tui.format import plain
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class SeatDesk(Protocol):
    url: str

    def rows(self) -> list[tuple[str, str, bool]]: ...

    def reissue(self, seat: str) -> str: ...


class SeatCodesDialog(ModalScreen[None]):
    """Every seat with its code; enter reissues the highlighted seat's code."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", id="codes.close"),
    ]

    def __init__(self, desk: SeatDesk) -> None:
        super().__init__()
        self.desk = desk

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                plain(f"Seats — join with: drillbook join {self.desk.url} --code CODE"),
                classes="dialog-title",
            )
            yield OptionList(*self._options(), id="seat-codes")
            yield Label(
                "enter revokes that seat's code and issues a new one · esc closes", classes="hint"
            )

    def _options(self) -> list[Option]:
        return [
            Option(plain(f"{seat:<22} {'● joined' if live else '○ free  '}  {code}"), id=seat)
            for seat, code, live in self.desk.rows()
        ]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        seat = event.option.id or ""
        self.desk.reissue(seat)
        listing = self.query_one(OptionList)
        at = listing.highlighted
        listing.clear_options()
        listing.add_options(self._options())
        listing.highlighted = at
        self.app.notify(f"{seat}: old code revoked; hand out the new one shown here")
