"""What the engine derives from a scenario once, however many runs it plays.

Which injects wait on conditions, at which offsets and meter thresholds their truth may
change, and which decisions or deliveries can change which conditions: all of it depends on
the scenario alone. The scorer's counterfactual, property tests and the TUI start many
engines on one scenario, so this is computed once and kept with the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scenarios.conditions import leaves, meters_watched, time_points
from scenarios.model import Inject, Meter, Scenario, Source

from .conditions import trigger_of

Trigger = tuple[str, str | float]


@dataclass(frozen=True)
class ScenarioIndex:
    injects: dict[str, Inject]
    sources: dict[str, Source]
    meters: dict[str, Meter]
    conditional: list[Inject]
    rated: list[Meter]  # base meters with rate rules
    time_points: list[float]  # sorted offsets at which a condition may change with time alone
    watched: frozenset[tuple[str, float]]  # (meter, threshold) pairs conditions name
    # what a decision or delivery can change: trigger → (meters to re-rate, injects to re-check)
    triggers: dict[Trigger, tuple[list[Meter], list[Inject]]] = field(default_factory=dict)


def _build(s: Scenario) -> ScenarioIndex:
    conditional = [i for i in s.injects if i.when is not None]
    rated = [m for m in s.meters if m.rates and not m.derived]
    conditions = [i.when for i in conditional] + [r.when for m in s.meters for r in m.rates]
    points = sorted({float(p) for c in conditions for p in time_points(c)})
    watched = frozenset(w for c in conditions for w in meters_watched(c))
    triggers: dict[Trigger, tuple[list[Meter], list[Inject]]] = {}
    owners: list[tuple[Meter | Inject, list]] = [(m, [r.when for r in m.rates]) for m in rated]
    owners += [(i, [i.when]) for i in conditional]
    for owner, conds in owners:
        named = {t for c in conds for leaf in leaves(c) if (t := trigger_of(leaf))}
        named |= {("time", float(p)) for c in conds for p in time_points(c)}
        for trigger in named:
            meters, injects = triggers.setdefault(trigger, ([], []))
            (meters if isinstance(owner, Meter) else injects).append(owner)
    return ScenarioIndex(
        injects={i.id: i for i in s.injects},
        sources={src.id: src for src in s.sources},
        meters={m.id: m for m in s.meters},
        conditional=conditional,
        rated=rated,
        time_points=points,
        watched=watched,
        triggers=triggers,
    )


def index_of(s: Scenario) -> ScenarioIndex:
    """The scenario's index, built on first use and kept in the scenario's memo."""
    memo = s.derived_memo
    if "simulator.index" not in memo:
        memo["simulator.index"] = _build(s)
    return memo["simulator.index"]
