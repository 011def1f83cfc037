"""Every row of issue 14's table, each a measure against its baseline in this one invocation.

    python bench/run_all.py            # a table (what ``make bench`` prints)
    python bench/run_all.py --json     # one JSON object: {measure: {ratio, goal, a_s, b_s, …}}
    python bench/run_all.py --only help,run --pairs 7

Each row is the median of ``--pairs`` (at least 5) alternating pairs of measure and baseline
(see :mod:`pairs`), so the ratio holds on any machine and under a neighbour's load. ``a_s`` is
the measure's median seconds, ``b_s`` the baseline's; rows with an absolute bound carry
``max_s`` too. Benchmarks assert nothing: this fails only if a measured command fails. The
other ``*_bench.py`` scripts here print more detail on one row each.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the bench modules beside this one

from pairs import (
    Row,
    child_env,
    drillbook_command,
    inprocess_pairs,
    process_pairs,
    process_s,
    row_of,
)

PY = sys.executable
YAML_PYDANTIC = [PY, "-c", "import yaml, pydantic"]


class Context:
    """What the rows share: a scratch folder, the children's environment, the pair count."""

    def __init__(self, folder: Path, pairs: int) -> None:
        self.folder = folder
        self.pairs = pairs
        self.env = child_env(folder / "pycache")
        self.db = drillbook_command()
        self._journal: Path | None = None

    def flagship_journal(self) -> Path:
        """A journal of the flagship played by its model team (``drillbook run -j``)."""
        if self._journal is None:
            self._journal = self.folder / "flagship.jsonl"
            process_s([*self.db, "run", "-j", str(self._journal)], self.env)
        return self._journal


def help_row(c: Context) -> Row:
    pairs = process_pairs([*c.db, "--help"], [PY, "-c", "pass"], c.env, c.pairs, reps=3)
    return row_of(pairs, 3.0)


def validate_row(c: Context) -> Row:
    from drillbook.scenarios import library

    flagship = str(library.resolve(library.FLAGSHIP))
    pairs = process_pairs([*c.db, "validate", flagship], YAML_PYDANTIC, c.env, c.pairs, reps=3)
    return row_of(pairs, 2.0)


def run_row(c: Context) -> Row:
    return row_of(process_pairs([*c.db, "run"], YAML_PYDANTIC, c.env, c.pairs, reps=3), 3.0)


def score_row(c: Context) -> Row:
    cmd = [*c.db, "score", str(c.flagship_journal())]
    return row_of(process_pairs(cmd, YAML_PYDANTIC, c.env, c.pairs, reps=3), 3.0)


def report_row(c: Context) -> Row:
    from report_bench import synthetic_journal

    journal = c.folder / "exercise500.jsonl"
    synthetic_journal(journal)
    cmd = [*c.db, "report", str(journal), "-f", "html", "-o", str(c.folder / "report.html")]
    pairs = process_pairs(cmd, [PY, "-c", "import jinja2"], c.env, c.pairs, reps=1)
    return row_of(pairs, 4.0, max_s=0.35)


def play_row(c: Context) -> Row:
    from tui_bench import MINIMAL, PLAY

    play = [PY, "-c", PLAY, str(c.folder / "play.jsonl")]
    return row_of(process_pairs(play, [PY, "-c", MINIMAL], c.env, c.pairs, reps=1), 1.5)


def engine_row(c: Context) -> Row:
    from drillbook.scenarios import library, load
    from drillbook.scenarios.transcript import load_transcript
    from drillbook.simulator.headless import run_transcript
    from drillbook.simulator.session import RunSettings
    from engine_bench import bare_simpy, journal_events_of, simpy_events_of

    loaded = load(library.resolve(library.FLAGSHIP))
    transcript = load_transcript(library.reference_transcript(library.FLAGSHIP))

    def flagship() -> object:
        return run_transcript(loaded, transcript, RunSettings(seed=1, mode="headless"))

    events = journal_events_of(flagship)
    pairs = inprocess_pairs(flagship, lambda: bare_simpy(events), c.pairs, reps=40)
    return row_of(
        pairs, 5.0, extra={"journal_events": events, "simpy_events": simpy_events_of(flagship)}
    )


def score_inprocess_row(c: Context) -> Row:
    from drillbook.scenarios import library, load
    from drillbook.scenarios.transcript import load_transcript
    from drillbook.scoring import default_plan, score
    from drillbook.scoring.files import scenario_client
    from drillbook.simulator.headless import run_transcript
    from drillbook.simulator.session import RunSettings

    loaded = load(library.resolve(library.FLAGSHIP))
    transcript = load_transcript(library.reference_transcript(library.FLAGSHIP))
    plan = default_plan()
    client = scenario_client(loaded.path, loaded.scenario, plan)
    settings = RunSettings(seed=1, mode="headless")
    events = run_transcript(loaded, transcript, settings).history()

    def scoring() -> object:
        return score(loaded.scenario, plan, events, client)

    def the_run() -> object:
        return run_transcript(loaded, transcript, settings)

    return row_of(inprocess_pairs(scoring, the_run, c.pairs, reps=20), 3.0)


