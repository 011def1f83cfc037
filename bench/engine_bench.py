"""Engine overhead: a headless flagship run against the same events on bare SimPy.

Both are timed in this process, in the same run, so the ratio holds on any machine. The
flagship run is what ``drillbook run`` does once the files are loaded: check the transcript,
open a session, play every decision of the model team, run to the end of play. The baseline
is a bare ``simpy.Environment`` processing one timeout (with a trivial callback) per event of
that run — per journal event: each inject delivered, decision, finding, meter crossing.

The run's events are counted in its journal, not in what the engine hands SimPy: the engine
schedules fewer SimPy events than it journals (one wake-up serves several deliveries), and a
baseline counted there would shrink each time the engine got cheaper. The SimPy count is
printed beside it. Target: the engine costs at most 5× bare SimPy.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import simpy
from drillbook.scenarios import library, load
from drillbook.scenarios.transcript import load_transcript
from drillbook.simulator.headless import run_transcript
from drillbook.simulator.session import RunSettings

TARGET = 5.0


def medians_ms(jobs: list[Callable[[], object]], runs: int, block: int = 20) -> list[float]:
    """Median time of each job. The jobs take turns in blocks, so that each sees the same
    machine load over the run (this machine is shared) and stays warm within its block."""
    times: list[list[float]] = [[] for _ in jobs]
    for _ in range(max(1, runs // block)):
        for job, samples in zip(jobs, times, strict=True):
            for _ in range(block):
                start = time.perf_counter()
                job()
                samples.append(time.perf_counter() - start)
    return [statistics.median(t) * 1000 for t in times]


def simpy_events_of(job: Callable[[], object]) -> int:
    """How many events SimPy is given during ``job`` (counted once, outside the timing).

    Counted as they are scheduled, not as ``Environment.step`` processes them: the engine's
    own loop takes its wake-ups off SimPy's queue without a step (see ``Engine.run_until``),
    and every event of a finished run is scheduled once and processed once."""
    count = 0
    schedule = simpy.Environment.schedule

    def counting(env: simpy.Environment, *args: Any, **kwargs: Any) -> None:
        nonlocal count
        count += 1
        schedule(env, *args, **kwargs)

    simpy.Environment.schedule = counting  # type: ignore[method-assign]
    try:
        job()
    finally:
        simpy.Environment.schedule = schedule  # type: ignore[method-assign]
    return count


def journal_events_of(run: Callable[[], Any]) -> int:
    """The events a run journals (its history, header and end included): the baseline's size."""
    return len(run().history())


def bare_simpy(events: int) -> None:
    env = simpy.Environment()

    def trivial(_: simpy.Event) -> None:
        pass

    for i in range(events):
        env.timeout(i).callbacks.append(trivial)
    env.run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed repetitions (median)")
    args = parser.parse_args()

    loaded = load(library.resolve(library.FLAGSHIP))
    transcript = load_transcript(library.reference_transcript(library.FLAGSHIP))

    def flagship() -> object:
        return run_transcript(loaded, transcript, RunSettings(seed=1, mode="headless"))

    scheduled = simpy_events_of(flagship)
    events = journal_events_of(flagship)
    for _ in range(10):  # warm up both
        flagship()
        bare_simpy(events)
    engine_ms, bare_ms = medians_ms([flagship, lambda: bare_simpy(events)], args.runs)
    ratio = engine_ms / bare_ms
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(f"engine: headless flagship run ({events} journal events, {scheduled} SimPy events)")
    print(f"  flagship run, in-process      {engine_ms:8.3f} ms  (median of {args.runs})")
    print(f"  bare SimPy, {events} timeouts   {bare_ms:8.3f} ms  (median of {args.runs})")
    print(f"  ratio                         {ratio:8.1f} ×   target ≤ {TARGET:g}× — {verdict}")


if __name__ == "__main__":
    main()
