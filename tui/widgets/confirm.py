"""A yes/no question before something that cannot be undone (cancel an inject, end play)."""

from __future__ import annotations

from typing import ClassVar

from drillbook.tui.format import plain
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label


class Confirm(ModalScreen[bool]):
    """``y``/enter confirms, ``n``/escape declines. With ``remember`` it offers a box
    (``don't ask again``) whose state is read from :attr:`dont_ask_again` after the answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str = "Yes", *, remember: str = "") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.remember = remember
        self.dont_ask_again = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(self.question), classes="dialog-title")
            if self.remember:
                yield Checkbox(plain(self.remember), id="remember", compact=True)
            with Horizontal(classes="buttons"):
                yield Button(plain(f"{self.yes} (y)"), variant="primary", id="yes", compact=True)
                yield Button("No (n)", id="no", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.dont_ask_again = event.value

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