def scale_row(c: Context) -> Row:
    from bigscenario import big_run, big_scenario
    from scale_bench import validate_and_run

    files = {}
    for n in (1_000, 10_000):
        files[n] = (c.folder / f"big{n}.yaml", c.folder / f"big{n}-run.yaml")
        files[n][0].write_text(big_scenario(n), encoding="utf-8")
        files[n][1].write_text(big_run(n), encoding="utf-8")
    pairs = inprocess_pairs(
        lambda: validate_and_run(*files[10_000]),
        lambda: validate_and_run(*files[1_000]),
        c.pairs,
        reps=1,
    )
    scenario, run = (str(p) for p in files[10_000])
    walls = sorted(
        process_s([*c.db, "validate", scenario], c.env)
        + process_s([*c.db, "run", scenario, "-t", run], c.env)
        for _ in range(3)
    )
    # Linear is 10× for 10× the injects; 13× leaves room for the machine's noise.
    return row_of(pairs, 13.0, max_s=3.0, extra={"wall_s": walls[1]})


def transcript_row(c: Context) -> Row:
    from bigscenario import long_transcript
    from drillbook.scenarios.transcript import load_transcript

    files = {}
    for n in (500, 5_000, 50_000):
        files[n] = c.folder / f"transcript{n}.yaml"
        files[n].write_text(long_transcript(n), encoding="utf-8")
    pairs = inprocess_pairs(
        lambda: load_transcript(files[5_000]), lambda: load_transcript(files[500]), c.pairs, reps=3
    )
    # Beside the row: 50,000 against 5,000, both beyond the processor's caches. 500 entries
    # fit in them and 5,000 do not, so 5,000 / 500 moves with the machine's memory (11-16×
    # seen here) while the cost per entry from 5,000 up shows whether loading is linear.
    big = inprocess_pairs(
        lambda: load_transcript(files[50_000]), lambda: load_transcript(files[5_000]), 3, reps=1
    )
    return row_of(pairs, 13.0, extra={"ratio_50k_5k": statistics.median(a / b for a, b in big)})


ROWS: dict[str, tuple[str, Callable[[Context], Row]]] = {
    "help": ("drillbook --help / python -c pass", help_row),
    "validate": ("drillbook validate FLAGSHIP / import yaml, pydantic", validate_row),
    "run": ("drillbook run / import yaml, pydantic", run_row),
    "score": ("drillbook score JOURNAL / import yaml, pydantic", score_row),
    "report": ("drillbook report (500 decisions) / import jinja2", report_row),
    "play": ("drillbook play first frame / minimal Textual app", play_row),
    "engine": ("headless flagship in-process / bare SimPy, same events", engine_row),
    "score_inprocess": ("score in-process / the run it scores", score_inprocess_row),
    "scale": ("10,000 conditional injects / 1,000, validate + run", scale_row),
    "transcript": ("transcript of 5,000 actions / 500, load", transcript_row),
}


def table(results: dict[str, Row]) -> str:
    lines = [f"{'measure':<58} {'ratio':>7} {'goal':>6} {'a_s':>8} {'b_s':>8}  met"]
    for name, row in results.items():
        bound = f" (and < {row.max_s:g} s)" if row.max_s is not None else ""
        wall = f"  wall {row.extra['wall_s']:.3f} s" if "wall_s" in row.extra else ""
        if "ratio_50k_5k" in row.extra:
            wall = f"  50,000 / 5,000: {row.extra['ratio_50k_5k']:.2f}×"
        lines.append(
            f"{ROWS[name][0]:<58} {row.ratio:6.2f}× {row.goal:5.1f}× {row.a_s:8.4f} {row.b_s:8.4f}"
            f"  {'yes' if row.met else 'NO'}{bound}{wall}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--pairs", type=int, default=5, help="alternating pairs a row (≥ 5)")
    parser.add_argument("--only", default="", help="comma-separated rows: " + ", ".join(ROWS))
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n] or list(ROWS)
    unknown = [n for n in names if n not in ROWS]
    if unknown:
        parser.error(f"unknown rows: {', '.join(unknown)}; expected some of {', '.join(ROWS)}")
    if args.pairs < 5:
        parser.error("--pairs: expected at least 5 (a median of fewer says little)")
    results: dict[str, Row] = {}
    with tempfile.TemporaryDirectory(prefix="drillbook-bench-") as tmp:
        context = Context(Path(tmp), args.pairs)
        for name in names:
            if not args.json:
                print(f"… {name}", file=sys.stderr, flush=True)
            results[name] = ROWS[name][1](context)
    if args.json:
        json.dump({n: r.to_json() for n, r in results.items()}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
