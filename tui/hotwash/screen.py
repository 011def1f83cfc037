"""The hot wash: right after play, while memories are fresh (HSEEP).

The room works through the scenario's discussion questions and the facilitator captures each
lesson against a capability (``lesson`` events); then the evaluator confirms a P/S/M/U rating
per capability (``rating`` events). Finishing ends the run — the journal is closed — and
hands it to the report hook, whose lines (the report's path…) are shown.
"""

from __future__ import annotations

from typing import Any, ClassVar

from drillbook.simulator import commands
from drillbook.simulator.events import Kind
from drillbook.tui.base import Seated
from drillbook.tui.facilitator.dialogs import RATINGS
from drillbook.tui.format import humanise, plain, story_clock
from drillbook.tui.widgets.confirm import Confirm
from drillbook.tui.widgets.key_legend import KeyLegend
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import (
    Checkbox,
    DataTable,
    Header,
    Input,
    Label,
    OptionList,
    Select,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

_RATE = Binding.Group("Rate")


class RatingsTable(DataTable[Any]):
    """The rating control: P S M U and c act only while it has the focus (``g`` gives it),
    so a sentence typed with the focus elsewhere — on the lessons table, say — cannot rate
    a capability or record the ratings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                r, f"screen.set_rating('{r}')", f"Rate {r}", id=f"hotwash.rate_{r}", group=_RATE
            )
            for r in RATINGS
        ),
        Binding("c", "screen.confirm_ratings", "Confirm ratings", id="hotwash.confirm"),
    ]


class HotWashScreen(Seated, Screen[None]):
    GUIDE = """\
## Hot wash

**Discussion**: pick a question (arrows), choose the capability, type the lesson and press
enter — it is recorded against both (tick **plan change** when the lesson should change the
response plan itself). **Ratings** (**g** puts the cursor there): the scorer's rating per
capability is the starting point; with the cursor in that table, **P S M U** change the one
under it and **c** records them all — nowhere else, so typing cannot rate by accident.
**f** finishes: the run ends, the journal is closed and the report is written.
"""
    AUTO_FOCUS = "#questions"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "tab('lessons')", "Lessons", id="hotwash.lessons"),
        Binding("g", "tab('ratings')", "Ratings", id="hotwash.ratings"),
        Binding("f", "finish", "Finish", id="hotwash.finish"),
    ]

    def __init__(self) -> None:
        super().__init__(id="hotwash")
        self.chosen: dict[str, str] = {}
        self.confirmed = False

    def compose(self) -> ComposeResult:
        scenario = self.drill.scenario
        session = self.live
        yield Header(show_clock=False, icon="≡")
        yield Label(
            plain(
                f"Play stopped at {story_clock(scenario, session.snapshot().reached)} · "
                "lessons, then ratings, then f to finish"
            ),
            id="hotwash-intro",
        )
        with TabbedContent(id="tabs"):
            with TabPane("Lessons", id="lessons"):
                yield OptionList(
                    *(
                        Option(plain(f"{n}. {q}"), id=str(n))
                        for n, q in enumerate(scenario.discussion, start=1)
                    ),
                    id="questions",
                )
                with Horizontal(classes="field"):
                    yield Select(
                        [(plain(title), c) for c, title in self.drill.capabilities.items()],
                        prompt="capability…",
                        id="lesson-capability",
                        compact=True,
                    )
                    yield Input(
                        placeholder="lesson learned, then enter", id="lesson-text", compact=True
                    )
                    yield Checkbox("plan change", id="lesson-plan-change", compact=True)
                yield DataTable(id="lessons-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Ratings", id="ratings"):
                yield RatingsTable(id="ratings-table", cursor_type="row", zebra_stripes=True)
        yield KeyLegend()

    def on_mount(self) -> None:
        self.sub_title = "Hot wash"
        lessons = self.query_one("#lessons-table", DataTable)
        lessons.add_column("capability")
        lessons.add_column("q", width=2)
        lessons.add_column("lesson")
        ratings = self.query_one("#ratings-table", DataTable)
        ratings.add_column("capability", key="capability")
        ratings.add_column("scorer", key="computed", width=7)
        ratings.add_column("confirmed", key="chosen")
        for e in self.live.history():
            if e["type"] == Kind.LESSON:  # lessons captured before a resume stay in view
                self._show_lesson(
                    e["capability"], e.get("question"), e["text"], bool(e.get("plan_change"))
                )
        scorecard = self.drill.score()
        overrides = {
            e["capability"]: e["rating"] for e in self.live.history() if e["type"] == Kind.RATING
        }
        for cap, title in self.drill.capabilities.items():
            result = scorecard.capabilities.get(cap) if scorecard else None
            proposal = overrides.get(cap) or (result.rating if result else None)
            if proposal:
                self.chosen[cap] = proposal
            ratings.add_row(
                plain(title),
                plain(result.computed_rating if result else "—"),
                plain(self.chosen.get(cap, "—")),
                key=cap,
            )

    # ── lessons: question (enter) → capability (enter) → the lesson (enter) ─────────────
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "questions":
            self.query_one("#lesson-capability", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "lesson-capability" and event.value is not Select.NULL:
            self.query_one("#lesson-text", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "lesson-text":
            self.capture_lesson()

    def capture_lesson(self) -> bool:
        text = self.query_one("#lesson-text", Input).value.strip()
        capability = self.query_one("#lesson-capability", Select).value
        if not text or capability is Select.NULL:
            self.notify("A lesson needs a capability and some words.", severity="warning")
            return False
        questions = self.query_one("#questions", OptionList)
        fields: dict[str, Any] = {"capability": capability, "text": text}
        if questions.highlighted is not None:
            fields["question"] = questions.highlighted
        plan_change = self.query_one("#lesson-plan-change", Checkbox)
        if plan_change.value:  # the lesson changes the response plan itself
            fields["plan_change"] = True
        if not self.drill.apply(commands.lesson(**fields)):
            return False
        self._show_lesson(str(capability), fields.get("question"), text, plan_change.value)
        self.query_one("#lesson-text", Input).value = ""
        plan_change.value = False
        questions.focus()  # ready for the next lesson, and the screen's keys work again
        self.notify("Lesson recorded.")
        return True

    def _show_lesson(
        self, capability: str, question: int | None, text: str, plan_change: bool = False
    ) -> None:
        self.query_one("#lessons-table", DataTable).add_row(
            plain(self.drill.capabilities.get(capability, humanise(capability))),
            plain("" if question is None else question + 1),
            plain(f"plan change · {text}" if plan_change else text),
        )

    # ── ratings ─────────────────────────────────────────────────────────────────────────
    def action_set_rating(self, rating: str) -> None:
        """Rate the capability under the ratings table's cursor (only that table binds it)."""
        table = self.query_one("#ratings-table", DataTable)
        if not table.row_count or self.focused is not table:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        cap = str(row_key.value)
        self.chosen[cap] = rating
        table.update_cell(row_key, "chosen", plain(rating))
        self.confirmed = False

    def action_confirm_ratings(self) -> None:
        """Record the evaluator's confirmed rating for every capability that has one."""
        for cap, rating in self.chosen.items():
            self.drill.apply(
                commands.rating(capability=cap, rating=rating, note="confirmed at the hot wash")
            )
        self.confirmed = True
        self.notify(f"{len(self.chosen)} ratings recorded.")

    def action_tab(self, tab: str) -> None:
        # Focus follows the tab: left on a hidden pane, it would pull the old tab back.
        self.query_one(TabbedContent).active = tab
        self.query_one("#questions" if tab == "lessons" else "#ratings-table").focus()

    # ── finish ──────────────────────────────────────────────────────────────────────────
    def action_finish(self) -> None:
        question = "Finish: end the run and write the report?"
        if not self.confirmed:
            question = "Ratings are not confirmed (c). " + question

        def finish(yes: bool | None) -> None:
            if yes:
                self.finish_now()

        self.app.push_screen(Confirm(question, yes="Finish"), finish)

    def finish_now(self) -> list[str]:
        from drillbook.tui.hotwash.finish_screen import FinishScreen

        lines = self.drill.finish()
        self.app.push_screen(FinishScreen(lines))
        return lines
