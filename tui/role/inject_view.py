"""One inject as it lands on a desk: who sent it, through which channel, when; its text, its
attachments (small tables of metrics) and, where it asks one, its question and options.

With nothing open it shows the role's brief — what the role knows when play starts.
"""

from __future__ import annotations

from typing import Any

from drillbook.scenarios.model import Scenario
from drillbook.tui.format import at_label, humanise, plain, styled
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static


class InjectView(VerticalScroll):
    def show_brief(self, title: str, brief: str) -> None:
        self.remove_children()
        self.mount(
            Label(styled((title, "bold"), " — your brief"), classes="inject-title"),
            Static(plain(brief.strip() or "(no brief for this role)"), classes="inject-body"),
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
            Label(plain(event["title"], "bold"), classes="inject-title"),
            Label(plain(meta), classes="inject-meta"),
            Static(plain(event.get("body", "")), classes="inject-body"),
        ]
        for attachment in event.get("attachments", []):
            widgets.append(Label(plain(attachment["title"], "bold"), classes="attachment-title"))
            table: DataTable[str] = DataTable(classes="attachment", cursor_type="none")
            table.add_columns(*(plain(c) for c in attachment["columns"]))
            for row in attachment["rows"]:
                table.add_row(*(plain(cell) for cell in row))
            widgets.append(table)
        question = event.get("question")
        if question:
            lines = [plain(question["prompt"], "bold")]
            lines += [plain(f"  • {o['label']}") for o in question.get("options", [])]
            lines.append(plain("o answers this question", "italic"))
            widgets.append(Static(plain("\n").join(lines), classes="question"))
        self.mount(*widgets)
