"""Run every hostile case as a real ``drillbook`` process and report what answered how.

    .venv/bin/python tests/hostile/sweep.py [--jobs N] [--show PATTERN]

A case passes when it never prints a traceback, never hangs (10 s), answers bad input with
placed lines and exit 2 (or ``internal`` with the one-line internal error) and leaves the
bytes of the files it must keep alone. Not part of ``make test`` (it takes a minute or two);
the suite in this folder runs the same generators in-process on a sample.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import FLAGSHIP_FILE, MODEL_TEAM_FILE, Case, cases

DRILLBOOK = Path(sys.executable).with_name("drillbook")


def verdict(case: Case, tmp: Path) -> tuple[str, str]:
    before = {p: p.read_bytes() for p in case.keep if p.exists()}
    try:
        proc = subprocess.run(
            [str(DRILLBOOK), *case.argv],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=10,
            cwd=tmp,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return "HANG", ""
    err = proc.stderr
    if "Traceback" in err or "Traceback" in proc.stdout:
        return "TRACEBACK", err.strip().splitlines()[-1] if err.strip() else ""
    if "\x1b" in err or "\x07" in err or "\x1b" in proc.stdout:
        return "RAW-ESCAPE", err.strip()[:200]
    for p, data in before.items():
        if not p.exists() or p.read_bytes() != data:
            return "LOST-BYTES", str(p)
    lines = [line for line in err.splitlines() if line.strip()]
    if proc.returncode == 2 and lines:
        return "input", f"[{len(lines)}] {lines[0]}"
    if proc.returncode == 0:
        return "ok", (lines[0] if lines else "")
    if "internal error" in err:
        return "internal", lines[0]
    return f"exit-{proc.returncode}", (lines[0] if lines else proc.stdout[:200])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=3)
    ap.add_argument("--show", default="")
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        journal = tmp / "good.jsonl"
        subprocess.run(
            [
                str(DRILLBOOK),
                "run",
                str(FLAGSHIP_FILE),
                "--transcript",
                str(MODEL_TEAM_FILE),
                "-j",
                str(journal),
            ],
            check=True,
            capture_output=True,
        )
        todo = [c for c in cases(tmp, journal) if opts.show in c.name]
        with ThreadPoolExecutor(opts.jobs) as pool:
            results = list(pool.map(lambda c: (c, *verdict(c, tmp)), todo))
    tally: Counter[str] = Counter()
    bad = 0
    for case, got, line in results:
        tally[got] += 1
        fine = got == case.expect or (case.expect == "any" and got in ("ok", "input", "exit-1"))
        if not fine:
            bad += 1
        if not fine or opts.show:
            print(f"{'  ' if fine else '!!'} {case.name:<45} {got:<10} {line[:150]}")
    print(
        f"\n{len(results)} hostile inputs: " + ", ".join(f"{k} {v}" for k, v in tally.most_common())
    )
    print(f"{bad} answered other than promised")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
