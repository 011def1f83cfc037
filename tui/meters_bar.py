"""The meters moving (facilitator only): tickets sold, dollars lost, people affected.

Players feel the meters only through the injects that quote them; the facilitator watches them
live to pace the room.
"""

from __future__ import annotations

from textual.widgets import Static

from simulator.meters import render_value
from simulator.session import Session


class MetersBar(Static):
    def show(self, session: Session) -> None:
        values = session.meters()
        parts = [
            f"{m.label} [b]{render_value(m, values.get(m.id, 0.0))}[/b]"
            for m in session.scenario.meters
        ]
        self.update("  ·  ".join(parts) or "(this scenario has no meters)")
