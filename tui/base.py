"""Typed access from a screen or widget to the drillbook app that hosts it.

Textual types ``self.app`` as a plain ``App``; screens here need the session, the scenario and
the submit path, so they reach the app through :attr:`Seated.drill` and the session in play
through :attr:`Seated.live` — typed as the ``SessionLike`` protocol, never the local class,
so a networked session can stand in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from drillbook.simulator.events import FACILITATOR

if TYPE_CHECKING:
    from drillbook.simulator.protocol import SessionLike
    from drillbook.tui.app import DrillbookApp


class Seated:
    """Mixin for screens and widgets of the drillbook app."""

    _unsubscribe: Callable[[], None] | None = None

    @property
    def drill(self) -> DrillbookApp:
        return cast("DrillbookApp", self.app)  # type: ignore[attr-defined]

    @property
    def live(self) -> SessionLike:
        """The session in play; seats and the hot wash open only once play has begun."""
        session = self.drill.session
        assert session is not None, "a seat opened before play began"
        return session

    def follow(self, role: str = FACILITATOR) -> None:
        """Hear each new event the session lets ``role`` see, as a ``JournalEvent`` posted to
        this screen (from the session's notification, so it is handled on Textual's loop),
        until the screen is unmounted."""
        from drillbook.tui.messages import JournalEvent

        post = self.post_message  # type: ignore[attr-defined]
        self._unsubscribe = self.live.subscribe(lambda e: post(JournalEvent(e)), role)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
