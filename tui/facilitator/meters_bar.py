"""The meters moving (facilitator only): tickets sold, dollars lost, people affected.

Players feel the meters only through the injects that quote them; the facilitator watches them
live to pace the room.
"""

from __future__ import annotations

from drillbook.simulator.meters import render_value
from drillbook.simulator.protocol import SessionLike
from drillbook.tui.format import plain, styled
from textual.widgets import Static


class MetersBar(Static):
    def show(self, session: SessionLike) -> None:
        values = session.snapshot().meters
        parts = [
            styled(f"{m.label} ", (render_value(m, values.get(m.id, 0.0)), "bold"))
            for m in session.scenario.meters
        ]
        self.update(plain("  ·  ").join(parts) if parts else "(this scenario has no meters)")
