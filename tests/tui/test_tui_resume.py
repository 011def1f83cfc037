"""A closed terminal loses nothing: the run resumes from its journal, on every seat."""

from __future__ import annotations

from pathlib import Path

from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.replay import replay, resume
from drillbook.tui.factory import make_app
from drillbook.tui.role.inbox import Inbox
from tuikit import FakeWall, begin, new_app, run_clock_to, texts


async def test_quit_mid_play_then_resume_and_finish(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    path = tmp_path / "run.jsonl"
    app = new_app(loaded, path, wall)
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 8)
        app.submit("on_call", {"action": "acknowledge", "re": "anomaly-alert"})
        run_clock_to(app, wall, 21)
        await pilot.press("ctrl+q")  # quit without ending: the journal holds it all
    assert app.session is not None and app.session.journal is not None
    app.session.journal.close()  # as `drillbook play` does on the way out: its lock goes

    later = FakeWall()
    session = resume(path, wall=later)
    app = make_app(session=session)
    async with app.run_test() as pilot:
        await pilot.pause()
        facilitator = app.screen
        assert "T+0:21" in texts(facilitator) and "paused" in texts(facilitator)
        assert "+0:08 | OC | (no scorer) | acknowledge" in texts(facilitator)
        app.go_to_seat("on_call")
        await pilot.pause()
        assert app.screen.query_one(Inbox).row_count == 2
        app.go_to_seat("facilitator")
        facilitator.action_toggle_clock()
        later.t += 4  # ×60: four story minutes
        app.tick_clock()
        assert session.snapshot().reached == 25
        assert app.submit("technical_lead", {"action": "contain", "method": "fallback"})
        app.finish()
    result = replay(path)
    assert result.ok, result.difference
