"""Readiness simulation throughput: runs per second with full scoring, against a bare SimPy
model of the same shape measured in the same run.

The bare model has, per run, as many SimPy processes as the simulated run had journal events
and one timeout each at the same sim times — what SimPy alone costs for a night of that size.
The simulation's figure includes the autopilot, the engine, the journal in memory and the
scorer (with the plan's timeline computed once, as a simulation does). Printed as ratios;
not a test, nothing asserts a wall-clock time.

    python bench/sim_bench.py [RUNS]
"""

from __future__ import annotations

import sys
import time

import simpy
from drillbook.readiness.runner import Spec, play, run_one, shared
from drillbook.readiness.team import TEAMS_DIR, load_team
from drillbook.scenarios import library


def _bare(times: list[float]) -> None:
    env = simpy.Environment()

    def proc(delay: float):
        yield env.timeout(delay)

    for t in times:
        env.process(proc(t))
    env.run()


def main(runs: int = 200) -> None:
    scenario = str(library.resolve(library.FLAGSHIP))
    for team_id in ("article-agency", "on-call-with-backup"):
        spec = Spec(scenario, load_team(TEAMS_DIR / f"{team_id}.yaml"), seed=1)
        shared(spec)  # built once per worker, as in a simulation
        shapes = [[float(e["sim"]) for e in play(spec, i)[0].history()] for i in range(runs)]
        t = time.perf_counter()
        for i in range(runs):
            run_one(spec, i)
        sim = time.perf_counter() - t
        t = time.perf_counter()
        for _ in range(runs):
            for shape in shapes[: min(runs, 50)]:
                _bare(shape)
        bare = (time.perf_counter() - t) / min(runs, 50)
        t = time.perf_counter()
        for i in range(runs):
            play(spec, i)
        played = time.perf_counter() - t
        events = sum(len(s) for s in shapes) / runs
        print(
            f"{team_id:<22} {events:5.0f} events/run · simulate+score {runs / sim:7.1f} runs/s · "
            f"play only {runs / played:7.1f} runs/s · bare SimPy {runs / bare:8.1f} runs/s · "
            f"overhead ×{sim / bare:.1f} (play ×{played / bare:.1f}) on one core"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
