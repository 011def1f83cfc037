"""A hostile scenario played start to finish in the real TUI: markup, a terminal escape and a
script tag in every text field, and typed by players too. Everything is shown as the
characters it is made of, nothing reaches the terminal as a control sequence, the journal
keeps what was typed (cleaned) and the report leaves it inert. A resume of the same journal
shows the same text the same way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from drillbook.reports.aar import build_aar
from drillbook.reports.exercise import load_exercise
from drillbook.reports.report import render_aar
from drillbook.scenarios.loader import LoadedScenario
from drillbook.scoring.files import plan_from
from drillbook.simulator.commands import Record
from drillbook.simulator.journal import read_journal
from drillbook.simulator.replay import resume
from drillbook.simulator.session import RunSettings
from drillbook.tui.facilitator.dialogs import AdhocDialog, NoteDialog, RatingDialog
from drillbook.tui.factory import make_app
from drillbook.tui.hotwash.finish_screen import FinishScreen
from drillbook.tui.hotwash.screen import HotWashScreen
from drillbook.tui.role.inject_view import InjectView
from drillbook.tui.role.screen import RoleScreen
from drillbook.tui.seat_picker import SeatPicker
from drillbook.tui.widgets.action_form import ActionForm, take_decision
from hostilekit import (
    HOSTILE,
    OSC,
    OSC_SHOWN,
    SCRIPT,
    as_loaded,
    assert_inert,
    load_hostile,
    shown,
)
from textual.widgets import Input, Select, SelectionList
from tuikit import FakeScorer, FakeWall, begin, new_app, run_clock_to, texts

from drillbook.commands.play import finish_hook

SIZE = (160, 50)
NOTE = f"note {HOSTILE}"
# The payload as typed by a player (or sent by a networked seat), once cleaned for the screen:
TYPED = f"[/i] [bold] {OSC_SHOWN}"  # up to its script tag
SHOWN = f"{TYPED} {SCRIPT} [x]"  # whole


@pytest.fixture
def hostile(tmp_path: Path) -> LoadedScenario:
    return load_hostile(tmp_path)


def _titles() -> dict[str, str]:
    """The plan's capabilities with the payload in their titles (a hostile plan file)."""
    return {cap: f"{c.title} {HOSTILE}" for cap, c in plan_from(None).capabilities.items()}


def _events(path: Path) -> list[dict]:
    return read_journal(path).events


