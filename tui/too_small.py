"""The notice a terminal below the console's minimum size gets instead of a cut-off console.

At 60×20 the facilitator console hid its keys and the classify dialog cut off its buttons,
with nothing saying why. Below :data:`MIN_SIZE` the app covers the current seat with this
notice; it goes by itself once the terminal is large enough again (a resize, or coming back to
a seat whose stack still holds it). Nothing is lost underneath: the clock keeps its state and
every half-filled form stays as it was.
"""

from __future__ import annotations

from typing import Any

from drillbook.tui.format import plain
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Label

MIN_SIZE = Size(80, 24)  # the console is laid out for a classic terminal: every key shows


def fits(size: Size) -> bool:
    return size.width >= MIN_SIZE.width and size.height >= MIN_SIZE.height


def notice(size: Size) -> str:
    return (
        f"This terminal is {size.width}×{size.height}: drillbook needs at least "
        f"{MIN_SIZE.width}×{MIN_SIZE.height}. Enlarge the window or make the font smaller; "
        "play is kept as it is and comes back when it fits."
    )


class TooSmall(ModalScreen[None]):
    """Covers the seat until the terminal fits; it has no keys of its own to press by mistake."""

    DEFAULT_CSS = """
    TooSmall {
        align: center middle;
        background: $background;
    }
    TooSmall #too-small Label {
        width: 100%;
    }
    TooSmall #too-small {
        width: 100%;
        height: auto;
        padding: 1 2;
        border: heavy $warning;
    }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="too-small"):
            yield Label(plain("Terminal too small", "bold"))
            yield Label(plain(notice(self.app.size)), id="too-small-text")

    _leaving = False  # a resize burst must not dismiss it twice (the second pop would fail)

    def _recheck(self) -> None:
        if self._leaving or not self.is_current:
            return
        if fits(self.app.size):
            self._leaving = True
            self.dismiss(None)
        elif self.is_mounted:
            self.query_one("#too-small-text", Label).update(plain(notice(self.app.size)))

    def on_resize(self, _event: events.Resize) -> None:
        self._recheck()

    def on_screen_resume(self, _event: Any = None) -> None:
        self._recheck()


def cover_if_too_small(app: Any) -> None:
    """Show the notice over the current seat when the terminal is below the minimum."""
    if not fits(app.size) and not isinstance(app.screen, TooSmall):
        app.push_screen(TooSmall())
