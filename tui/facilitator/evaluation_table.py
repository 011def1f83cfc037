"""Capabilities under evaluation: the scorer's rating beside the evaluator's, P/S/M/U.

HSEEP rates each capability P (performed without challenges), S (some), M (major) or
U (unable to be performed). The scorer computes one; the evaluator may override it with a hot
key, and both are kept: the override goes into the journal as a ``rating`` event.
"""

from __future__ import annotations

from typing import Any, ClassVar

from drillbook.simulator.events import Kind
from drillbook.tui.facilitator.dialogs import RATINGS
from drillbook.tui.format import plain
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

_RATE = Binding.Group("Rate")


class EvaluationTable(DataTable[Any]):
    """P S M U rate the capability under this table's cursor: they are this table's keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(r, f"screen.rate('{r}')", f"Rate {r}", id=f"eval.rate_{r}", group=_RATE)
        for r in RATINGS
    ]

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_column("capability", key="capability")  # whole names: they matter
        self.add_column("scorer", key="computed", width=14)
        self.add_column("evaluator", key="override", width=10)
        self.add_column("notes", key="notes")

    def refresh_from(
        self, capabilities: dict[str, str], scorecard: Any, events: list[dict[str, Any]]
    ) -> None:
        """One row per capability: scorer's rating, the last override, evaluator notes."""
        keep = self.current_capability()
        override: dict[str, str] = {}
        notes: dict[str, int] = {}
        for e in events:
            if e["type"] == Kind.RATING:
                override[e["capability"]] = e["rating"]
            elif e["type"] == Kind.EVALUATOR_NOTE and e.get("capability"):
                notes[e["capability"]] = notes.get(e["capability"], 0) + 1
        self.clear()
        for cap, title in capabilities.items():
            result = scorecard.capabilities.get(cap) if scorecard is not None else None
            computed = f"{result.computed_rating} {result.score:.0f}" if result else "—"
            if result and getattr(scorecard, "provisional", False):
                # Play has not ended: steps not yet due are left out, so this is a reading of
                # what is due so far, not the capability's rating.
                computed += " so far"
            self.add_row(
                plain(title),
                plain(computed),
                plain(override.get(cap, ""), style="bold"),
                plain(notes.get(cap, "")),
                key=cap,
            )
        if keep in capabilities:
            self.move_cursor(row=list(capabilities).index(keep))

    def current_capability(self) -> str | None:
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value
