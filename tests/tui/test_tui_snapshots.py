"""The main screens' layout, pinned at 80×24 (and the wide layouts at 120×40 and 140×45; the
small-terminal notice at 60×20).

Update after a deliberate change with ``pytest tests/tui --snapshot-update`` and look at the
SVGs in ``__snapshots__`` before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from drillbook.simulator.session import RunSettings
from drillbook.tui.app import DrillbookApp
from drillbook.tui.setup_screen import SetupScreen
from drillbook.tui.too_small import TooSmall
from textual.pilot import Pilot
from textual.widgets import Select, SelectionList
from tuikit import FakeScorer, FakeWall, flagship, new_app, run_clock_to

Snap = Callable[..., bool]


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[DrillbookApp, FakeWall]:
    return built_app(tmp_path, monkeypatch)


def built_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[DrillbookApp, FakeWall]:
    """The flagship set up with a roster, a fake wall and a fake scorer, in ``tmp_path``."""
    monkeypatch.chdir(tmp_path)  # the journal path on screen is the same in every run
    loaded = flagship()
    wall = FakeWall()
    settings = RunSettings(seed=1, roster={"on_call": "Ana", "incident_commander": "Dana"})
    built = new_app(
        loaded, Path("runs/snap.jsonl"), wall, settings=settings, scorer=FakeScorer(loaded)
    )
    return built, wall


def played_to_21(app: DrillbookApp, wall: FakeWall) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        app.screen.action_begin()  # type: ignore[attr-defined]
        await pilot.pause()
        run_clock_to(app, wall, 8)
        app.submit("on_call", {"action": "acknowledge", "re": "anomaly-alert"})
        run_clock_to(app, wall, 14)
        app.submit(
            "incident_commander", {"action": "classify", "severity": "critical", "types": ["data"]}
        )
        run_clock_to(app, wall, 21)
        app.seat_console("facilitator").action_toggle_clock()  # pause
        await pilot.pause()

    return run_before


async def _settled(pilot: Pilot[Any]) -> None:
    """Let the first frame's deferred work finish: a loaded machine is slower to get there."""
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


def test_setup_screen(snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]) -> None:
    assert snap_compare(app[0], terminal_size=(80, 24), run_before=_settled)


def test_facilitator_console(snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]) -> None:
    assert snap_compare(app[0], terminal_size=(80, 24), run_before=played_to_21(*app))


def test_facilitator_decisions_wide(snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]) -> None:
    played = played_to_21(*app)

    async def run_before(pilot: Pilot[Any]) -> None:
        await played(pilot)
        app[0].screen.action_tab("decisions")  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(app[0], terminal_size=(120, 40), run_before=run_before)


def _at_role(
    app: tuple[DrillbookApp, FakeWall], down: int
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    played = played_to_21(*app)

    async def run_before(pilot: Pilot[Any]) -> None:
        await played(pilot)
        app[0].go_to_seat("on_call")
        await pilot.pause()
        for _ in range(down):
            await pilot.press("down")

    return run_before


def test_role_console(snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]) -> None:
    assert snap_compare(app[0], terminal_size=(80, 24), run_before=_at_role(app, 1))


def test_role_console_wide(snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]) -> None:
    assert snap_compare(app[0], terminal_size=(120, 40), run_before=_at_role(app, 1))


def test_decision_form(snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]) -> None:
    at_role = _at_role(app, 0)

    async def run_before(pilot: Pilot[Any]) -> None:
        await at_role(pilot)
        app[0].screen.action_decide("classify")  # type: ignore[attr-defined]
        await pilot.pause()
        app[0].screen.query_one("#f-severity", Select).value = "critical"
        app[0].screen.query_one("#f-types", SelectionList).select("data")
        await pilot.pause()

    assert snap_compare(app[0], terminal_size=(80, 24), run_before=run_before)


def test_hot_wash(snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]) -> None:
    played = played_to_21(*app)

    async def run_before(pilot: Pilot[Any]) -> None:
        await played(pilot)
        app[0].open_hot_wash()
        await pilot.pause()

    assert snap_compare(app[0], terminal_size=(80, 24), run_before=run_before)


def test_facilitator_console_140x45(snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]) -> None:
    assert snap_compare(app[0], terminal_size=(140, 45), run_before=played_to_21(*app))


def test_evaluation_tab_names_whole(snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]) -> None:
    played = played_to_21(*app)

    async def run_before(pilot: Pilot[Any]) -> None:
        await played(pilot)
        app[0].screen.action_tab("evaluation")  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(app[0], terminal_size=(80, 24), run_before=run_before)


def test_small_terminal_notice(snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]) -> None:
    """Below 80×24 the seat is covered by a notice that says so, not cut off silently."""
    built, wall = app

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        assert isinstance(built.screen, TooSmall)  # already over the setup screen
        setup = next(s for s in built.screen_stack if isinstance(s, SetupScreen))
        setup.action_begin()
        await pilot.pause()
        run_clock_to(built, wall, 21)
        await pilot.pause()
        assert isinstance(built.screen, TooSmall)  # and over the seat play opened on

    assert snap_compare(built, terminal_size=(60, 20), run_before=run_before)


def test_classify_dialog_scrolls_at_80x24(
    snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]
) -> None:
    """The longest form keeps its buttons on screen; its fields scroll instead."""
    at_role = _at_role(app, 0)

    async def run_before(pilot: Pilot[Any]) -> None:
        await at_role(pilot)
        app[0].screen.action_decide("classify")  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(app[0], terminal_size=(80, 24), run_before=run_before)
