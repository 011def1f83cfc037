"""The response plan, readable during play (F3 from any seat).

The article insists the plan be at hand when it is needed, so the procedures a team is
scored against — severity windows, roles, the four phases, communications, review — are one
key away on every seat. The text is ``plan.md``, shipped with the package.
"""

from __future__ import annotations

from importlib import resources
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, MarkdownViewer


def plan_text() -> str:
    return resources.files("tui").joinpath("plan.md").read_text(encoding="utf-8")


class PlanScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f3", "dismiss", "Close the plan", id="plan.close"),
        Binding("t", "toggle_contents", "Contents", id="plan.contents"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Response plan — esc to close, t for contents", classes="dialog-title")
            yield MarkdownViewer(plan_text(), show_table_of_contents=False, id="plan-text")

    def action_toggle_contents(self) -> None:
        viewer = self.query_one(MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents
