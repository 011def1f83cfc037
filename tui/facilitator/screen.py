"""The facilitator console: run the clock, steer the MSEL, watch the meters, evaluate.

The facilitator sees everything — delivered and upcoming injects, conditions waiting to fire,
every decision with the scorer's verdict, the meters — and changes the story only through
the session: clock verbs, ad-hoc injects, re-timing and cancelling, records. Every change is
a journal event, so a resumed or replayed run knows about it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from drillbook.simulator import commands
from drillbook.simulator.commands import SPEEDS, Cancel, Retime, SendAdhoc
from drillbook.simulator.events import FACILITATOR, Kind
from drillbook.tui.base import Seated
from drillbook.tui.commands import PaletteCommand
from drillbook.tui.facilitator.dialogs import (
    AdhocDialog,
    NoteDialog,
    RatingDialog,
    RetimeDialog,
)
from drillbook.tui.facilitator.evaluation_table import EvaluationTable
from drillbook.tui.facilitator.meters_bar import MetersBar
from drillbook.tui.facilitator.msel_table import MselTable
from drillbook.tui.format import clean, role_title
from drillbook.tui.messages import ClockMoved, JournalEvent
from drillbook.tui.widgets.action_form import take_decision
from drillbook.tui.widgets.choice_dialog import ChoiceDialog
from drillbook.tui.widgets.clock_bar import ClockBar
from drillbook.tui.widgets.confirm import Confirm
from drillbook.tui.widgets.decision_log import DecisionLog
from drillbook.tui.widgets.key_legend import KeyLegend
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, TabbedContent, TabPane

_SPEED = Binding.Group("Speed")  # "+ - Speed": one entry, so the legend fits in two rows


class FacilitatorScreen(Seated, Screen[None]):
    GUIDE = """\
## The facilitator's seat

