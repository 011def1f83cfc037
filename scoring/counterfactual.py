"""Impact, and its counterfactual: the same scenario on the plan's timeline.

"Your response cost $X; on the plan's timeline it would have cost $Y." The plan's timeline is
the scenario replayed through the engine (one headless run, nothing cached) with every
required step taken exactly at its deadline and nothing else: anchors at their planned times,
updates at the cadence's limit, each notification clock met on its last minute. Where the team
did take a step, its own choices (fix, audiences) are kept so that only the timing differs;
what the truth decides (severity, root cause, obligations) is the truth's.

Containment is the one exception. The plan says "err on the side of containment", and a
containment that does not stop the harm is not the plan's: if the team's method (or none)
leaves the scenario's meters running, the plan's timeline contains with whichever method the
scenario's rate rules honour that does the least harm — otherwise a team that chose badly
would be told the plan would have cost more than their response.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from scenarios.actions import parse_action
from scenarios.yamlsource import InputError
from simulator.engine import Engine
from simulator.refusals import ActionRejected
from simulator.replay import apply_change

from .context import Act, RunContext, ceil_minutes
from .plan import CadenceRule, CoverageRule, DeadlineRule, Step
from .planchecks import LIST_PARAMS

_MAX_UPDATES = 2000  # a cadence over a long open period stays a bounded number of decisions


@dataclass(frozen=True)
class Planned:
    at: float
    rank: int
    role: str
    data: dict[str, Any]  # {"action": …, **params}


def _truth(ctx: RunContext, action: str) -> dict[str, Any]:
    t = ctx.scenario.truth
    if action == "classify":
        return {"severity": t.severity, "types": list(t.types)}
    if action == "diagnose":
        return {"root_cause": t.root_cause}
    if action == "assess_regulatory":
        return {"obligations": [o.id for o in ctx.obligations()]}
    return {}


def _scalar(where: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v[0] if isinstance(v, list) and k not in LIST_PARAMS else v) for k, v in where.items()
    }


def _first_taken(ctx: RunContext, step: Step, where: dict[str, Any]) -> Act | None:
    """The team's first decision performing the step, memoised on the context (which lives
    for one ``score`` call): a cadence asks for the same step a hundred times."""
    key = (step.id, repr(sorted(where.items())))
    if key not in ctx.memo:
        taken = ctx.of_step(step.id, where)
        ctx.memo[key] = taken[0] if taken else None
    return ctx.memo[key]


def _decision(
    ctx: RunContext,
    step: Step,
    at: float,
    rank: int,
    where: dict[str, Any],
    extra: dict[str, Any],
    override: dict[str, dict[str, Any]] | None = None,
) -> Planned:
    """The step as the plan's timeline takes it: plan defaults < the team's own choices <
    the step's filters < the truth < the timing this decision exists for."""
    team = _first_taken(ctx, step, where)
    own = {k: v for k, v in team.params.items() if k not in ("rationale", "re")} if team else {}
    in_play = ctx.scenario.role_ids
    if team:
        role = team.role
    elif step.role in in_play:
        role = step.role
    else:
        role = in_play[0]
    data = {
        **step.params,
        **own,
        **_scalar(step.where),
        **_scalar(where),
        **_truth(ctx, step.action),
        **(override or {}).get(step.action, {}),
        **extra,
    }
    return Planned(at, rank, role, {"action": step.action, **data})


def planned_decisions(
    ctx: RunContext, order: dict[str, int], override: dict[str, dict[str, Any]] | None = None
) -> list[Planned]:
    """Every required step at its deadline, in time order (ties in the plan's step order).

    ``override`` maps an action to parameters that replace the team's own (containment)."""
    out: list[Planned] = []
    for rule in ctx.plan.rules:
        if not ctx.applies(rule) or not hasattr(rule, "step") or rule.step not in ctx.steps:
            continue
        step = ctx.steps[rule.step]
        rank = order.get(step.id, 0)
        if isinstance(rule, DeadlineRule) and rule.obligations:
            for ob in ctx.obligations():
                if ob.clock is None:
                    continue
                extra: dict[str, Any] = {"audience": ob.audience}
                if ob.audience == "regulator":
                    extra["regulator"] = ob.regime
                at = ctx.planned_anchor(ob.trigger) + ob.clock
                out.append(_decision(ctx, step, at, rank, rule.where, extra))
        elif isinstance(rule, DeadlineRule):
            window = ctx.window(rule)
            if window is None:
                continue
            at = ctx.planned_anchor(rule.anchor) + window
            extra = {rule.time_param: ceil_minutes(at)} if rule.time_param else {}
            out.append(_decision(ctx, step, at, rank, rule.where, extra, override))
        elif isinstance(rule, CoverageRule):
            out += _coverage(ctx, rule, step, rank)
        elif isinstance(rule, CadenceRule):
            out += _cadence(ctx, rule, step, rank)
    # A step two rules require (the client notice and the client's contractual clock) is
    # simply taken twice; a repeated decision changes nothing in the story.
    return sorted(out, key=lambda p: (p.at, p.rank))


