"""Setting up a run: roster (typed or from a file), client profile, practice or official."""

from __future__ import annotations

from pathlib import Path

from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.journal import read_journal
from drillbook.simulator.session import RunSettings
from drillbook.tui.facilitator.screen import FacilitatorScreen
from drillbook.tui.setup_screen import SetupScreen
from textual.widgets import Input, Select, Switch
from tuikit import FakeWall, new_app, texts


async def test_what_is_set_up_goes_into_the_journal_header(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    client = tmp_path / "skylark.yaml"
    path = tmp_path / "run.jsonl"
    app = new_app(loaded, path, wall, settings=RunSettings(seed=7, plan="plan.yaml"))
    app.clients = [client]
    async with app.run_test() as pilot:
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, SetupScreen)
        assert f"Journal: {path}" in texts(setup)
        setup.query_one("#name-on_call", Input).value = "Ana"
        setup.query_one("#name-legal_advisor", Input).value = "  Lee "
        setup.query_one("#client", Select).value = str(client)
        setup.query_one("#practice", Switch).value = True
        await pilot.pause()
        assert "practice run: kept out of official reports" in texts(setup)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FacilitatorScreen)
        assert app.seat_title("on_call") == "On-call engineer (Ana)"
        assert "practice" in texts(app.screen)
    header = read_journal(path).events[0]
    assert header["roster"] == {"on_call": "Ana", "legal_advisor": "Lee"}
    assert header["client"] == str(client) and header["practice"] is True
    assert (header["seed"], header["plan"], header["mode"]) == (7, "plan.yaml", "play")


async def test_a_roster_file_fills_the_names_and_a_bad_one_says_where(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    good = tmp_path / "team.yaml"
    good.write_text('roles:\n  on_call: "Ana"\n  incident_commander: "Dana"\n', encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text('roles:\n  on_call: "Ana"\n  night_nurse: "Bo"\n', encoding="utf-8")
    app = new_app(loaded, tmp_path / "run.jsonl", wall)
    async with app.run_test(notifications=True) as pilot:
        await pilot.pause()
        setup = app.screen
        box = setup.query_one("#roster-path", Input)
        box.value = str(bad)
        await pilot.press("ctrl+l")
        await pilot.pause()
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and errors[0].startswith(f"{bad}:3:3: ")
        assert "night_nurse" in errors[0]
        assert setup.query_one("#name-on_call", Input).value == ""
        box.value = str(good)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert setup.query_one("#name-on_call", Input).value == "Ana"
        assert setup.query_one("#name-incident_commander", Input).value == "Dana"
        assert app.session is None  # nothing is journaled before play begins
