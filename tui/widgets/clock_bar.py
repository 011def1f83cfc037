"""The clock line every seat shows: story time as players read it, and whether it runs.

``Tue 04:12 · T+0:25  ▶ running ×15`` — the weekday and time of the story (the scenario starts
at ``Tue 03:47``) beside the offset from the start, so a player can say "twenty-five minutes in".
"""

from __future__ import annotations

from drillbook.simulator.session import Session
from drillbook.tui.format import clock_state, story_clock, styled
from textual.widgets import Static


class ClockBar(Static):
    """One line; ``extra`` is what else this seat shows on it (run kind, unread count…)."""

    def show(self, session: Session, extra: str = "") -> None:
        clock = session.clock
        now = session.engine.now if session.ended else clock.now
        started = clock.started or session.engine.now > 0
        state = clock_state(clock.running, started, clock.speed, session.ended)
        # ``extra`` may name the journal's path: composed as Text, never read as markup
        self.update(
            styled((story_clock(session.scenario, now), "bold"), f"  {state}")
            + styled(f"  {extra}" if extra else "")
        )
