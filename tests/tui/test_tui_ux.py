"""The console as a room uses it (issue 15): safe keys, forms that keep what was typed, the
escalation that reaches its target, a roster that must load, and a resume that looks like the
moment before the crash."""

from __future__ import annotations

from pathlib import Path

from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.journal import read_journal
from drillbook.simulator.replay import replay, resume
from drillbook.tui.desk_state import CLOCK_MARK, INJECT_READ, MARK_EVERY_WALL_SECONDS
from drillbook.tui.facilitator.dialogs import AdhocDialog
from drillbook.tui.factory import make_app
from drillbook.tui.hotwash.screen import HotWashScreen
from drillbook.tui.role.inbox import UNREAD, Inbox
from drillbook.tui.role.screen import RoleScreen
from drillbook.tui.setup_screen import SetupScreen
from drillbook.tui.widgets.confirm import Confirm
from drillbook.tui.widgets.key_legend import KeyLegend
from textual.widgets import Checkbox, DataTable, Input, SelectionList
from tuikit import FakeScorer, FakeWall, begin, new_app, run_clock_to, texts


async def test_hot_wash_ratings_only_from_the_rating_control(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall, scorer=FakeScorer(loaded))
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 30)
        app.open_hot_wash()
        await pilot.pause()
        wash = app.screen
        assert isinstance(wash, HotWashScreen)
        before = dict(wash.chosen)
        wash.query_one("#lessons-table", DataTable).focus()
        await pilot.press(*"U c")  # a sentence typed with the focus on the lessons table
        assert wash.chosen == before and not wash.confirmed
        assert wash.query_one("#tabs").active == "lessons"
        assert not [e for e in app.session.history() if e["type"] == "rating"]
        legend = wash.query_one(KeyLegend).plain_text
        assert "Rate" not in legend and "g Ratings" in legend

        await pilot.press("g")  # explicit: the cursor goes to the rating control
        await pilot.pause()
        assert "P S M U Rate" in wash.query_one(KeyLegend).plain_text
        await pilot.press("U")
        first = next(iter(wash.chosen))
        assert wash.chosen[first] == "U"
        await pilot.press("c")
        ratings = [e for e in app.session.history() if e["type"] == "rating"]
        assert {e["capability"]: e["rating"] for e in ratings}[first] == "U"


async def test_a_refused_adhoc_inject_keeps_the_form_and_says_what_to_type(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 10)
        facilitator = app.screen
        facilitator.action_adhoc()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AdhocDialog)
        dialog.query_one("#to", SelectionList).select("on_call")
        dialog.query_one("#title", Input).value = "CEO on the line"
        dialog.query_one("#at", Input).value = "+0:05"  # already past
        dialog.action_save()
        await pilot.pause()
        assert app.screen is dialog  # still open, everything typed still there
        assert dialog.query_one("#title", Input).value == "CEO on the line"
        assert dialog.query_one("#to", SelectionList).selected == ["on_call"]
        said = list(app._notifications)[-1].message
        assert "has passed: it is now day 1 Tue 03:57 (+0:10)" in said
        assert "quoted" not in said and "H:MM" not in said

        dialog.query_one("#at", Input).value = "Tue 04:30"  # the story's own clock
        dialog.action_save()
        await pilot.pause()
        assert app.screen is facilitator
        sent = [e for e in app.session.history() if e.get("verb") == "adhoc"]
        assert [(e["due"], e["to"]) for e in sent] == [(43, ["on_call"])]
        assert "+0:43 | adhoc-1 | OC | due (ad hoc)" in texts(facilitator)  # its "to" shown


async def test_an_escalation_reaches_the_incident_commanders_inbox(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 8)
        before = app.unread("incident_commander")
        app.submit(
            "on_call",
            {"action": "escalate", "to": "incident_commander", "re": "anomaly-alert"},
        )
        assert app.unread("incident_commander") == before + 1
        app.go_to_seat("incident_commander")
        await pilot.pause()
        console = app.screen
        assert isinstance(console, RoleScreen)
        inbox = console.query_one(Inbox)
        rows = [" | ".join(map(str, inbox.get_row_at(i))) for i in range(inbox.row_count)]
        assert any("Escalated to you by On-call engineer" in r for r in rows)
        assert console.current_inject()["body"].endswith("About: anomaly-alert")
        console.action_decide()  # a reply is about the inject that was escalated
        await pilot.pause()
        # the technical lead, not escalated to, still sees nothing of it
        assert not [e for e in app.session.history("technical_lead") if e["type"] == "action_taken"]