**space** starts, pauses and resumes the story clock; **+**/**-** change its speed (×1, ×5,
×15, ×60); **n** jumps to the next inject. The **MSEL** tab lists delivered and upcoming
injects (conditional ones with their condition): **a** sends an ad-hoc inject; with the cursor
in the MSEL, **t** re-times and **x** cancels the upcoming inject under it. **Decisions** shows
every decision with the rule it met, or why it met none; **r** records a decision on behalf of
a role. **e** writes an evaluator note; in the **Evaluation** tab (**v**), **P S M U** rate the
capability under the cursor. **h** ends play
and opens the hot wash. **F2** sits at a role's console.
"""
    AUTO_FOCUS = "#msel-table"
    # In the footer's order: what a facilitator reaches for most comes first.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_clock", "Run/pause", id="clock.toggle"),
        Binding("n", "jump", "Next", id="clock.jump"),
        Binding(
            "plus,equals_sign", "faster", "Faster", id="clock.faster", key_display="+", group=_SPEED
        ),
        Binding("minus", "slower", "Slower", id="clock.slower", group=_SPEED),
        Binding("r", "on_behalf", "Decide for…", id="decision.on_behalf"),
        Binding("e", "note", "Note", id="eval.note"),
        Binding("h", "hot_wash", "End play", id="play.end"),
        Binding("a", "adhoc", "Ad-hoc", id="msel.adhoc"),
        # t/x (the MSEL's cursor) and P S M U (the Evaluation tab's) belong to their tables
        Binding("m", "tab('msel')", "MSEL", id="tab.msel", show=False),
        Binding("d", "tab('decisions')", "Decisions", id="tab.decisions", show=False),
        Binding("v", "tab('evaluation')", "Evaluation", id="tab.evaluation", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="seat-facilitator")
        self._stale = False
        self._verdicts_seen = -1  # a seat on a host: the version of its verdicts shown

    @property
    def _scored(self) -> bool:
        """Whether verdicts will come: from our own scorer, or (seated on a host) from its."""
        return self.drill.scorer is not None or hasattr(self.live, "verdicts_version")

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        yield ClockBar(id="clock")
        yield MetersBar(id="meters")
        with TabbedContent(id="tabs"):
            with TabPane("MSEL", id="msel"):
                yield MselTable(id="msel-table")
            with TabPane("Decisions", id="decisions"):
                yield DecisionLog(id="decision-log")
            with TabPane("Evaluation", id="evaluation"):
                yield EvaluationTable(id="evaluation-table")
        yield KeyLegend()

    def on_mount(self) -> None:
        self.sub_title = clean(f"Facilitator · {self.drill.scenario.title}")
        log = self.query_one(DecisionLog)
        for event in self.live.history(FACILITATOR):
            if event["type"] == Kind.DECISION:
                log.add_decision(event, self._scored, self.drill.scenario)
        self.follow(FACILITATOR)
        self.refresh_all()

    # ── keeping the console current ─────────────────────────────────────────────────────
    def on_journal_event(self, message: JournalEvent) -> None:
        event = message.event
        if event["type"] == Kind.DECISION:
            self.query_one(DecisionLog).add_decision(event, self._scored, self.drill.scenario)
        if event["type"] != Kind.CLOCK and not self._stale:
            # a burst of events (a jump, a tick past several injects) costs one refresh
            self._stale = True
            self.call_next(self.refresh_all)

    def on_clock_moved(self, message: ClockMoved) -> None:
        self._show_clock()

    def on_screen_resume(self) -> None:
        self.refresh_all()

    def _show_clock(self) -> None:
        self._show_host_verdicts()
        s = self.drill.settings
        kind = "practice" if s.practice else "official"
        path = self.drill.journal_path
        self.query_one(ClockBar).show(self.live, f"· {kind}" + (f" · {path}" if path else ""))
        self.query_one(MetersBar).show(self.live)

    def refresh_all(self) -> None:
        self._stale = False
        self._show_clock()
        self.query_one(MselTable).refresh_from(self.live)
        scorecard = self.drill.score()
        if scorecard is not None:
            self.query_one(DecisionLog).show_verdicts(scorecard)
        else:
            self._verdicts_seen = -1  # rows were added: show the host's verdicts on them again
            self._show_host_verdicts()
        self.query_one(EvaluationTable).refresh_from(
            self.drill.capabilities, scorecard, self.live.history()
        )

    def _show_host_verdicts(self) -> None:
        """A facilitator seated on a host has no scorer here: the host's arrive as frames,
        re-read when a new set came (checked on every clock tick)."""
        version = getattr(self.live, "verdicts_version", None)
        if self.drill.scorer is not None or version is None or version == self._verdicts_seen:
            return
        self._verdicts_seen = version
        self.query_one(DecisionLog).show_verdict_frames(getattr(self.live, "verdicts", {}))

    # ── the clock ───────────────────────────────────────────────────────────────────────
    def action_toggle_clock(self) -> None:
        running = self.live.snapshot().running
        self.drill.apply(commands.pause_clock() if running else commands.start_clock())

    def set_speed(self, speed: float) -> None:
        self.drill.apply(commands.set_speed(speed))

    def action_faster(self) -> None:
        now = self.live.snapshot().speed
        self.set_speed(next((s for s in SPEEDS if s > now), SPEEDS[-1]))

    def action_slower(self) -> None:
        now = self.live.snapshot().speed
        self.set_speed(next((s for s in reversed(SPEEDS) if s < now), SPEEDS[0]))

    def action_jump(self) -> None:
        def delivered() -> int:
            return sum(1 for e in self.live.history() if e["type"] == Kind.INJECT_DELIVERED)

        before = delivered()
        if self.drill.apply(commands.jump_to_next_inject()) and delivered() == before:
            self.notify("No inject is due before the end of play.")

    # ── the MSEL ────────────────────────────────────────────────────────────────────────
    def action_adhoc(self) -> None:
        def send(data: dict[str, Any]) -> bool:
            """Sent from inside the dialog, so a refusal leaves the dialog open as typed."""
            to, channel, title, body = data["to"], data["channel"], data["title"], data["body"]
            return self.drill.apply(SendAdhoc(tuple(to), channel, title, body, due=data["at"]))

        self.app.push_screen(AdhocDialog(self.drill.scenario, self.live.snapshot().now, send))

    def action_retime(self) -> None:
        row = self.query_one(MselTable).selected_upcoming()
        if row is None or row["due"] is None:
            self.notify("Put the cursor on a scheduled upcoming inject in the MSEL (m) first.")
            return

        def retime(due: int) -> bool:
            return self.drill.apply(Retime(row["inject"], float(due)))

        now = self.live.snapshot().now
        self.app.push_screen(
            RetimeDialog(self.drill.scenario, row["inject"], row["due"], now, retime)
        )

    def action_cancel_inject(self) -> None:
        row = self.query_one(MselTable).selected_upcoming()
        if row is None:
            self.notify("Put the cursor on an upcoming inject in the MSEL (m) first.")
            return

        def cancel(yes: bool | None) -> None:
            if yes:
                self.drill.apply(Cancel(row["inject"]))

        self.app.push_screen(Confirm(f"Cancel {row['inject']}? It will not be delivered."), cancel)

    # ── decisions and evaluation ────────────────────────────────────────────────────────
    def action_on_behalf(self) -> None:
        roles = [(self.drill.seat_title(r), r) for r in self.drill.scenario.role_ids]

        def chosen(role: str | None) -> None:
            if role:
                take_decision(self, role)

        self.app.push_screen(ChoiceDialog("Record a decision on behalf of…", roles), chosen)

    def record(self, type_: str, **fields: Any) -> None:
        self.drill.apply(commands.Record(type_, fields))

    def action_note(self) -> None:
        capabilities = self.drill.capabilities

        def save(note: dict[str, Any] | None) -> None:
            if note:
                self.record(Kind.EVALUATOR_NOTE, **note)
                self.notify("Note recorded.")

        self.app.push_screen(NoteDialog(capabilities, self.drill.scenario), save)

    def action_rate(self, rating: str) -> None:
        table = self.query_one(EvaluationTable)
        capabilities = self.drill.capabilities

        def save(data: dict[str, Any] | None) -> None:
            if data:
                self.record("rating", **data)
                self.notify(f"{data['capability']}: rated {data['rating']}.")

        self.app.push_screen(RatingDialog(capabilities, table.current_capability(), rating), save)

    def action_tab(self, tab: str) -> None:
        # Focus follows the tab: left on a hidden pane, it would pull the old tab back.
        self.query_one(TabbedContent).active = tab
        target = {"msel": MselTable, "decisions": DecisionLog, "evaluation": EvaluationTable}[tab]
        self.query_one(target).focus()

    def action_hot_wash(self) -> None:
        def end(yes: bool | None) -> None:
            if yes:
                self.drill.open_hot_wash()

        self.app.push_screen(Confirm("End play and start the hot wash?", yes="End play"), end)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        for speed in SPEEDS:
            yield PaletteCommand(
                f"Clock: speed ×{speed}",
                "+ and - step through the speeds",
                lambda speed=speed: self.set_speed(speed),
            )
        for role in self.drill.scenario.role_ids:
            yield PaletteCommand(
                f"Record a decision for {role_title(role, self.drill.scenario)}",
                "key: r",
                lambda role=role: take_decision(self, role),
            )
