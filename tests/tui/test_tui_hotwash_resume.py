"""A crash during the hot wash loses nothing: the resumed run opens the hot wash again,
with the lessons and confirmed ratings already captured."""

from __future__ import annotations

from pathlib import Path

from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.commands import Record
from drillbook.simulator.journal import read_journal
from drillbook.simulator.replay import replay, resume
from drillbook.tui.facilitator.screen import FacilitatorScreen
from drillbook.tui.factory import make_app
from drillbook.tui.hotwash.screen import HotWashScreen
from tuikit import FakeScorer, FakeWall, begin, new_app, run_clock_to, texts


async def test_a_run_stopped_in_the_hot_wash_resumes_into_it(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    path = tmp_path / "run.jsonl"
    app = new_app(loaded, path, wall, scorer=FakeScorer(loaded))
    async with app.run_test() as pilot:
        await begin(app, pilot)
        run_clock_to(app, wall, 30)
        app.open_hot_wash()
        await pilot.pause()
        wash = app.screen
        assert isinstance(wash, HotWashScreen)
        assert app.session is not None
        app.session.apply(
            Record("lesson", dict(capability="containment", text="Kill switch first"))
        )
        wash.action_confirm_ratings()
    # the terminal dies mid hot wash: nothing finished; the writer lets go of the journal
    assert app.session is not None and app.session.journal is not None
    app.session.journal.close()
    kinds = [e["type"] for e in read_journal(path).events]
    assert kinds.count("hotwash_started") == 1 and "run_ended" not in kinds

    session = resume(path, wall=FakeWall())
    app = make_app(session=session, scorer=FakeScorer(loaded))
    async with app.run_test() as pilot:
        await pilot.pause()
        wash = app.screen
        assert isinstance(wash, HotWashScreen)
        assert isinstance(app.screen_stack[0], FacilitatorScreen)
        assert "Kill switch first" in texts(wash)
        assert wash.chosen  # the confirmed ratings came back from the journal
        app.finish()
    events = read_journal(path).events
    assert [e["type"] for e in events].count("hotwash_started") == 1  # not journaled twice
    assert events[-1]["type"] == "run_ended"
    assert replay(path).ok
