"""The facilitator console: the clock, the MSEL, decisions with verdicts, notes and ratings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.journal import read_journal
from drillbook.tui.facilitator.dialogs import AdhocDialog, NoteDialog, RatingDialog, RetimeDialog
from drillbook.tui.facilitator.evaluation_table import EvaluationTable
from drillbook.tui.facilitator.msel_table import MselTable
from drillbook.tui.facilitator.screen import FacilitatorScreen
from drillbook.tui.widgets.action_form import ActionForm
from drillbook.tui.widgets.confirm import Confirm
from textual.widgets import Input, Select, SelectionList
from tuikit import SENTINEL, FakeScorer, FakeWall, begin, new_app, run_clock_to, texts


def of_type(app: Any, type_: str) -> list[dict[str, Any]]:
    return [e for e in app.session.history() if e["type"] == type_]


async def test_clock_start_pause_speed_and_jump(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall, speed=None)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        screen = app.screen
        assert isinstance(screen, FacilitatorScreen)
        session = app.session
        assert "Tue 03:47 · T+0:00" in texts(screen) and "not started ×1" in texts(screen)
        await pilot.press("space")
        assert session.snapshot().running
        for want in (5, 15, 60, 60):
            screen.action_faster()
            assert session.snapshot().speed == want
        screen.action_slower()
        assert session.snapshot().speed == 15
        wall.t += 40  # 40 s at ×15 = 10 story minutes
        app.tick_clock()
        await pilot.pause()
        assert app.session.snapshot().reached == 10
        assert "Tue 03:57 · T+0:10" in texts(screen) and "running ×15" in texts(screen)
        await pilot.press("space")
        assert not session.snapshot().running
        screen.action_jump()
        assert app.session.snapshot().reached == 20  # the booking spike; the alert came at +0:06
        await pilot.pause()
        assert "T+0:20" in texts(screen) and "paused ×15" in texts(screen)
    verbs = [e["verb"] for e in read_journal(tmp_path / "j.jsonl").events if e["type"] == "clock"]
    assert verbs == ["start", "speed", "speed", "speed", "speed", "speed", "pause", "jump"]


async def test_the_msel_shows_what_is_due_and_what_waits_on_a_condition(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 7)
        await pilot.pause()
        msel = app.screen.query_one(MselTable)
        rows = texts(app.screen)
        assert "anomaly-alert | OC | delivered · P3 alert" in rows
        assert "+0:20 | booking-spike | OC DL | due" in rows
        assert "— | alert-escalated | OC IC | if acknowledge not done by +0:21" in rows
        assert "Tickets sold at $14 420" in rows  # 60 a minute for 7 minutes
        assert msel.upcoming["still-selling"]["kind"] == "conditional"


async def test_retime_cancel_and_an_adhoc_inject_go_through_the_session(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 10)
        screen = app.screen
        msel = screen.query_one(MselTable)
        msel.move_cursor(row=msel.get_row_index("u:booking-spike"))
        await pilot.press("t")
        dialog = app.screen
        assert isinstance(dialog, RetimeDialog)
        dialog.query_one("#due", Input).value = "+0:05"  # the past: refused, nothing journaled
        dialog.action_save()
        await pilot.pause()
        assert not of_type(app, "facilitator")
        # in the form's words, and the dialog stays open with what was typed
        assert any("+0:05 (day 1 Tue 03:52) has passed" in n.message for n in app._notifications)
        assert app.screen is dialog and dialog.query_one("#due", Input).value == "+0:05"
        dialog.query_one("#due", Input).value = "+0:30"
        app.screen.action_save()
        await pilot.pause()
        assert of_type(app, "facilitator")[-1] == {
            **of_type(app, "facilitator")[-1],
            "verb": "retime",
            "inject": "booking-spike",
            "due": 30.0,
        }
        assert "+0:30 | booking-spike" in texts(screen)

        msel.move_cursor(row=msel.get_row_index("u:deal-sites"))
        screen.action_cancel_inject()
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert of_type(app, "facilitator")[-1]["verb"] == "cancel"
        assert "— | deal-sites |  | cancelled" in texts(screen)

        screen.action_adhoc()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AdhocDialog)
        dialog.action_save()  # no role, no title: refused by the form
        assert isinstance(app.screen, AdhocDialog)
        dialog.query_one("#to", SelectionList).select("on_call")
        dialog.query_one("#channel", Select).value = "phone"
        dialog.query_one("#title", Input).value = "CEO on the line"
        dialog.query_one("#body", Input).value = "Where are we?"
        dialog.action_save()
        await pilot.pause()
        assert of_type(app, "facilitator")[-1]["verb"] == "adhoc"
        delivered = [e for e in app.session.history("on_call") if e["type"] == "inject_delivered"]
        assert delivered[-1]["title"] == "CEO on the line" and delivered[-1]["sim"] == 10


async def test_a_decision_on_behalf_of_a_role_shows_its_verdict(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall, scorer=FakeScorer(loaded))
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 8)
        screen = app.screen
        await pilot.press("r")
        app.screen.dismiss("on_call")  # the role picker
        await pilot.pause()
        app.screen.dismiss("acknowledge")  # the action picker
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm) and form.role == "on_call"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FacilitatorScreen)
        taken = of_type(app, "action_taken")
        assert [(e["role"], e["action"], e["sim"]) for e in taken] == [
            ("on_call", "acknowledge", 8)
        ]
        seq = taken[0]["seq"]
        want = f"late fake-rule, {SENTINEL}" if seq % 2 else "met fake-rule, 3 min early"
        assert f"+0:08 | OC | {want} | acknowledge" in texts(screen)


async def test_a_refused_decision_is_a_notification_and_nothing_is_recorded(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test(notifications=True) as pilot:
        await begin(app, pilot)
        before = len(app.session.history())
        got = app.submit(
            "incident_commander",
            {"action": "answer", "inject": "client-duty-manager", "option": "honour"},
        )
        await pilot.pause()
        assert got is None and len(app.session.history()) == before
        assert any("has not reached" in n.message for n in app._notifications)


async def test_evaluator_notes_and_ratings_on_hot_keys(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall, scorer=FakeScorer(loaded))
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 12)
        screen = app.screen
        await pilot.press("e")
        note = app.screen
        assert isinstance(note, NoteDialog)
        note.query_one("#text", Input).value = "Nobody has the dashboard password"
        note.query_one("#capability", Select).value = "detection"
        note.query_one("#about", Select).value = "on_call"
        note.action_save()
        await pilot.pause()
        table = screen.query_one(EvaluationTable)
        table.move_cursor(row=table.get_row_index("containment"))
        await pilot.press("U")  # the MSEL has the focus: U is the Evaluation table's key
        assert app.screen is screen
        screen.action_tab("evaluation")
        await pilot.press("U")
        rating = app.screen
        assert isinstance(rating, RatingDialog)
        await pilot.press(*"still selling", "enter")
        await pilot.pause()
        notes, ratings = of_type(app, "evaluator_note"), of_type(app, "rating")
        assert [(e["text"], e["capability"], e["about"], e["sim"]) for e in notes] == [
            ("Nobody has the dashboard password", "detection", "on_call", 12)
        ]
        assert [(e["capability"], e["rating"], e["note"]) for e in ratings] == [
            ("containment", "U", "still selling")
        ]
        shown = texts(screen)
        assert "containment | S 75 | U |" in shown
        assert "detection | S 75 |  | 1" in shown


async def test_keys_have_ids_a_user_can_remap_and_help_lists_them(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    app = new_app(loaded, tmp_path / "j.jsonl", wall)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        app.set_keymap({"clock.jump": "j"})
        await pilot.press("j")
        assert app.session.snapshot().reached == 6  # the first inject, by the remapped key
        await pilot.press("f1")
        help_text = app.screen.query_one("#help-text").document.source
        assert "| `j` | Next |" in help_text and "| `t` | Re-time |" in help_text
        await pilot.press("escape")
        app.screen.action_tab("evaluation")  # the rating keys belong to the Evaluation table
        await pilot.press("f1")
        help_text = app.screen.query_one("#help-text").document.source
        assert "| `P` | Rate P |" in help_text
        assert "The facilitator's seat" in help_text
        await pilot.press("escape", "ctrl+t")
        assert app.theme == "textual-light" and not app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark
