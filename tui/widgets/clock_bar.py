"""The clock line every seat shows: story time as players read it, and whether it runs.

``Tue 04:12 · T+0:25  ▶ running ×15`` — the weekday and time of the story (the scenario starts
at ``Tue 03:47``) beside the offset from the start, so a player can say "twenty-five minutes in".
"""

from __future__ import annotations

from drillbook.simulator.protocol import SessionLike
from drillbook.tui.format import FACILITATOR, clock_state, story_clock, styled
from textual.widgets import Static


class ClockBar(Static):
    """One line; ``extra`` is what else this seat shows on it (run kind, unread count…)."""

    def show(self, session: SessionLike, extra: str = "", *, role: str = FACILITATOR) -> None:
        snap = session.snapshot(role)
        state = clock_state(snap.running, snap.started, snap.speed, snap.ended)
        # ``extra`` may name the journal's path: composed as Text, never read as markup
        self.update(
            styled((story_clock(session.scenario, snap.now), "bold"), f"  {state}")
            + styled(f"  {extra}" if extra else "")
        )
