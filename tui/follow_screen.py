"""The console of a seat that watches: an evaluator's or an observer's, at a hosted exercise.

It lists what the seat receives — the host has already cut that down to what the seat may
see (net/seats.py): an evaluator gets every delivered inject and decision, the notes and
ratings, and the verdicts the host's scorer gives; an observer only the public story. An
evaluator takes notes (**e**) and P/S/M/U ratings per capability as HSEEP evaluators do; no
seat here moves the clock or edits the MSEL.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, ClassVar

from drillbook.scenarios.actions import describe
from drillbook.simulator import commands
from drillbook.simulator.events import Kind
from drillbook.tui.base import Seated
from drillbook.tui.facilitator.dialogs import RATINGS, NoteDialog, RatingDialog
from drillbook.tui.format import ROLE_SHORT, at_label, plain, verdict_text
from drillbook.tui.messages import ClockMoved, JournalEvent
from drillbook.tui.widgets.clock_bar import ClockBar
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

SHOWN = (Kind.INJECT_DELIVERED, Kind.DECISION, Kind.EVALUATOR_NOTE, Kind.RATING, Kind.LESSON)


def is_evaluator(seat: str) -> bool:
    return seat.startswith("evaluator-")


class FollowScreen(Seated, Screen[None]):
    """Everything this seat may see, in order; verdicts beside decisions (evaluators)."""

    AUTO_FOCUS = "#story"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "note", "Note", id="follow.note"),
        *(Binding(r, f"rate('{r}')", f"Rate {r}", id=f"follow.rate_{r}") for r in RATINGS),
    ]

    def __init__(self, seat: str) -> None:
        super().__init__(id=f"seat-{seat}")
        self.seat = seat
        self.evaluator = is_evaluator(seat)
        self._verdicts_seen = -1

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        yield ClockBar(id="clock")
        yield DataTable(id="story", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Observers record nothing: their keys are not offered at all."""
        return self.evaluator if action in ("note", "rate") else True

    def on_mount(self) -> None:
        kind = "Evaluator" if self.evaluator else "Observer"
        self.sub_title = f"{kind} · {self.seat}"
        table = self.query_one(DataTable)
        table.add_column("time", key="time", width=9)
        table.add_column("", key="kind", width=8)
        table.add_column("who", key="who", width=12)
        table.add_column("what", key="what")
        if self.evaluator:
            table.add_column("verdict", key="verdict", width=28)
        for event in self.live.history(self.seat):
            self._take(event)
        self.follow()
        self._show()

    def on_journal_event(self, message: JournalEvent) -> None:
        self._take(message.event)
        self._show()

    def on_clock_moved(self, message: ClockMoved) -> None:
        self._show()

    def _take(self, event: dict[str, Any]) -> None:
        kind = event["type"]
        if kind not in SHOWN:
            return
        if kind == Kind.INJECT_DELIVERED:
            row = ("inject", " ".join(ROLE_SHORT.get(r, r) for r in event["to"]), event["title"])
        elif kind == Kind.DECISION:
            what = describe(event["action"], event.get("params", {}))
            row = ("decision", ROLE_SHORT.get(event["role"], event["role"]), what)
        elif kind == Kind.RATING:
            row = ("rating", "", f"{event.get('capability')}: {event.get('rating')}")
        else:
            row = (kind.replace("evaluator_", ""), "", str(event.get("text", "")))
        cells = [plain(at_label(self.drill.scenario, event["sim"])), *(plain(c) for c in row)]
        if self.evaluator:
            cells.append(plain("…" if kind == Kind.DECISION else ""))
        table = self.query_one(DataTable)
        table.add_row(*cells, key=str(event["seq"]))
        table.move_cursor(row=table.row_count - 1)

    def _show(self) -> None:
        session = self.drill.session
        if session is None or not self.is_mounted:
            return
        self.query_one(ClockBar).show(session, role=self.seat)
        version = getattr(session, "verdicts_version", 0)
        if self.evaluator and version != self._verdicts_seen:
            self._verdicts_seen = version
            self._show_verdicts(getattr(session, "verdicts", {}))

    def _show_verdicts(self, verdicts: dict[int, dict[str, Any]]) -> None:
        table = self.query_one(DataTable)
        for row_key in list(table.rows):
            found = verdicts.get(int(row_key.value or -1))
            if found is None:
                continue
            text = verdict_text(SimpleNamespace(**v) for v in found["verdicts"])
            if not found["counted"]:
                text = f"nothing: {found['why_not']}"
            table.update_cell(row_key, "verdict", plain(text))

    def action_note(self) -> None:
        def save(note: dict[str, Any] | None) -> None:
            if note and self.drill.apply(commands.note(**note)):
                self.notify("Note recorded.")

        self.app.push_screen(NoteDialog(self.drill.capabilities, self.drill.scenario), save)

    def action_rate(self, rating: str) -> None:
        def save(data: dict[str, Any] | None) -> None:
            if data and self.drill.apply(commands.rating(**data)):
                self.notify(f"{data['capability']}: rated {data['rating']}.")

        self.app.push_screen(RatingDialog(self.drill.capabilities, None, rating), save)
