"""Report generation, whole process: ``drillbook report`` on an exercise with 500 decisions.

A manager's report must come out at once when play ends. This builds a synthetic journal —
the flagship played by its model team, padded with status updates, notes and
investigations to 500 decisions, plus evaluator notes and hot-wash lessons — then times
``python -m drillbook report JOURNAL`` (HTML, Markdown and JSON) as separate processes,
against ``python -c "import jinja2"`` measured in the same run as the floor any Jinja2
report pays. Target: under 0.5 s whole-process for the HTML report.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from drillbook.scenarios import library, load
from drillbook.scenarios.actions import parse_action
from drillbook.scenarios.transcript import Decision, load_transcript
from drillbook.simulator.commands import Decide, Record
from drillbook.simulator.journal import Journal
from drillbook.simulator.session import RunSettings, Session

TARGET_S = 0.5
DECISIONS = 500


def synthetic_journal(path: Path, decisions: int = DECISIONS) -> int:
    """The model team's run padded to ``decisions`` decisions; returns how many were made."""
    loaded = load(library.resolve(library.FLAGSHIP))
    team = load_transcript(library.reference_transcript(library.FLAGSHIP)).decisions
    pad: list[Decision] = []
    fillers = [
        ("incident_commander", {"action": "status_update", "audience": "response_team"}),
        (
            "communications_lead",
            {"action": "status_update", "audience": "client", "message": "Still on it."},
        ),
        ("data_lead", {"action": "investigate", "source": "inventory-feed-freshness"}),
        ("technical_lead", {"action": "note", "text": "Checked the loader's fallback path again."}),
    ]
    for i in range(decisions - len(team)):
        role, action = fillers[i % len(fillers)]
        at = 30 + i * (3000 / decisions)  # spread over the first two days
        pad.append(
            Decision(at=at, role=role, action=parse_action({**action, "rationale": f"step {i}"}))
        )
    ordered = sorted([*team, *pad], key=lambda d: d.at)
    settings = RunSettings(
        seed=1, roster={"on_call": "Sam", "technical_lead": "Priya"}, mode="headless"
    )
    session = Session(loaded, settings, journal=Journal(path, overwrite=True))
    session.start()
    for n, d in enumerate(ordered):
        session.apply(Decide.of(d.role, d.action), at=d.at)
        if n % 50 == 0:
            session.apply(
                Record("evaluator_note", dict(text=f"Observation {n}", capability="containment"))
            )
    session.run_to(21000)
    session.apply(
        Record("lesson", dict(capability="containment", text="Agree a kill switch per client."))
    )
    session.end()
    return len(ordered)


PHASES = """
import sys, time
t = [time.perf_counter()]
import drillbook.scenarios.loader, drillbook.simulator.replay; t.append(time.perf_counter())
import drillbook.scoring; t.append(time.perf_counter())
from drillbook.reports.exercise import load_exercise
from drillbook.reports.report import build_aar, render_aar; t.append(time.perf_counter())
ex = load_exercise(sys.argv[1]); t.append(time.perf_counter())
aar = build_aar(ex); t.append(time.perf_counter())
render_aar(aar, "html"); t.append(time.perf_counter())
names = ["import scenarios+simulator", "import scoring", "import reports (+jinja2)",
         "read + score journal", "build the AAR", "render HTML"]
print("  ".join(f"{n} {b - a:.3f}" for n, a, b in zip(names, t, t[1:])))
"""


def median_s(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="drillbook-bench-") as tmp:
        journal = Path(tmp) / "exercise.jsonl"
        made = synthetic_journal(journal)
        baseline = median_s([sys.executable, "-c", "import jinja2"], args.runs)
        print(f"journal: {made} decisions, {journal.stat().st_size / 1024:.0f} KiB")
        print(f"baseline  python -c 'import jinja2'        {baseline:6.3f} s")
        for fmt in ("html", "md", "json"):
            out = Path(tmp) / f"report.{fmt}"
            cmd = [
                sys.executable,
                "-m",
                "drillbook",
                "report",
                str(journal),
                "-f",
                fmt,
                "-o",
                str(out),
            ]
            took = median_s(cmd, args.runs)
            verdict = (
                ""
                if fmt != "html"
                else ("  ok" if took < TARGET_S else f"  over the {TARGET_S} s target")
            )
            print(
                f"report    drillbook report -f {fmt:<4}            {took:6.3f} s"
                f"  ({took / baseline:4.1f}× baseline){verdict}"
            )
        print("where one HTML report's time goes (s, one process):")
        done = subprocess.run(
            [sys.executable, "-c", PHASES, str(journal)], check=True, capture_output=True, text=True
        )
        print("  " + done.stdout.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
