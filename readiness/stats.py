"""Distributions over runs: the figures a manager reads, as plain data.

Percentiles are nearest-rank over the runs (deterministic, no interpolation to argue about); a
milestone never reached in a run counts as "never" (infinitely late), so a median of "never"
means most nights never got there. A comparison pairs runs by index — the same seed, the same
night for both teams — and reports the paired differences with their 5th–95th percentiles.
"""

from __future__ import annotations

import math
from typing import Any

from drillbook.readiness.runner import MILESTONES, RunResult
from drillbook.scenarios.model import Scenario
from drillbook.scoring.status import RATINGS

MILESTONE_TITLES = {
    "acknowledge": "Time to acknowledge",
    "contain": "Time to contain",
    "notify_client": "Time to notify the client",
    "root_cause": "Time to the root cause",
}


def quantile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of ``values`` (inf for an empty list)."""
    if not values:
        return math.inf
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def spread(values: list[float]) -> dict[str, float | None]:
    def num(v: float) -> float | None:
        return None if math.isinf(v) else round(v, 2)

    return {
        "median": num(quantile(values, 0.5)),
        "p5": num(quantile(values, 0.05)),
        "p95": num(quantile(values, 0.95)),
    }


def _times(results: list[RunResult], key: str) -> list[float]:
    return [math.inf if r.times[key] is None else float(r.times[key]) for r in results]


def summarize(results: list[RunResult], scenario: Scenario) -> dict[str, Any]:
    """Every distribution of one simulation, as a JSON-ready document."""
    n = len(results)
    milestones = {}
    for key in MILESTONES:
        values = _times(results, key)
        reached = sum(1 for v in values if not math.isinf(v))
        milestones[key] = {
            "title": MILESTONE_TITLES[key],
            "reached": round(reached / n, 4),
            **spread(values),
        }
    meters = {}
    for m in scenario.meters:
        values = [r.meters.get(m.id, 0.0) for r in results]
        meters[m.id] = {
            "label": m.label,
            "unit": m.unit,
            "format": m.format,
            "mean": round(sum(values) / n, 2),
            **spread(values),
        }
    rules: dict[str, dict[str, float]] = {}
    for r in results:
        for rule, status in r.rules.items():
            rules.setdefault(rule, {})
            rules[rule][status] = rules[rule].get(status, 0) + 1
    pass_rates = {}
    for rule, counts in rules.items():
        judged = sum(v for s, v in counts.items() if s not in ("not_applicable", "pending"))
        pass_rates[rule] = None if not judged else round(counts.get("met", 0) / judged, 4)
    caps: dict[str, dict[str, float]] = {}
    for r in results:
        for cap, rating in r.capabilities.items():
            caps.setdefault(cap, dict.fromkeys(RATINGS, 0.0))
            caps[cap][rating] += 1 / n
    return {
        "runs": n,
        "milestones": milestones,
        "meters": meters,
        "rules": pass_rates,
        "readiness": spread([r.readiness for r in results]),
        "ratings": {k: round(sum(1 for r in results if r.rating == k) / n, 4) for k in RATINGS},
        "capabilities": {
            c: {k: round(v, 4) for k, v in shares.items()} for c, shares in caps.items()
        },
    }


def compare(a: list[RunResult], b: list[RunResult], scenario: Scenario) -> dict[str, Any]:
    """``b`` against ``a`` on the same seeds: what b saves (positive: b loses less, is sooner)."""
    pairs = list(zip(a, b, strict=True))
    assert all(x.index == y.index for x, y in pairs)
    meters = {}
    for m in scenario.meters:
        diffs = [x.meters.get(m.id, 0.0) - y.meters.get(m.id, 0.0) for x, y in pairs]
        meters[m.id] = {"label": m.label, "format": m.format, "saved": spread(diffs)}
    milestones = {}
    for key in MILESTONES:
        diffs = [
            float(x.times[key]) - float(y.times[key])  # type: ignore[arg-type]
            for x, y in pairs
            if x.times[key] is not None and y.times[key] is not None
        ]
        only_b = sum(1 for x, y in pairs if x.times[key] is None and y.times[key] is not None)
        milestones[key] = {
            "title": MILESTONE_TITLES[key],
            "sooner_by": spread(diffs) if diffs else spread([]),
            "both_reached": len(diffs),
            "only_other_reached": only_b,
        }
    readiness = spread([y.readiness - x.readiness for x, y in pairs])
    return {"meters": meters, "milestones": milestones, "readiness_gain": readiness}


def loss_meter(scenario: Scenario) -> str | None:
    """The meter a 'loss' means: the first in money, else the first."""
    money = [m.id for m in scenario.meters if m.format == "money"]
    return money[0] if money else (scenario.meters[0].id if scenario.meters else None)
