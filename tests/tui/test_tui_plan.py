"""The plan screen shows the plan in force (``--plan``), not a fixed copy."""

from __future__ import annotations

from pathlib import Path

from drillbook.scenarios.loader import LoadedScenario
from drillbook.scoring.plan import DEFAULT_PLAN_PATH
from drillbook.simulator.session import RunSettings
from drillbook.tui.plan_screen import PlanScreen
from tuikit import FakeWall, begin, new_app


async def test_the_plan_screen_renders_the_plan_the_run_is_played_under(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    own = tmp_path / "own.yaml"
    text = DEFAULT_PLAN_PATH.read_text(encoding="utf-8")
    text = text.replace(
        "title: AI incident response plan (the article's)", "title: Own plan [b]x[/b]"
    )
    own.write_text(text.replace('version: "1"', 'version: "7"', 1), encoding="utf-8")
    settings = RunSettings(seed=1, plan=str(own))
    app = new_app(loaded, tmp_path / "j.jsonl", wall, settings=settings)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        await pilot.press("f3")
        assert isinstance(app.screen, PlanScreen)
        source = app.screen.query_one("#plan-text").document.source
        assert source.startswith("# Own plan \\[b\\]x\\[/b\\]")  # text, never markup
        assert "version 7" in source and "| **Notify the client** |" in source
        await pilot.press("escape")
        assert not isinstance(app.screen, PlanScreen)


def test_the_plan_text_carries_the_runs_client_profile() -> None:
    from drillbook.scenarios.library import LIBRARY_DIR
    from drillbook.tui.plan_screen import plan_text

    source = plan_text(None, str(LIBRARY_DIR / "clients" / "skylark-regional.yaml"))
    assert "for Skylark Regional" in source and "30 min \\*" in source


async def test_a_hot_wash_lesson_can_be_marked_as_a_plan_change(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    from drillbook.simulator.journal import read_journal
    from drillbook.tui.hotwash.screen import HotWashScreen
    from drillbook.tui.widgets.confirm import Confirm
    from textual.widgets import Checkbox, Input, Select
    from tuikit import FakeScorer, run_clock_to, texts

    path = tmp_path / "j.jsonl"
    app = new_app(loaded, path, wall, scorer=FakeScorer(loaded))
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 30)
        await pilot.press("h")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        wash = app.screen
        assert isinstance(wash, HotWashScreen)
        wash.query_one("#lesson-capability", Select).value = "notification"
        wash.query_one("#lesson-text", Input).value = "Page the client at 30 min"
        box = wash.query_one("#lesson-plan-change", Checkbox)
        box.value = True
        assert wash.capture_lesson()
        wash.query_one("#lesson-capability", Select).value = "containment"
        wash.query_one("#lesson-text", Input).value = "Practise the kill switch"
        assert box.value is False and wash.capture_lesson()  # ticked for one lesson only
        await pilot.pause()
        shown = texts(wash)
        assert "plan change · Page the client at 30 min" in shown
        assert "plan change · Practise" not in shown
        lessons = [e for e in app.session.history() if e["type"] == "lesson"]
    assert [bool(e.get("plan_change")) for e in lessons] == [True, False]
    journaled = [e for e in read_journal(path).events if e["type"] == "lesson"]
    assert journaled[0]["plan_change"] is True and "plan_change" not in journaled[1]