async def test_a_hostile_scenario_plays_start_to_finish_as_plain_text(
    hostile: LoadedScenario,
    wall: FakeWall,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DRILLBOOK_DB", str(tmp_path / "register.db"))
    path = tmp_path / "run.jsonl"
    whole, head = as_loaded(hostile)
    settings = RunSettings(
        seed=1,
        roster={"on_call": f"Dana {HOSTILE}"},
        client=str(hostile.path.parent / "hostile-client.yaml"),
    )
    app = new_app(
        hostile,
        path,
        wall,
        settings=settings,
        scorer=FakeScorer(hostile),
        on_finish=finish_hook,
        capabilities=_titles(),
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        # the setup screen: the title as typed, the roster's name cleaned before it is recorded
        await pilot.pause()
        assert_inert(app, f"the $14 fares {whole}")
        assert app.screen.query_one("#name-on_call", Input).value == f"Dana {TYPED} {SCRIPT} [x]"
        await begin(app, pilot)

        # the facilitator's console: sub-title, meter labels and units, the MSEL's titles
        run_clock_to(app, wall, 21)
        await pilot.pause()
        assert_inert(app, "Facilitator · 3:47 AM", f"Tickets sold at $14 {head}")
        assert f"delivered · P3 alert: mean fare down 91 % on 40 routes {head}" in texts(app.screen)

        # a role's console: the brief, the inbox, an inject with its attachment
        app.go_to_seat("on_call")
        await pilot.pause()
        console = app.screen
        assert isinstance(console, RoleScreen)
        assert_inert(app, f"Fare anomaly detector {whole} ·", "$14 so far: 360.", f"▏  {whole}")
        assert console.open_inject("booking-spike")
        attachment = ("BOS–PWM [/i]", "$14 bookings [/i]", "Top routes by $14 bookings [/i]")
        await shown(pilot, app, *attachment)
        assert_inert(app, *attachment)

        # a decision through its form: the source picker lists the scenario's titles as text
        console.action_decide("investigate")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm)
        source = form.query_one("#f-source", Select)
        source.expanded = True
        await pilot.pause()
        assert_inert(app, f"Competitor fare scrape {head}", "Model deploy log [/i] [bold]")
        form.set_values(source="pricing-dashboard")
        form.action_record()  # on_call has no access: the refusal lands as a finding
        await pilot.pause()

        # a note typed with markup, an escape and a tag: recorded cleaned, shown as typed
        take_decision(console, "on_call", action="note")
        await pilot.pause()
        form = app.screen
        form.set_values(text=NOTE)
        await pilot.pause()
        assert form.query_one("#f-text", Input).value == f"note {TYPED} {SCRIPT} [x]"
        form.action_record()
        await pilot.pause()
        assert_inert(app, f"Recorded: note — “note {TYPED}")
        console.action_tab("decisions")
        await pilot.pause()
        assert_inert(app, f"note — “note {TYPED} {SCRIPT} [x]”")

        # the client's question and its options, answered through the form
        app.submit("communications_lead", {"action": "notify", "audience": "client"})
        run_clock_to(app, wall, 37)
        app.go_to_seat("incident_commander")
        await pilot.pause()
        console = app.screen
        assert console.open_inject("client-duty-manager")
        await pilot.pause()
        assert_inert(app, "What do you recommend to the client? [/i]", "• Honour every ticket")
        console.action_answer()
        await pilot.pause()
        form = app.screen
        form.query_one("#f-option", Select).expanded = True
        await pilot.pause()
        assert_inert(app, "Wait until the root cause is known [/i] [bold]")
        form.set_values(option="wait")
        form.action_record()
        await pilot.pause()

        # the seat picker and the command palette quote the roster's name
        app.action_choose_seat()
        await pilot.pause()
        assert isinstance(app.screen, SeatPicker)
        assert_inert(app, f"1  On-call engineer (Dana {TYPED}")
        app.screen.dismiss(None)
        await pilot.pause()
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"seat")
        await pilot.pause()
        assert_inert(app, f"Seat: On-call engineer (Dana {TYPED}")
        await pilot.press("escape")
        await pilot.pause()

        # the facilitator's own forms: an ad-hoc inject, a note, a rating
        app.go_to_seat("facilitator")
        await pilot.pause()
        facilitator = app.screen
        facilitator.action_adhoc()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AdhocDialog)
        dialog.query_one("#to", SelectionList).select("on_call")
        dialog.query_one("#title", Input).value = f"Ad hoc {HOSTILE}"
        dialog.query_one("#body", Input).value = f"Body {HOSTILE}"
        await pilot.pause()
        dialog.action_save()
        await pilot.pause()
        assert f"ad hoc, delivered · Ad hoc {TYPED}" in texts(facilitator)
        facilitator.action_note()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        dialog.query_one("#capability", Select).expanded = True
        await pilot.pause()
        assert_inert(app, "Containment [/i] [bold]")
        dialog.query_one("#text", Input).value = f"Observed {HOSTILE}"
        dialog.query_one("#capability", Select).value = "containment"
        await pilot.pause()
        dialog.action_save()
        await pilot.pause()
        facilitator.action_rate("S")
        await pilot.pause()
        assert isinstance(app.screen, RatingDialog)
        app.screen.query_one("#note", Input).value = f"why {HOSTILE}"
        await pilot.pause()
        app.screen.action_save()
        facilitator.action_tab("evaluation")
        await pilot.pause()
        assert_inert(app, "Detection and escalation [/i]")

        # the hot wash: questions, capabilities and lessons as text
        app.open_hot_wash()
        await pilot.pause()
        wash = app.screen
        assert isinstance(wash, HotWashScreen)
        assert_inert(app, "1. At what minute would your real on-call engineer")
        assert f"and what would they have done? {whole}" in texts(wash)
        wash.query_one("#lesson-capability", Select).value = "containment"
        wash.query_one("#lesson-text", Input).value = f"Lesson {HOSTILE}"
        await pilot.pause()
        assert wash.capture_lesson()
        await pilot.pause()
        assert_inert(app, f"Lesson {TYPED} {SCRIPT} [x]")
        wash.action_tab("ratings")
        wash.action_confirm_ratings()
        lines = wash.finish_now()
        await pilot.pause()
        assert isinstance(app.screen, FinishScreen)
        assert_inert(app, "The exercise has ended.")
    assert lines[0].startswith("Report: ") and lines[-1] == f"Journal: {path}"

    # the journal: everything typed is there, as typed, without a control character
    events = _events(path)
    typed = [
        json.dumps(e, ensure_ascii=False)
        for e in events
        if e["type"] in ("action_taken", "lesson", "evaluator_note", "rating", "facilitator")
        or e.get("kind") == "adhoc"
    ] + [json.dumps(events[0]["roster"], ensure_ascii=False)]
    assert all("\\u001b" not in line and "\\u0007" not in line for line in typed)
    assert any(f"note {TYPED}" in line for line in typed)
    assert any(f"Lesson {TYPED}" in line for line in typed)
    assert any(f"Ad hoc {TYPED}" in line for line in typed)
    assert events[-1]["type"] == "run_ended"

    # the report the finish wrote, and its Markdown twin: the tag is inert, the text is there
    report = Path(lines[0].removeprefix("Report: ")).read_text(encoding="utf-8")
    assert SCRIPT not in report and "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert f"note {TYPED}" in report and "[/i]" in report
    markdown = render_aar(build_aar(load_exercise(path)), "md")
    assert SCRIPT not in markdown and r"\<script\>alert(1)\</script\>" in markdown


