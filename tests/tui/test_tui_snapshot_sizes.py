"""Every screen at the two sizes a facilitator's terminal usually has: 80×24 and 140×45.

The main screens' 80×24 layouts are in ``test_tui_snapshots``; this module adds the other size
of each, and the screens opened from any seat (plan, help, seat picker) at both. Update after a
deliberate change with ``pytest tests/tui --snapshot-update`` and look at the SVGs first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from drillbook.tui.app import DrillbookApp
from test_tui_snapshots import Snap, _at_role, _settled, built_app, played_to_21
from textual.pilot import Pilot
from tuikit import FakeWall

SIZES = [(80, 24), (140, 45)]


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[DrillbookApp, FakeWall]:
    return built_app(tmp_path, monkeypatch)


Before = Callable[[Pilot[Any]], Awaitable[None]]


def _then(first: Before, action: Callable[[DrillbookApp], None], app_: DrillbookApp) -> Before:
    async def run_before(pilot: Pilot[Any]) -> None:
        await first(pilot)
        action(app_)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()

    return run_before


def test_setup_screen_140x45(snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]) -> None:
    assert snap_compare(app[0], terminal_size=(140, 45), run_before=_settled)


def test_role_console_140x45(snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]) -> None:
    assert snap_compare(app[0], terminal_size=(140, 45), run_before=_at_role(app, 1))


def test_hot_wash_140x45(snap_compare: Snap, app: tuple[DrillbookApp, FakeWall]) -> None:
    before = _then(played_to_21(*app), DrillbookApp.open_hot_wash, app[0])
    assert snap_compare(app[0], terminal_size=(140, 45), run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", ["plan", "help", "seat"])
def test_screens_any_seat_opens(
    snap_compare: Snap, app: tuple[DrillbookApp, FakeWall], screen: str, size: tuple[int, int]
) -> None:
    action = {
        "plan": DrillbookApp.action_plan,
        "help": DrillbookApp.action_help,
        "seat": DrillbookApp.action_choose_seat,
    }[screen]
    before = _then(played_to_21(*app), action, app[0])
    assert snap_compare(app[0], terminal_size=size, run_before=before)
