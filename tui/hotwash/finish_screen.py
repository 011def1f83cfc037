"""The end: what the report hook said (where the report and the journal are), then quit.

The run has ended and the journal is closed by now; nothing on this screen can change it.
"""

from __future__ import annotations

from typing import ClassVar

from drillbook.tui.format import plain
from drillbook.tui.widgets.key_legend import KeyLegend
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Label, Static


class FinishScreen(Screen[None]):
    GUIDE = "## Finished\n\nThe run has ended and is safe in its journal. **q** quits."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,enter,escape", "quit_app", "Quit", id="finish.quit"),
    ]

    def __init__(self, lines: list[str]) -> None:
        super().__init__(id="finish")
        self.lines = lines

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with Vertical(id="finish-body"):
            yield Label(plain("The exercise has ended.", "bold"), classes="section")
            yield Static(plain("\n".join(self.lines)), id="finish-lines")
            yield Label("q quits.", classes="hint")
        yield KeyLegend()

    def on_mount(self) -> None:
        self.sub_title = "Finished"

    def action_quit_app(self) -> None:
        self.app.exit()
