"""How quickly ``drillbook play`` shows its first frame, and how late an inject lands on a desk.

1. Whole-process time from ``drillbook play`` starting to its first frame (headless, through
   ``App.run_test``), as a ratio to a minimal Textual app (header, static, footer) measured the
   same way in the same run. Target: at most 1.5×.
2. The delay between an inject's sim time and its row appearing on the role console, with the
   clock running at ×60 on the real wall clock and the app's own timer. Target: one clock tick,
   at most 100 ms (the app ticks every ``tui.app.TICK_SECONDS``).

Printed, not asserted: a benchmark is not a test.

    python bench/tui_bench.py
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from drillbook.simulator.commands import SendAdhoc, start_clock

RUNS = 5
SAMPLES = 6

MINIMAL = """
import asyncio
from textual.app import App
from textual.widgets import Footer, Header, Static

class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()

async def main():
    app = Minimal()
    async with app.run_test() as pilot:
        await pilot.pause()

asyncio.run(main())
"""

# ``drillbook play`` runs ``cli.main``'s start-up before it imports the app (the collector,
# pydantic's plugin search and factories: see ``drillbook.startup``); the app class is
# imported here to be patched, so that start-up is done first, as the console script does.
# ``main()`` then reads ``sys.argv`` as the console script's call does, so the process ends
# as ``drillbook play`` would (see ``cli._before_exit``).
PLAY = """
import asyncio, sys
from drillbook import cli
cli.start_process(["play"])
from drillbook.tui.app import DrillbookApp

def first_frame(self, **kwargs):
    async def main():
        async with self.run_test() as pilot:
            await pilot.pause()
    asyncio.run(main())

DrillbookApp.run = first_frame
from drillbook.cli import main
sys.argv = ["drillbook", "play", "--journal", sys.argv[1]]
sys.exit(main())
"""


def _process_seconds(code: str, *args: str) -> float:
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def first_frame() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        minimal = _process_seconds(MINIMAL)
        play = _process_seconds(PLAY, str(Path(tmp) / "bench.jsonl"))
    print(f"first frame: minimal Textual app {minimal * 1000:.0f} ms (baseline)")
    print(
        f"first frame: drillbook play       {play * 1000:.0f} ms = {play / minimal:.2f}× (target ≤ 1.5×)"
    )


async def _inject_delays() -> list[float]:
    from drillbook.scenarios import library, load
    from drillbook.simulator.session import RunSettings
    from drillbook.tui.factory import make_app
    from drillbook.tui.role.inbox import Inbox

    with tempfile.TemporaryDirectory() as tmp:
        from drillbook.simulator.journal import Journal

        loaded = load(library.resolve(library.FLAGSHIP))
        app = make_app(
            loaded, journal=Journal(Path(tmp) / "j.jsonl"), settings=RunSettings(), speed=60
        )
        delays: list[float] = []
        async with app.run_test() as pilot:
            await pilot.pause()
            app.screen.action_begin()  # type: ignore[attr-defined]
            await pilot.pause()
            app.go_to_seat("on_call")
            await pilot.pause()
            inbox = app.screen.query_one(Inbox)
            session = app.session
            assert session is not None
            session.apply(start_clock())
            started_wall, started_sim = time.monotonic(), session.snapshot().now
            for _ in range(SAMPLES):
                due = session.snapshot().reached + 1.0  # one story minute ahead: one second at ×60
                rows = inbox.row_count
                session.apply(SendAdhoc(("on_call",), "chat", "Ping", "bench", due=due))
                due_wall = started_wall + (due - started_sim)  # ×60: one sim minute a second
                while inbox.row_count == rows:
                    await asyncio.sleep(0.002)
                delays.append(time.monotonic() - due_wall)
        return delays


def inject_delay() -> None:
    from drillbook.tui.app import TICK_SECONDS

    delays = asyncio.run(_inject_delays())
    worst, median = max(delays), statistics.median(delays)
    print(
        f"inject → role console at ×60: median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms "
        f"over {len(delays)} injects (target ≤ 100 ms; the clock ticks every "
        f"{TICK_SECONDS * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    first_frame()
    inject_delay()