async def test_a_resumed_hostile_run_shows_the_same_text_the_same_way(
    hostile: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    path = tmp_path / "run.jsonl"
    settings = RunSettings(seed=1, roster={"incident_commander": f"Ivo {HOSTILE}"})
    app = new_app(hostile, path, wall, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 21)
        app.submit("on_call", {"action": "note", "text": NOTE})  # as a networked seat sends it
        app.session.apply(Record("lesson", dict(capability="containment", text=f"Early {HOSTILE}")))
        await pilot.press("ctrl+q")  # closed mid-play: the journal holds it all
    assert app.session is not None and app.session.journal is not None
    app.session.journal.close()  # as `drillbook play` does on the way out: its lock goes

    session = resume(path, wall=FakeWall())
    app = make_app(session=session, capabilities=_titles())
    async with app.run_test(size=SIZE) as pilot:
        app.screen.action_tab("decisions")
        await pilot.pause()
        assert_inert(app, "Facilitator · 3:47 AM", f"note — “note {SHOWN}”")
        app.go_to_seat("on_call")
        await pilot.pause()
        assert_inert(app, f"Fare anomaly detector {as_loaded(hostile)[0]} ·")
        app.go_to_seat("incident_commander")
        await pilot.pause()
        assert_inert(app, f"drillbook — Incident Commander (Ivo {SHOWN})")
        assert isinstance(app.screen.query_one(InjectView), InjectView)
        app.open_hot_wash()
        await pilot.pause()
        assert_inert(app, f"Early {SHOWN}")  # a lesson from before the resume
        assert app.screen.finish_now()
    assert read_journal(path).ended


def test_scenario_text_is_cleaned_at_load_time_so_no_report_carries_an_escape(
    hostile: LoadedScenario,
) -> None:
    """The TUI cleans what it shows; the reports print scenario text as loaded, so an ESC in a
    scenario reaches the HTML and Markdown report until the loader cleans it (issue 10, 4)."""
    assert OSC not in hostile.scenario.title
