"""A role's inbox: the injects that reached this role, with channel, time and unread marks.

It only ever holds what the session let this role see (``history(role)`` and
``subscribe(…, role)`` of the session); it has no way to reach anything else.
"""

from __future__ import annotations

from typing import Any

from drillbook.scenarios.model import Scenario
from drillbook.tui.format import at_label, channel_mark, plain
from textual.widgets import DataTable

UNREAD = "●"


class Inbox(DataTable[str]):
    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_column(" ", key="mark", width=1)
        self.add_column("time", key="time", width=9)
        self.add_column("chan", key="chan", width=4)
        self.add_column("title", key="title")

    def add_inject(self, scenario: Scenario, event: dict[str, Any], unread: bool) -> None:
        title = event["title"]
        if event.get("kind") == "finding":
            title = f"Finding: {title}"
        self.add_row(
            UNREAD if unread else " ",
            plain(at_label(scenario, event["sim"])),
            plain(channel_mark(event["channel"])),
            plain(title),
            key=str(event["seq"]),
        )

    def mark_read(self, seq: int) -> None:
        self.update_cell(str(seq), "mark", " ")

    @property
    def current_seq(self) -> int | None:
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None