async def test_a_roster_file_that_does_not_load_stops_play_from_beginning(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test() as pilot:
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, SetupScreen)
        missing = tmp_path / "no-such-roster.yaml"
        setup.query_one("#roster-path", Input).value = str(missing)
        setup.action_begin()
        await pilot.pause()
        assert app.session is None and app.screen is setup
        said = [n.message for n in app._notifications]
        assert any(str(missing) in m for m in said)
        assert any(m.startswith("Play has not begun") for m in said)

        roster = tmp_path / "roster.yaml"
        roster.write_text('roles: {on_call: "Ana"}\n')
        setup.query_one("#roster-path", Input).value = str(roster)
        setup.action_begin()  # loads it on the way: play begins with the names in it
        await pilot.pause()
        assert app.session is not None and app.session.settings.roster == {"on_call": "Ana"}


async def test_resume_restores_unread_marks_the_seat_and_where_the_clock_was(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    path = tmp_path / "run.jsonl"
    app = new_app(loaded, path, wall, speed=1)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 21)
        app.go_to_seat("on_call")  # the first inject opens, and so is read
        await pilot.pause()
        read_before = set(app.read["on_call"])
        unread_before = app.unread("on_call")
        assert read_before and unread_before
        for _ in range(2):  # the clock runs on; its position is journaled every few seconds
            wall.t += MARK_EVERY_WALL_SECONDS
            app.tick_clock()
        where = app.session.snapshot().reached
        assert where > 21
        # the machine dies here: no pause, no end, nothing but what is in the journal
    app.session.journal.close()
    kinds = [e["type"] for e in read_journal(path).events]
    assert INJECT_READ in kinds and CLOCK_MARK in kinds

    session = resume(path, wall=FakeWall())
    assert session.snapshot().reached == where
    app = make_app(session=session)
    async with app.run_test() as pilot:
        await pilot.pause()
        console = app.screen
        assert isinstance(console, RoleScreen) and console.role == "on_call"  # the seat it was on
        assert app.read["on_call"] == read_before
        assert app.unread("on_call") == unread_before
        inbox = console.query_one(Inbox)
        marks = [inbox.get_row_at(i)[0] for i in range(inbox.row_count)]
        assert marks.count(UNREAD) == unread_before
        app.finish()
    assert replay(path).ok  # the records replay like every other line


async def test_ctrl_q_asks_once_and_can_be_told_not_to(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        await pilot.press("ctrl+q")
        ask = app.screen
        assert isinstance(ask, Confirm)
        await pilot.press("ctrl+q")  # a second chord does not stack a second question
        assert app.screen is ask
        ask.query_one(Checkbox).value = True  # don't ask again this run
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, Confirm)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_every_facilitator_key_shows_at_80x24_in_two_rows(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(app, pilot)
        screen = app.screen
        for tab in ("msel", "decisions", "evaluation"):
            screen.action_tab(tab)
            await pilot.pause()
            legend = screen.query_one(KeyLegend)
            shown = legend.plain_text
            for _node, binding, enabled, _tip in screen.active_bindings.values():
                if binding.show and enabled:
                    words = binding.group.description if binding.group else binding.description
                    assert words in shown, (tab, words)
            assert shown.endswith("^p palette")
            assert legend.size.height <= 2, tab


async def test_each_action_form_says_which_plan_steps_it_serves(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 8)
        app.go_to_seat("incident_commander")
        await pilot.pause()
        app.screen.action_decide("status_update")
        await pilot.pause()
        said = str(app.screen.query_one("#plan-steps").render())
        assert said.startswith("Plan steps it can serve: Update the response team")
        app.screen.dismiss(None)
        await pilot.pause()
        app.screen.action_decide("note")
        await pilot.pause()
        assert "none — the plan has no step" in str(app.screen.query_one("#plan-steps").render())
