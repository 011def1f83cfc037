"""Scale: cost per inject and per decision as inputs grow ten-fold (linear, not quadratic).

Two measures, each against a baseline measured in this same run, ten times smaller:

* **conditional injects** — a generated scenario with N injects, each waiting on a meter
  threshold (``bench/bigscenario.py``), validated and played as ``drillbook validate`` and
  ``drillbook run`` do (load, play a transcript, score — the scorer replays the plan's
  timeline through the engine three more times). N = 1,000 is the baseline, N = 10,000 the
  measure: linear growth is 10×, the quadratic engine it replaced grew about 100×. Then the
  two commands as whole processes at N = 10,000, against the target of 3 s.
* **transcript** — loading a transcript of 5,000 decisions against one of 500, in time and
  in the memory the loaded transcript keeps per decision.

Times are CPU seconds of this process (the machine is shared; wall time of a child process
is shown for the end-to-end target). Target for growth: at most 13× for 10× the input.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bigscenario import big_run, big_scenario, long_transcript  # beside this script
from pairs import child_env

GROWTH_TARGET = 13.0
END_TO_END_TARGET = 3.0


def cpu_median(job: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.process_time()
        job()
        samples.append(time.process_time() - start)
    return statistics.median(samples)


def validate_and_run(scenario: Path, transcript: Path) -> None:
    """What ``drillbook validate`` then ``drillbook run`` do, in this process."""
    from drillbook.scenarios import load
    from drillbook.scenarios.transcript import check_against, load_transcript
    from drillbook.scoring import score
    from drillbook.scoring.files import plan_from, scenario_client
    from drillbook.simulator.headless import run_transcript
    from drillbook.simulator.session import RunSettings

    load(scenario)  # validate
    loaded = load(scenario)
    script = load_transcript(transcript)
    check_against(script, loaded.scenario)
    plan = plan_from(None)
    session = run_transcript(loaded, script, RunSettings(seed=1, mode="headless"))
    score(
        loaded.scenario,
        plan,
        session.history(),
        scenario_client(loaded.path, loaded.scenario, plan),
    )


def kept_kb_per_decision(path: Path, n: int) -> float:
    """Memory a loaded transcript keeps alive, per decision (tracemalloc, so exact bytes)."""
    import gc
    import tracemalloc

    from drillbook.scenarios.transcript import load_transcript

    gc.collect()
    tracemalloc.start()
    try:
        loaded = load_transcript(path)
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del loaded
    return kept / n / 1024


def wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each (median)")
    args = parser.parse_args()
    drillbook = Path(sys.executable).parent / "drillbook"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {}
        for n in (1_000, 10_000):
            files[n] = (folder / f"big{n}.yaml", folder / f"run{n}.yaml")
            files[n][0].write_text(big_scenario(n), encoding="utf-8")
            files[n][1].write_text(big_run(n), encoding="utf-8")
        for n in (500, 5_000):
            files[n] = (folder / f"t{n}.yaml", folder / f"t{n}.yaml")
            files[n][0].write_text(long_transcript(n), encoding="utf-8")

        from drillbook.scenarios.transcript import load_transcript

        validate_and_run(*files[1_000])  # warm up: imports, caches
        small = cpu_median(lambda: validate_and_run(*files[1_000]), args.runs)
        large = cpu_median(lambda: validate_and_run(*files[10_000]), args.runs)
        t_small = cpu_median(lambda: load_transcript(files[500][0]), args.runs * 3)
        t_large = cpu_median(lambda: load_transcript(files[5_000][0]), args.runs * 3)
        m_small = kept_kb_per_decision(files[500][0], 500)
        m_large = kept_kb_per_decision(files[5_000][0], 5_000)
        cmd = [str(drillbook)] if drillbook.exists() else [sys.executable, "-m", "drillbook"]
        env = child_env(folder / "pycache")  # byte-code cached, as run_all's children are
        wall([*cmd, "validate", str(files[1_000][0])], env)  # fills the cache
        pairs = [
            (
                wall([*cmd, "validate", str(files[10_000][0])], env),
                wall([*cmd, "run", str(files[10_000][0]), "-t", str(files[10_000][1])], env),
            )
            for _ in range(args.runs)
        ]
        validate_s, run_s = min(pairs, key=sum)
        end_to_end = validate_s + run_s
    growth, t_growth = large / small, t_large / t_small
    print(f"scale: 10× the input, CPU time of this process (median of {args.runs})")
    print(f"  1,000 conditional injects, validate + run   {small:8.3f} s")
    print(f"  10,000 conditional injects, validate + run  {large:8.3f} s")
    print(
        f"  growth                                      {growth:8.1f} ×   "
        f"target ≤ {GROWTH_TARGET:g}× — {verdict(growth <= GROWTH_TARGET)}"
    )
    print(
        f"  drillbook validate + run, 10,000, wall      {end_to_end:8.3f} s   "
        f"target < {END_TO_END_TARGET:g} s — {verdict(end_to_end < END_TO_END_TARGET)}"
    )
    print(f"    of which validate {validate_s:.3f} s, run {run_s:.3f} s")
    print(f"  transcript of 500 decisions, load           {t_small * 1000:8.1f} ms")
    print(f"  transcript of 5,000 decisions, load         {t_large * 1000:8.1f} ms")
    print(
        f"  growth                                      {t_growth:8.1f} ×   "
        f"target ≤ {GROWTH_TARGET:g}× — {verdict(t_growth <= GROWTH_TARGET)}"
    )
    print(
        f"  memory kept per decision, 500 / 5,000       {m_small:8.2f} / {m_large:.2f} KB"
        f"   ratio {m_large / m_small:.2f} (linear: ≈ 1)"
    )


if __name__ == "__main__":
    main()
