"""Readiness simulation throughput: runs per second with full scoring, against a bare SimPy
model of the same shape measured in the same run.

The bare model has, per run, as many SimPy processes as the simulated run had journal events
and one timeout each at the same sim times — what SimPy alone costs for a night of that size.
The simulation's figure includes the autopilot, the engine, the journal in memory and the
scorer (with the plan's timeline computed once, as a simulation does), played in batches as
every executor plays them (``runner.run_batch``). The three take
turns in blocks of runs and each figure is the median over the blocks. Printed as ratios;
not a test, nothing asserts a wall-clock time.

    python bench/sim_bench.py [RUNS]

Last, the whole command on every core: ``drillbook simulate … --runs 10000 --json`` as a
process (start-up, workers, the figures and all), in runs per second of wall time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import simpy
from drillbook.readiness.runner import Spec, play, run_batch, shared
from drillbook.readiness.team import TEAMS_DIR, load_team
from drillbook.scenarios import library


def _bare(times: list[float]) -> None:
    env = simpy.Environment()

    def proc(delay: float):
        yield env.timeout(delay)

    for t in times:
        env.process(proc(t))
    env.run()


def main(runs: int = 200, blocks: int = 10) -> None:
    """Each team's runs in ``blocks`` blocks; within a block the simulation, the bare model
    and play alone take turns on the same runs, and each figure is the median of the
    blocks' (this machine is shared: a burst of load slows one block's three, not one side)."""
    scenario = str(library.resolve(library.FLAGSHIP))
    for team_id in ("article-agency", "on-call-with-backup"):
        spec = Spec(scenario, load_team(TEAMS_DIR / f"{team_id}.yaml"), seed=1)
        shared(spec)  # built once per worker, as in a simulation
        shapes = [[float(e["sim"]) for e in play(spec, i)[0].history()] for i in range(runs)]
        size = max(1, runs // blocks)
        sims, bares, plays = [], [], []
        for start in range(0, size * blocks, size):
            block = range(start, min(start + size, runs))
            if not block:
                break
            t = time.perf_counter()
            run_batch(spec, list(block))  # as every executor plays them: a batch at a time
            sims.append((time.perf_counter() - t) / len(block))
            t = time.perf_counter()
            for i in block:
                _bare(shapes[i])
            bares.append((time.perf_counter() - t) / len(block))
            t = time.perf_counter()
            for i in block:
                play(spec, i)
            plays.append((time.perf_counter() - t) / len(block))
        sim, bare, played = (statistics.median(x) for x in (sims, bares, plays))
        overhead = statistics.median(a / b for a, b in zip(sims, bares, strict=True))
        play_overhead = statistics.median(a / b for a, b in zip(plays, bares, strict=True))
        events = sum(len(s) for s in shapes) / runs
        print(
            f"{team_id:<22} {events:5.0f} events/run · simulate+score {1 / sim:7.1f} runs/s · "
            f"play only {1 / played:7.1f} runs/s · bare SimPy {1 / bare:8.1f} runs/s · "
            f"overhead ×{overhead:.1f} (play ×{play_overhead:.1f}) on one core "
            f"(median of {len(sims)} blocks)"
        )


def whole_command(runs: int = 10_000) -> None:
    """The command as a manager runs it, on all cores: wall time from start to figures."""
    cli = Path(sys.executable).with_name("drillbook")
    for team_id in ("article-agency", "on-call-with-backup"):
        cmd = [str(cli), "simulate", library.FLAGSHIP, "--team", team_id, "--runs", str(runs)]
        t = time.perf_counter()
        subprocess.run([*cmd, "--json"], check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        print(
            f"{team_id:<22} drillbook simulate --runs {runs} on {os.cpu_count()} cores: "
            f"{wall:.2f} s wall = {runs / wall:7.1f} runs/s with full scoring"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    whole_command()
