"""A role console: the inbox with unread marks, the inject with its attachments and question,
decision forms built from the action contract, the role's own decisions, the plan at hand."""

from __future__ import annotations

from pathlib import Path

from drillbook.scenarios.actions import ACTION_NAMES
from drillbook.scenarios.loader import LoadedScenario
from drillbook.tui.commands import commands_for
from drillbook.tui.help_screen import HelpScreen
from drillbook.tui.plan_screen import PlanScreen
from drillbook.tui.role.inbox import UNREAD, Inbox
from drillbook.tui.role.inject_view import InjectView
from drillbook.tui.role.screen import RoleScreen
from drillbook.tui.seat_picker import SeatPicker
from drillbook.tui.widgets.action_form import ActionForm
from drillbook.tui.widgets.choice_dialog import ChoiceDialog
from textual.widgets import DataTable, Select, SelectionList, TabbedContent
from tuikit import FakeWall, begin, new_app, run_clock_to, texts


async def test_the_inbox_marks_unread_injects_until_they_are_opened(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        # +0:20½, not +0:21: a seat change is journaled, and the journal line delivers what is
        # due at that very minute first (the +0:21 escalation), as a replay would
        run_clock_to(app, wall, 20.5)
        assert app.unread("on_call") == 2 and app.unread("data_lead") == 1
        await pilot.press("f2")
        assert isinstance(app.screen, SeatPicker)
        assert "1  On-call engineer  2 unread" in texts(app.screen)
        await pilot.press("1")
        await pilot.pause()
        console = app.screen
        assert isinstance(console, RoleScreen) and console.role == "on_call"
        inbox = console.query_one(Inbox)
        assert [inbox.get_row_at(i)[0] for i in range(2)] == [" ", UNREAD]  # first one open
        assert app.unread("on_call") == 1
        assert "P3 alert: mean fare down 91 %" in texts(console.query_one(InjectView))
        await pilot.press("down")
        assert inbox.get_row_at(1)[0] == " " and app.unread("on_call") == 0
        view = console.query_one(InjectView)
        shown = texts(view)
        assert "Booking volume monitor · dashboard · 04:07" in shown
        assert "Top routes by $14 bookings" in shown
        table = view.query_one(DataTable)
        assert [str(c) for c in table.get_row_at(0)] == ["BOS–PWM", "142", "233"]


async def test_a_decision_through_its_form(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test(notifications=True) as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 9)
        app.go_to_seat("on_call")
        await pilot.pause()
        await pilot.press("a")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("c", "l", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm) and form.action == "classify"
        assert form.query_one("#f-re", Select).value == "anomaly-alert"  # the open inject
        await pilot.press("ctrl+s")  # no severity, no types: the form says so, nothing recorded
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        assert not [e for e in app.session.history() if e["type"] == "action_taken"]
        assert any(n.message.startswith("severity: required") for n in app._notifications)
        form.query_one("#f-severity", Select).value = "critical"
        types = form.query_one("#f-types", SelectionList)
        types.select("data")
        types.select("performance")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RoleScreen)
        taken = [e for e in app.session.history() if e["type"] == "action_taken"]
        assert [(e["role"], e["action"], e["params"], e["sim"]) for e in taken] == [
            (
                "on_call",
                "classify",
                {"re": "anomaly-alert", "severity": "critical", "types": ["performance", "data"]},
                9,
            )
        ]
        await pilot.press("d")
        assert app.screen.query_one(TabbedContent).active == "decisions"
        assert "03:56 | classify (severity=critical; types=performance, data)" in texts(app.screen)


async def test_answering_the_question_an_inject_asks(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 20.5)
        app.submit("communications_lead", {"action": "notify", "audience": "client"})
        run_clock_to(app, wall, 36)  # the duty manager calls 15 minutes later
        app.go_to_seat("incident_commander")
        await pilot.pause()
        console = app.screen
        assert console.open_inject("client-duty-manager")
        assert "What do you recommend to the client?" in texts(console.query_one(InjectView))
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm) and form.action == "answer"
        assert form.query_one("#f-inject", Select).value == "client-duty-manager"
        options = form.query_one("#f-option", Select)
        assert [v for _, v in options._options if v is not Select.NULL] == [
            "honour",
            "cancel-refund",
            "wait",
        ]
        options.value = "cancel-refund"
        form.action_record()
        await pilot.pause()
        answer = [e for e in app.session.history() if e["type"] == "action_taken"][-1]
        assert answer["role"] == "incident_commander"
        assert answer["params"]["inject"] == "client-duty-manager"
        assert answer["params"]["option"] == "cancel-refund"


async def test_every_action_is_in_the_palette_and_the_plan_and_help_are_at_hand(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        app.go_to_seat("data_lead")
        await pilot.pause()
        titles = [c.title for c in commands_for(app.screen)]
        assert all(f"Act: {name.replace('_', ' ')}" in titles for name in ACTION_NAMES)
        assert {
            "Act",
            "Answer",
            "My decisions",
            "Response plan",
            "Help: keys and how to play",
        } <= set(titles)
        await pilot.press("f3")
        assert isinstance(app.screen, PlanScreen)
        plan = app.screen.query_one("#plan-text").document.source
        assert "Preserve evidence" in plan and "within 1 hour for Critical" in plan
        await pilot.press("escape", "f1")
        assert isinstance(app.screen, HelpScreen)
        help_text = app.screen.query_one("#help-text").document.source
        assert "| `a` | Act |" in help_text and "Your seat" in help_text
        # the seat's own keys come before the widgets' cursor keys, not three pages after
        assert help_text.index("| `a` | Act |") < help_text.index("## Moving around")
        assert help_text.index("## Moving around") < help_text.index("Cursor down")


async def test_every_action_of_the_contract_opens_a_form(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 21)
        app.go_to_seat("data_lead")
        await pilot.pause()
        for name in ACTION_NAMES:
            app.screen.action_decide(name)
            await pilot.pause()
            form = app.screen
            assert isinstance(form, ActionForm) and form.action == name
            assert {f"f-{spec.name}" for spec in form.specs} <= {
                w.id for w in form.query("*") if w.id
            }
            assert form.values()["re"] == "booking-spike"  # the inject open on the desk
            await pilot.press("escape")
        assert not [e for e in app.session.history() if e["type"] == "action_taken"]
