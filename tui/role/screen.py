"""A role console: what lands on one role's desk, and the decisions that role takes.

The console reads the session only through ``history(role)`` and ``subscribe(…, role)``, which
filter by role: it never receives another role's private inject, the facilitator's changes,
the upcoming MSEL, the truth, evaluator notes or any score. ``received`` keeps every event it
was given, so a test can prove exactly that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from drillbook.scenarios.actions import ACTION_NAMES
from drillbook.simulator.events import Kind
from drillbook.tui.base import Seated
from drillbook.tui.commands import PaletteCommand
from drillbook.tui.desk_state import desk_item
from drillbook.tui.format import at_label, clean, decision_words, humanise, plain
from drillbook.tui.messages import ClockMoved, JournalEvent
from drillbook.tui.role.inbox import Inbox
from drillbook.tui.role.inject_view import InjectView
from drillbook.tui.widgets.action_form import ACTION_HELP, take_decision
from drillbook.tui.widgets.clock_bar import ClockBar
from drillbook.tui.widgets.key_legend import KeyLegend
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import DataTable, Header, TabbedContent, TabPane


class RoleScreen(Seated, Screen[None]):
    GUIDE = """\
## Your seat

The **inbox** lists what reached your desk — pages, calls, e-mails, dashboards — with
unread ones marked ●. Move through it with the arrow keys; the inject opens on the right with
its attachments and, if it asks one, its question.

Act with **a** (every action of the response plan, each with a short form), answer the open
inject's question with **o**. **d** lists the decisions you have taken. The response plan is
on **F3** — use it. You see only what reaches your own role.
"""
    AUTO_FOCUS = "#inbox-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide", "Act", id="role.decide"),
        Binding("o", "answer", "Answer", id="role.answer"),
        Binding("i", "tab('inbox')", "Inbox", id="role.inbox"),
        Binding("d", "tab('decisions')", "My decisions", id="role.decisions"),
    ]

    def __init__(self, role: str) -> None:
        super().__init__(id=f"seat-{role}")
        self.role = role
        self.received: list[dict[str, Any]] = []
        self.desk: list[dict[str, Any]] = []  # inbox items (see ``desk_item``)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        yield ClockBar(id="clock")
        with TabbedContent(id="tabs"):
            with TabPane("Inbox", id="inbox"), Container(id="desk"):
                yield Inbox(id="inbox-list")
                yield InjectView(id="inject")
            with TabPane("My decisions", id="decisions"):
                yield DataTable(id="my-decisions", cursor_type="row", zebra_stripes=True)
        yield KeyLegend()

    def on_mount(self) -> None:
        self.sub_title = clean(self.drill.seat_title(self.role))
        table = self.query_one("#my-decisions", DataTable)
        table.add_column("time", width=9)
        table.add_column("decision")
        session = self.live
        for event in session.history(self.role):
            self._take(event)
        self.follow(self.role)
        role = next(r for r in self.drill.scenario.roles if r.id == self.role)
        self.query_one(InjectView).show_brief(self.drill.seat_title(self.role), role.brief)
        self._show_clock()

    # ── events from the session (already filtered for this role) ────────────────────────
    def on_journal_event(self, message: JournalEvent) -> None:
        self._take(message.event)
        item = desk_item(message.event, self.role)
        if item is not None and self.is_current:
            self.notify(f"New {humanise(item['channel'])}: {item['title']}")
        self._show_clock()

    def _take(self, event: dict[str, Any]) -> None:
        self.received.append(event)
        scenario = self.drill.scenario
        item = desk_item(event, self.role)
        if item is not None:
            self.desk.append(item)
            unread = event["seq"] not in self.drill.read[self.role]
            self.query_one(Inbox).add_inject(scenario, item, unread)
        elif event["type"] == Kind.DECISION:
            self.query_one("#my-decisions", DataTable).add_row(
                plain(at_label(scenario, event["sim"])),
                plain(decision_words(scenario, event["action"], event.get("params", {}))),
            )

    def on_clock_moved(self, message: ClockMoved) -> None:
        self._show_clock()

    def on_screen_resume(self) -> None:
        self._mark_current_read()
        self._show_clock()

    def _show_clock(self) -> None:
        session = self.drill.session
        if session is None or not self.is_mounted:
            return
        unread = self.drill.unread(self.role)
        self.query_one(ClockBar).show(
            session, f"· {unread} unread" if unread else "", role=self.role
        )

    # ── the inbox ───────────────────────────────────────────────────────────────────────
    def injects(self) -> list[dict[str, Any]]:
        """What is in the inbox: delivered injects and escalations to this role, in order."""
        return self.desk

    def current_inject(self) -> dict[str, Any] | None:
        seq = self.query_one(Inbox).current_seq
        return next((e for e in self.injects() if e["seq"] == seq), None)

    def on_data_table_row_highlighted(self, message: DataTable.RowHighlighted) -> None:
        if message.data_table.id == "inbox-list":
            self._mark_current_read()

    def _mark_current_read(self) -> None:
        event = self.current_inject()
        if event is None or not self.is_current:
            return
        self.query_one(InjectView).show_inject(self.drill.scenario, event)
        if self.drill.mark_read(self.role, event["seq"]):
            self.query_one(Inbox).mark_read(event["seq"])
            self._show_clock()

    def open_inject(self, inject_id: str) -> bool:
        """Move the inbox to the latest delivery of ``inject_id`` (and so read it)."""
        for index, event in reversed(list(enumerate(self.injects()))):
            if event["inject"] == inject_id:
                self.action_tab("inbox")
                self.query_one(Inbox).move_cursor(row=index)
                self._mark_current_read()
                return True
        return False

    # ── decisions ───────────────────────────────────────────────────────────────────────
    def action_decide(self, action: str | None = None) -> None:
        current = self.current_inject()
        take_decision(self, self.role, current["inject"] if current else None, action)

    def action_answer(self) -> None:
        current = self.current_inject()
        if current is None or not current.get("question"):
            self.notify("The open inject asks no question; a opens every action.")
            return
        take_decision(self, self.role, current["inject"], "answer")

    def action_tab(self, tab: str) -> None:
        # Focus follows the tab: left on a hidden pane, it would pull the old tab back.
        self.query_one(TabbedContent).active = tab
        self.query_one("#inbox-list" if tab == "inbox" else "#my-decisions").focus()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        for name in ACTION_NAMES:
            yield PaletteCommand(
                f"Act: {humanise(name)}",
                ACTION_HELP.get(name, ""),
                lambda name=name: self.action_decide(name),
            )
