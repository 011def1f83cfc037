"""One inject as it lands on a desk: who sent it, through which channel, when; its text, its
attachments (small tables of metrics) and, where it asks one, its question and options.

With nothing open it shows the role's brief — what the role knows when play starts.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Label, Static

from scenarios.model import Scenario

from .format import at_label, humanise


class InjectView(VerticalScroll):
    def show_brief(self, title: str, brief: str) -> None:
        self.remove_children()
        self.mount(
            Label(f"[b]{escape(title)}[/b] — your brief", classes="inject-title"),
            Static(escape(brief.strip()) or "(no brief for this role)", classes="inject-body"),
            Static("Injects land in the inbox on the left as the clock runs.", classes="hint"),
        )

    def show_inject(self, scenario: Scenario, event: dict[str, Any]) -> None:
        self.remove_children()
        sender = event.get("sender") or ("finding" if event.get("kind") == "finding" else "")
        meta = " · ".join(
            part
            for part in (sender, humanise(event["channel"]), at_label(scenario, event["sim"]))
            if part
        )
        widgets: list[Any] = [
            Label(f"[b]{escape(event['title'])}[/b]", classes="inject-title"),
            Label(escape(meta), classes="inject-meta"),
            Static(escape(event.get("body", "")), classes="inject-body"),
        ]
        for attachment in event.get("attachments", []):
            widgets.append(
                Label(f"[b]{escape(attachment['title'])}[/b]", classes="attachment-title")
            )
            table: DataTable[str] = DataTable(classes="attachment", cursor_type="none")
            table.add_columns(*(Text(str(c)) for c in attachment["columns"]))
            for row in attachment["rows"]:
                table.add_row(*(Text(str(cell)) for cell in row))
            widgets.append(table)
        question = event.get("question")
        if question:
            lines = [f"[b]{escape(question['prompt'])}[/b]"]
            lines += [f"  • {escape(o['label'])}" for o in question.get("options", [])]
            lines.append("[i]o answers this question[/i]")
            widgets.append(Static("\n".join(lines), classes="question"))
        self.mount(*widgets)
