"""Alternating pairs: how every row of ``bench/run_all.py`` compares a measure with its baseline.

The machine is shared, so a measure and its baseline are timed in turns — one of each makes a
pair — and the row's ratio is the median of the pairs' ratios: a burst of load from elsewhere
slows both sides of one pair rather than one side of the whole row. Times of whole processes
are wall seconds of a child started the way a person starts it; times in this process are
wall seconds too, each side of a pair the median of a block of repetitions.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Row:
    """One row of the issue's table: the measure ``a`` against its baseline ``b``."""

    ratio: float
    goal: float
    a_s: float
    b_s: float
    max_s: float | None = None  # an absolute bound on ``a_s`` (or on ``wall_s`` when given)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        bounded = self.extra.get("wall_s", self.a_s)
        return self.ratio <= self.goal and (self.max_s is None or bounded < self.max_s)

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "ratio": round(self.ratio, 3),
            "goal": self.goal,
            "a_s": round(self.a_s, 6),
            "b_s": round(self.b_s, 6),
        }
        if self.max_s is not None:
            doc["max_s"] = self.max_s
        doc.update({k: round(v, 6) if isinstance(v, float) else v for k, v in self.extra.items()})
        doc["met"] = self.met
        return doc


def row_of(pairs: Sequence[tuple[float, float]], goal: float, **kw: Any) -> Row:
    """The row for measured ``pairs`` of (a, b) seconds: median ratio, median of each side."""
    ratio = statistics.median(a / b for a, b in pairs)
    a_s = statistics.median(a for a, _ in pairs)
    b_s = statistics.median(b for _, b in pairs)
    return Row(ratio, goal, a_s, b_s, **kw)


def child_env(cache: Path) -> dict[str, str]:
    """The environment of a timed child: byte-code cached (as on a person's machine, even
    where this environment sets ``PYTHONDONTWRITEBYTECODE``), in a folder of this run's own."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def drillbook_command() -> list[str]:
    """The installed console script beside this Python, as a person would run it."""
    script = Path(sys.executable).parent / "drillbook"
    return [str(script)] if script.exists() else [sys.executable, "-m", "drillbook"]


def process_s(cmd: Sequence[str], env: dict[str, str]) -> float:
    """Wall seconds of one child process; it must succeed (a crash is not a time)."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def process_pairs(
    a: Sequence[str], b: Sequence[str], env: dict[str, str], pairs: int, reps: int = 1
) -> list[tuple[float, float]]:
    """``pairs`` alternating pairs of process starts, each side the median of ``reps`` starts
    (after one warm-up of each: byte-code and file caches)."""
    process_s(a, env)
    process_s(b, env)
    out = []
    for _ in range(pairs):
        out.append(
            (
                statistics.median(process_s(a, env) for _ in range(reps)),
                statistics.median(process_s(b, env) for _ in range(reps)),
            )
        )
    return out


def block_s(job: Callable[[], object], reps: int) -> float:
    """Median wall seconds of ``reps`` calls of ``job`` in this process."""
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        job()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def inprocess_pairs(
    a: Callable[[], object], b: Callable[[], object], pairs: int, reps: int
) -> list[tuple[float, float]]:
    """``pairs`` alternating blocks of ``reps`` calls of each job (both warmed up first)."""
    for _ in range(min(reps, 3)):
        a()
        b()
    return [(block_s(a, reps), block_s(b, reps)) for _ in range(pairs)]
