"""The MSEL as the facilitator runs it: what was delivered, what is due, what is waiting.

Delivered injects come from the journal; the rest from the facilitator's snapshot (``upcoming``) — scheduled
ones with their time, conditional ones with their condition ("acknowledge not done by
+0:21"), so the facilitator can see what the room's choices are about to set off.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any, ClassVar

from drillbook.simulator.events import Kind, Verb
from drillbook.simulator.protocol import SessionLike
from drillbook.tui.format import offset_label, plain, roles_short
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist


class MselTable(DataTable[Any]):
    """t and x act on the row under this table's cursor, so they are this table's keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "screen.retime", "Re-time", id="msel.retime"),
        Binding("x", "screen.cancel_inject", "Cancel", id="msel.cancel"),
    ]

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        # "at" and "inject" size to what they hold: ids and day-numbered times are not cut
        self.add_column("at", key="time")
        self.add_column("inject", key="inject")
        self.add_column("to", key="to", width=8)
        self.add_column("status", key="status")
        self.upcoming: dict[str, dict[str, Any]] = {}

    def refresh_from(self, session: SessionLike) -> None:
        """Rebuild from the session, keeping the cursor on the same row where it still exists."""
        keep = self._cursor_key()
        scenario = session.scenario
        self.clear()
        cancelled = set()
        adhoc_to: dict[str, list[str]] = {}  # an ad-hoc inject is in no script: its event says
        for event in session.history():
            if event["type"] == Kind.FACILITATOR and event.get("verb") == Verb.CANCEL:
                cancelled.add(event["inject"])
            if event["type"] == Kind.FACILITATOR and event.get("verb") == Verb.ADHOC:
                adhoc_to[str(event.get("inject"))] = list(event.get("to") or [])
            if event["type"] != Kind.INJECT_DELIVERED:
                continue
            status = {"finding": "finding delivered", "adhoc": "ad hoc, delivered"}.get(
                event.get("kind", ""), "delivered"
            )
            self.add_row(
                plain(offset_label(event["sim"], scenario)),
                plain(event["inject"]),
                plain(roles_short(event.get("to", []))),
                plain(f"{status} · {event['title']}", style="dim"),
                key=f"d{event['seq']}",
            )
        self.upcoming = {row["inject"]: row for row in session.snapshot().upcoming}
        for row in self.upcoming.values():
            inject = scenario.inject(row["inject"])
            to = inject.to if inject else adhoc_to.get(row["inject"], [])
            style = ""
            if row["kind"] == "conditional" and not row.get("open", True):
                status, style = f"won't fire: {row['condition']}", "dim"
            elif row["kind"] == "conditional":
                status = f"if {row['condition']}"
            else:
                status = "due" + (" (ad hoc)" if row["kind"] == "adhoc" else "")
            self.add_row(
                plain(offset_label(row["due"], scenario)),
                plain(row["inject"], style="dim" if style else "bold"),
                plain(roles_short(to)),
                plain(status, style=style),
                key=f"u:{row['inject']}",
            )
        for inject_id in sorted(cancelled):
            self.add_row(
                "—", plain(inject_id), "", plain("cancelled", style="dim"), key=f"x:{inject_id}"
            )
        # a row delivered or cancelled since has gone: the cursor then stays where it is
        if keep is not None:
            with suppress(RowDoesNotExist):
                self.move_cursor(row=self.get_row_index(keep))

    def _cursor_key(self) -> str | None:
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    def selected_upcoming(self) -> dict[str, Any] | None:
        """The upcoming inject under the cursor (None on a delivered or cancelled row)."""
        key = self._cursor_key()
        if key and key.startswith("u:"):
            return self.upcoming.get(key[2:])
        return None
