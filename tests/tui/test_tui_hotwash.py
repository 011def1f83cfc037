"""End of play: the hot wash records lessons and confirmed ratings, then the run is finished
and handed to the report hook."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.journal import read_journal
from drillbook.tui.hotwash.finish_screen import FinishScreen
from drillbook.tui.hotwash.screen import HotWashScreen
from drillbook.tui.widgets.confirm import Confirm
from textual.widgets import Input, Select
from tuikit import FakeScorer, FakeWall, begin, new_app, run_clock_to, texts


async def test_lessons_ratings_and_the_report_hook(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    path = tmp_path / "run.jsonl"
    handed: list[Path | None] = []

    def on_finish(journal: Path | None) -> list[str]:
        handed.append(journal)
        assert read_journal(journal).ended  # the journal is complete when the hook runs
        return ["Report: aar.html", f"Journal: {journal}"]

    app = new_app(loaded, path, wall, scorer=FakeScorer(loaded), on_finish=on_finish)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 30)
        await pilot.press("h")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        wash = app.screen
        assert isinstance(wash, HotWashScreen)
        assert not app.session.snapshot().running
        shown = texts(wash)
        assert "Play stopped at day 1 Tue 04:17 · T+0:30 · lessons" in shown
        assert f"1. {loaded.scenario.discussion[0]}" in shown

        # by keys: a question (enter), a capability (type to find it, enter), the lesson (enter)
        await pilot.press("down", "down", "enter", "enter", *"cont", "enter")
        await pilot.pause()
        assert wash.query_one("#lesson-capability", Select).value == "containment"
        await pilot.press(*"Kill switch first", "enter")
        await pilot.pause()
        assert "containment | 3 | Kill switch first" in texts(wash)
        assert wash.query_one("#lesson-text", Input).value == ""

        wash.action_tab("ratings")
        await pilot.pause()
        assert all(rating == "S" for rating in wash.chosen.values())  # the scorer's, proposed
        await pilot.press("P")
        first = next(iter(wash.chosen))
        assert wash.chosen[first] == "P"
        await pilot.press("c")
        await pilot.press("f")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, FinishScreen)
        assert "Report: aar.html" in texts(app.screen)
        assert app.session.ended
    assert handed == [path]
    events = read_journal(path).events
    lesson = next(e for e in events if e["type"] == "lesson")
    assert (lesson["capability"], lesson["question"], lesson["sim"]) == ("containment", 2, 30)
    ratings = {e["capability"]: e["rating"] for e in events if e["type"] == "rating"}
    assert ratings[first] == "P" and len(ratings) == len(wash.chosen)
    assert events[-1]["type"] == "run_ended" and events[-1]["sim"] == 30
    assert app.finish_lines == ["Report: aar.html", f"Journal: {path}"]


@pytest.mark.parametrize("hook", [None, "raises"])
async def test_finishing_without_a_report_or_when_it_fails_still_names_the_journal(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path, hook: str | None
) -> None:
    def broken(journal: Path | None) -> list[str]:
        raise RuntimeError("template missing")

    path = tmp_path / "run.jsonl"
    app = new_app(loaded, path, wall, on_finish=broken if hook else None)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        app.open_hot_wash()
        await pilot.pause()
        lines = app.screen.finish_now()
    if hook:
        assert lines == ["Report not written: template missing", f"Journal: {path}"]
    else:
        assert lines == [f"Journal: {path}"]
    assert read_journal(path).ended