def _coverage(ctx: RunContext, rule: CoverageRule, step: Step, rank: int) -> list[Planned]:
    window = ctx.window(rule)
    if window is None:
        return []
    at = ctx.planned_anchor(rule.anchor) + window
    if rule.roles:
        assign = ctx.steps.get(step.id)
        assert assign is not None
        return [
            _decision(ctx, assign, at, rank, rule.where, {"assign": r})
            for r in rule.roles
            if r in ctx.scenario.role_ids
        ]
    if rule.param is not None:
        return [_decision(ctx, step, at, rank, rule.where, {rule.param: list(rule.values)})]
    extra: dict[str, Any] = {}
    if rule.future_param:
        extra[rule.future_param] = ceil_minutes(at) + max(window, 1)
    return [_decision(ctx, step, at, rank, rule.where, extra) for _ in range(rule.count or 1)]


def _cadence(ctx: RunContext, rule: CadenceRule, step: Step, rank: int) -> list[Planned]:
    every = ctx.window(rule, rule.every)
    if not every or every <= 0:
        return []
    start, until = ctx.planned_anchor(rule.start), ctx.planned_anchor(rule.until)
    out = []
    t = start + every
    while t < until and len(out) < _MAX_UPDATES:
        out.append(_decision(ctx, step, t, rank, {}, {}))
        t += every
    return out


def _submit(engine: Engine, role: str, data: dict[str, Any], at: float) -> None:
    # A step this scenario cannot take (a role not in play…) changes nothing in its story.
    with suppress(ActionRejected, ValueError):
        engine.submit(role, parse_action(data), at=at)


def _play(
    ctx: RunContext, order: dict[str, int], override: dict[str, dict[str, Any]] | None
) -> dict[str, float]:
    engine = Engine(ctx.scenario, seed=ctx.seed)
    for p in planned_decisions(ctx, order, override):
        if p.at > ctx.end:
            break
        _submit(engine, p.role, p.data, p.at)
    engine.run_until(ctx.end)
    return engine.meters.values(ctx.end)


def containment_methods(ctx: RunContext) -> list[str]:
    """Containment methods the scenario's meter rate rules name, in declaration order."""
    from scenarios.conditions import Done, leaves

    out: list[str] = []
    for meter in ctx.scenario.meters:
        for rule in meter.rates:
            for leaf in leaves(rule.when):
                if isinstance(leaf, Done) and leaf.done == "contain":
                    methods = leaf.where.get("method", [])
                    for m in methods if isinstance(methods, list) else [methods]:
                        if m not in out:
                            out.append(str(m))
    return out


def counterfactual_meters(ctx: RunContext, order: dict[str, int]) -> dict[str, float]:
    """The meters at the end of play (or now) on the plan's timeline.

    One engine run with the team's own choices; where the scenario's rules name containment
    methods, one more run per method, and the least harmful outcome (compared meter by meter
    in declaration order) is the plan's.
    """
    outcomes = [_play(ctx, order, None)]
    for method in containment_methods(ctx):
        outcomes.append(_play(ctx, order, {"contain": {"method": method}}))
    ids = [m.id for m in ctx.scenario.meters]
    return min(outcomes, key=lambda values: [values.get(i, 0.0) for i in ids])


def actual_meters(ctx: RunContext, events: list[dict[str, Any]]) -> dict[str, float]:
    """The meters the run ended with; for a run still in progress, its inputs replayed to now."""
    for e in reversed(events):
        if e.get("type") == "run_ended" and isinstance(e.get("meters"), dict):
            return {k: float(v) for k, v in e["meters"].items()}
    engine = Engine(ctx.scenario, seed=ctx.seed)
    for e in events:
        try:
            apply_change(engine, e)
        except (ActionRejected, InputError, ValueError, KeyError):
            continue  # a hand-edited line the engine refuses changes nothing here
    engine.run_until(max(ctx.end, engine.now))
    return engine.meters.values(engine.now)
