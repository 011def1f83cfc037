"""Figures an inject states that its own meters can contradict when it lands.

The flagship's ``+0:20`` inject said losses were "rising by about $8,400 a minute" — true when
nobody has acted, false after a containment at ``+0:10`` froze the meter, and a room that
contained early read a dashboard that contradicted the console. A rate written into prose is
frozen at authoring time; ``{meter:rate}`` (the engine renders the meter's rate at delivery)
reads the live one. This check finds a per-minute or per-hour figure in an inject's title or
body that equals one rate its meters can run at by the inject's earliest delivery while
another rate is reachable by then too, and says which placeholder to write instead.

Reasoning is deliberately conservative: a rate rule whose condition names an action, a
delivery or a meter could hold from the first minute; only ``after`` puts a floor under it.
No scorer, no engine: plain data from the scenario, so it runs inside ``lint``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from drillbook.formats.findings import Finding
from drillbook.formats.offsets import fmt_offset
from drillbook.scenarios.conditions import After, All, AnyOf
from drillbook.scenarios.model import Inject, Meter, Scenario

CHECK = "figure-vs-meter"
TOLERANCE = 0.05  # "about $8,400": a figure within 5 % of a rate is a statement of it
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}
FIGURE = re.compile(
    r"(?P<money>\$)?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>k|thousand|m|million)?\b\s*"
    r"(?:an?|per|/|each)\s*(?P<per>minute|min|hour|hr)\b",
    re.IGNORECASE,
)


def earliest(cond: Any) -> float:
    """The first minute ``cond`` could hold (a lower bound: actions can come at once)."""
    if isinstance(cond, After):
        return float(cond.after)
    if isinstance(cond, All):
        return max(earliest(c) for c in cond.all)
    if isinstance(cond, AnyOf):
        return min(earliest(c) for c in cond.any)
    return 0.0


def delivered_from(inj: Inject) -> float:
    """An inject's earliest delivery: its time if scheduled, else when its condition could hold."""
    at = getattr(inj, "at", None)
    if at is not None:
        return float(at)
    return earliest(inj.when) if inj.when is not None else 0.0


def reachable_rates(meter: Meter, by: float, meters: dict[str, Meter]) -> set[float]:
    """Per-minute rates ``meter`` can run at by minute ``by`` (a derived one: its source's
    times the factor)."""
    if meter.derived is not None:
        source = meters.get(meter.derived.of)
        if source is None:
            return set()
        return {r * meter.derived.factor for r in reachable_rates(source, by, meters)}
    return {float(meter.rate)} | {float(r.rate) for r in meter.rates if earliest(r.when) <= by}


def stated(text: str) -> Iterable[tuple[str, bool, float]]:
    """(as written, is money, per minute) for every rate figure in ``text``."""
    for m in FIGURE.finditer(text):
        value = float(m.group("num").replace(",", ""))
        value *= _SCALE.get((m.group("scale") or "").lower(), 1.0)
        if m.group("per").lower().startswith("h"):
            value /= 60
        yield m.group(0), bool(m.group("money")), value


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1e-9)


def _per_minute(meter: Meter, rate: float) -> str:
    shown = f"${rate:,.0f}" if meter.format == "money" else f"{rate:,.0f}"
    return f"{shown} a minute"


def check_stated_figures(s: Scenario, **_: Any) -> list[Finding]:
    """A warning per figure an inject states that its meters may contradict on delivery."""
    meters = {m.id: m for m in s.meters}
    out: list[Finding] = []
    for i, inj in enumerate(s.injects):
        by = delivered_from(inj)
        for field in ("title", "body"):
            for written, money, value in stated(getattr(inj, field) or ""):
                for meter in s.meters:
                    if (meter.format == "money") != money:
                        continue
                    rates = reachable_rates(meter, by, meters)
                    if not any(_near(value, r) for r in rates) or len(rates) < 2:
                        continue
                    others = sorted(r for r in rates if not _near(value, r))
                    out.append(
                        Finding(
                            CHECK,
                            "warning",
                            ("injects", i, field),
                            f"'{written}' is one rate of meter '{meter.id}', but by "
                            f"{fmt_offset(by)} it can run at "
                            + " or ".join(_per_minute(meter, r) for r in others)
                            + f"; expected {{{meter.id}:rate}}, the rate at delivery",
                        )
                    )
                    break
    return out
