"""A seat joined from inside the app: the browser seat (``drillbook serve``) asks for the host's
address and the seat's code on its first screen, then becomes that seat's console.

The app cannot know the scenario before it has joined, so it starts without one and takes the
seat's session when the code opens it. How to join is given to it (``joiner``: address and
code → a session), so the app knows nothing of the network: the command layer passes
``net.remote`` in. A refused code is shown on the form; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from drillbook.simulator.protocol import SessionLike
from drillbook.tui.app import DrillbookApp
from drillbook.tui.format import FACILITATOR, plain
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label

Joiner = Callable[[str, str], Any]  # (address, code) → a connected session; ValueError: refused


class JoinScreen(Screen[None]):
    """Where the host is and the seat's code; enter joins."""

    AUTO_FOCUS = "#code"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "app.quit", "Quit", id="join.quit")]

    def __init__(self, url: str) -> None:
        super().__init__(id="join")
        self.url = url

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with Vertical(classes="dialog form", id="join-form"):
            yield Label(plain("Join an exercise", "bold"), classes="dialog-title")
            yield Label("host address", classes="field-label above")
            yield Input(self.url, id="url", compact=True, placeholder="ws://HOST:8765")
            yield Label("your seat's code (from the facilitator)", classes="field-label above")
            yield Input(id="code", compact=True, password=True, placeholder="join code")
            yield Label("", id="join-problem")
            yield Label("enter joins · ctrl+q quits", classes="hint")
        yield Footer(compact=True)

    def on_input_submitted(self) -> None:
        url = self.query_one("#url", Input).value.strip()
        code = self.query_one("#code", Input).value.strip()
        if not url or not code:
            self.say("Give the host's address and your code.")
            return
        self.say("Joining…")
        self.join(url, code)

    def say(self, text: str) -> None:
        self.query_one("#join-problem", Label).update(plain(text))

    @work(thread=True, exclusive=True)
    def join(self, url: str, code: str) -> None:
        """Connecting waits on the network: a worker thread, so the form stays live."""
        app = self.app
        assert isinstance(app, JoinApp)
        try:
            session = app.joiner(url, code)
        except ValueError as exc:
            app.call_from_thread(self.say, str(exc))
            return
        app.call_from_thread(app.take_seat, session)


class JoinApp(DrillbookApp):
    """The join form first, then the seat's own console (the same screens as local play)."""

    def __init__(self, joiner: Joiner, url: str = "") -> None:
        super().__init__(None, seats=[FACILITATOR])
        self.joiner = joiner
        self.url = url

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # not the local app's mount: no setup screen, no session yet
        self.theme = "textual-dark"
        self.push_screen(JoinScreen(self.url))

    def take_seat(self, session: SessionLike) -> None:
        """The code opened a seat: become its console."""
        seat = getattr(session, "seat", FACILITATOR)
        self.loaded = getattr(session, "loaded", None)
        self.scenario = session.scenario
        self.session = session
        self.settings = session.settings
        self.seats = [seat]
        self.read = {seat: set()}
        self.pop_screen()
        self._open_seats()
