"""The flagship played through the app gives the same journal as the headless run.

The model team's decisions are taken at their sim times: the clock is moved by the app's own
clock (a fake wall and the app's tick, the timer's path) and each decision goes through the
app's submit path. Clock events and the header's mode and roster aside, the two journals agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drillbook.scenarios import library
from drillbook.scenarios.loader import LoadedScenario
from drillbook.scenarios.transcript import load_transcript
from drillbook.simulator.headless import run_transcript
from drillbook.simulator.journal import Journal, read_journal, story_events
from drillbook.simulator.session import RunSettings
from drillbook.tui.desk_state import DESK_RECORDS
from drillbook.tui.factory import make_app
from tuikit import FakeWall, begin, run_clock_to


def comparable(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events as replay compares them, without seq (clock events take numbers) and mode/roster."""
    out = []
    for e in story_events(events):
        if e["type"] in DESK_RECORDS:  # what the consoles remember (read marks…), not story
            continue
        e = {k: v for k, v in e.items() if k != "seq"}
        if e["type"] == "run_started":
            e = {k: v for k, v in e.items() if k not in ("mode", "roster")}
        out.append(e)
    return out


async def test_the_model_team_through_the_app_matches_the_headless_run(
    loaded: LoadedScenario, wall: FakeWall, tmp_path: Path
) -> None:
    transcript = load_transcript(library.reference_transcript(loaded.scenario.id))
    headless = run_transcript(loaded, transcript)

    path = tmp_path / "play.jsonl"
    app = make_app(
        loaded,
        journal=Journal(path),
        settings=RunSettings(seed=transcript.seed or 0, roster={"on_call": "Ana"}),
        wall=wall,
        speed=60,
    )
    async with app.run_test() as pilot:
        await begin(app, pilot)
        for decision in transcript.decisions:
            if app.session.snapshot().reached < decision.at:
                run_clock_to(app, wall, decision.at)
            assert app.submit(decision.role, decision.action) is not None, decision
        run_clock_to(app, wall, float(loaded.scenario.ends))
        await pilot.pause()
        app.finish()
        await pilot.pause()

    played = read_journal(path).events
    assert any(e["type"] == "clock" for e in played)
    assert played[0]["mode"] == "play" and played[0]["roster"] == {"on_call": "Ana"}
    assert comparable(played) == comparable(headless.history())
