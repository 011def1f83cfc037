"""Run every benchmark in ``bench/`` (``*_bench.py``, and ``bench_*.py``), one process each.

Benchmarks measure speed and print ratios against a baseline measured in the same run; they
are not tests and assert nothing. This script fails only if a benchmark itself crashes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> int:
    failed = []
    scripts = sorted(set(BENCH.glob("*_bench.py")) | set(BENCH.glob("bench_*.py")))
    for script in scripts:
        print(f"── {script.name}", flush=True)
        done = subprocess.run([sys.executable, str(script)], cwd=BENCH.parent, check=False)
        if done.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"crashed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
