"""Pick one thing from a list (an action of the contract, a role): arrows and enter.

Typing the first letters jumps there, so ``c l`` reaches ``classify`` without the mouse.
"""

from __future__ import annotations

from typing import ClassVar

from drillbook.tui.format import plain
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class ChoiceDialog(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="choice.cancel"),
    ]

    def __init__(self, title: str, options: list[tuple[str, str]], hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.hint = hint or "enter chooses · esc cancels"
        self._typed = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(self.title_text), classes="dialog-title")
            yield OptionList(*(Option(plain(label), id=value) for label, value in self.options))
            yield Label(plain(self.hint), classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event: events.Key) -> None:
        """Type-to-jump: letters move the highlight to the first option that starts with them."""
        char = event.character or ""
        if len(char) != 1 or not char.isalpha():
            return
        event.stop()
        typed = self._typed + char.lower()
        match = self._find(typed)
        if match is None:
            typed = char.lower()
            match = self._find(typed)
        self._typed = typed
        if match is not None:
            self.query_one(OptionList).highlighted = match

    def _find(self, prefix: str) -> int | None:
        return next((i for i, (_, v) in enumerate(self.options) if v.startswith(prefix)), None)
