"""The response plan, readable during play (F3 from any seat).

The article insists the plan be at hand when it is needed, so the procedures a team is
scored against — severity windows, roles, the four phases, communications, review — are one
key away on every seat. The text is rendered from the plan in force (``--plan``, with the
run's client profile applied), the same document ``drillbook plan show --format md``
writes, so the screen can never disagree with the scorer. Every value in it is escaped
Markdown: plan text is shown as the characters it is, never as markup.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, MarkdownViewer


def plan_text(plan: str | None = None, client: str | None = None) -> str:
    """The plan in force as Markdown (the bundled plan when ``plan`` is None)."""
    from drillbook.reports.plandoc import plan_in_force_markdown

    return plan_in_force_markdown(plan, client)


class PlanScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f3", "dismiss", "Close the plan", id="plan.close"),
        Binding("t", "toggle_contents", "Contents", id="plan.contents"),
    ]

    def __init__(self, plan: str | None = None, client: str | None = None) -> None:
        super().__init__()
        self.plan_path = plan
        self.client_path = client

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Response plan — esc to close, t for contents", classes="dialog-title")
            yield MarkdownViewer(
                plan_text(self.plan_path, self.client_path),
                show_table_of_contents=False,
                id="plan-text",
            )

    def action_toggle_contents(self) -> None:
        viewer = self.query_one(MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents
