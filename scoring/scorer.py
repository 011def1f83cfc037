"""``score(scenario, plan, events, client)``: the Scorecard of one run. A pure function.

Same scenario, plan, client and journal → the same Scorecard, to the byte of its JSON: it reads
nothing but its arguments (the counterfactual is one fresh engine run), keeps nothing between
calls, and rounds every figure it reports. It is cheap enough to run after each decision in the
facilitator's console: rules look only at their own decisions, the decision log is one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scenarios.model import Scenario
from scenarios.yamlsource import InputError, Problem

from . import judged, timed
from .client import ClientProfile
from .context import RunContext
from .counterfactual import actual_meters, counterfactual_meters
from .decisions import decision_log
from .graph import critical_path, precedence_graph, step_order
from .outcome import Outcome, not_applicable
from .plan import CoverageRule, DeadlineRule, ResponsePlan
from .planchecks import check, client_problems
from .scorecard import (
    CapabilityResult,
    ImpactLine,
    Rating,
    RatingOverride,
    RuleResult,
    Scorecard,
    Verdict,
)

EVALUATE: dict[str, Callable[[Any, RunContext], Outcome]] = {
    "deadline": timed.deadline,
    "coverage": timed.coverage,
    "cadence": timed.cadence,
    "precedence": judged.precedence,
    "match": judged.match,
    "guard": judged.guard,
}
RATINGS: tuple[Rating, ...] = ("P", "S", "M", "U")


def _checked(plan: ResponsePlan, client: ClientProfile | None) -> None:
    """A plan or client built in code gets the same checks as one read from a file."""
    problems = [Problem(f"plan '{plan.id}'", 0, 0, msg) for _, msg, _ in check(plan)]
    if client is not None:
        problems += [
            Problem(f"client '{client.id}'", 0, 0, msg) for _, msg in client_problems(plan, client)
        ]
    if problems:
        raise InputError(problems)


def _evaluator(
    plan: ResponsePlan, events: list[dict[str, Any]], source: str
) -> tuple[dict[str, RatingOverride], dict[str, list[str]], dict[str, list[str]]]:
    """Evaluator ratings (the last one per capability wins), notes and hot-wash lessons."""
    overrides: dict[str, RatingOverride] = {}
    notes: dict[str, list[str]] = {}
    lessons: dict[str, list[str]] = {}
    for i, e in enumerate(events):
        kind = e.get("type")
        cap = e.get("capability")
        if kind == "rating":
            where = f"event {e.get('seq', i)} (rating)"
            if cap not in plan.capabilities:
                # Rated against another plan's capabilities (the journal is being scored
                # against a different plan): it says nothing about this plan's, so it is left
                # out rather than making the whole run unscorable.
                continue
            if e.get("rating") not in RATINGS:
                raise InputError(
                    [
                        Problem(
                            source,
                            i + 1,
                            1,
                            f"{where}: rating '{e.get('rating')}'; expected one of: P, S, M, U",
                        )
                    ]
                )
            overrides[cap] = RatingOverride(
                rating=e["rating"], note=e.get("note") or "", sim=e.get("sim")
            )
        elif kind == "evaluator_note" and cap in plan.capabilities and e.get("text"):
            notes.setdefault(cap, []).append(e["text"])
        elif kind == "lesson" and cap in plan.capabilities and e.get("text"):
            lessons.setdefault(cap, []).append(e["text"])
    return overrides, notes, lessons


def _worse(a: Rating, b: Rating) -> Rating:
    return a if RATINGS.index(a) >= RATINGS.index(b) else b


def _capabilities(
    plan: ResponsePlan, rules: list[RuleResult], events: list[dict[str, Any]], source: str
) -> tuple[dict[str, CapabilityResult], dict[str, float]]:
    """Each capability's score from its applicable rules; one none of whose rules applied was
    not exercised and is left out (an evaluator's rating of it stays in the journal)."""
    overrides, notes, lessons = _evaluator(plan, events, source)
    out: dict[str, CapabilityResult] = {}
    raw: dict[str, float] = {}
    cap_rating = plan.rollup.violation_caps_rating
    for cap_id, cap in plan.capabilities.items():
        own = [r for r in rules if r.capability == cap_id]
        live = [r for r in own if r.status != "not_applicable"]
        if not live:
            continue
        score = 100 * sum(r.weight * r.credit for r in live) / sum(r.weight for r in live)
        computed = plan.ratings.rate(round(score, 1))
        if cap_rating and any(r.status == "violated" and r.credit == 0 for r in live):
            computed = _worse(computed, cap_rating)
        ov = overrides.get(cap_id)
        raw[cap_id] = score
        out[cap_id] = CapabilityResult(
            id=cap_id,
            title=cap.title,
            score=round(score, 1),
            rating=ov.rating if ov else computed,
            computed_rating=computed,
            override=ov,
            rules=[r.id for r in own],
            notes=notes.get(cap_id, []),
            lessons=lessons.get(cap_id, []),
        )
    return out, raw


def _readiness(plan: ResponsePlan, rules: list[RuleResult], raw: dict[str, float]) -> float:
    if plan.rollup.readiness == "rules":
        live = [r for r in rules if r.status != "not_applicable"]
        total = sum(r.weight for r in live)
        return 100 * sum(r.weight * r.credit for r in live) / total if total else 0.0
    total = sum(plan.capabilities[c].weight for c in raw)
    return sum(plan.capabilities[c].weight * s for c, s in raw.items()) / total if total else 0.0


def _critical(ctx: RunContext, order_graph: Any) -> list[str]:
    """The critical path as rule ids: the timing rule of each required step along it."""
    timing: dict[str, str] = {}
    for r in ctx.plan.rules:
        if not isinstance(r, DeadlineRule | CoverageRule) or not ctx.applies(r):
            continue
        if (isinstance(r, DeadlineRule) and r.obligations) or ctx.window(r) is None:
            continue
        timing.setdefault(r.step, r.id)
    path = critical_path(ctx.plan, set(timing), order_graph)
    return [timing[s] for s in path]


def score(
    scenario: Scenario,
    plan: ResponsePlan,
    events: list[dict[str, Any]],
    client: ClientProfile | None = None,
    *,
    source: str = "journal",
) -> Scorecard:
    """Score one run's journal events against a response plan (and a client's profile).

    ``source`` names the journal in error messages (a rating for an unknown capability).
    """
    _checked(plan, client)
    ctx = RunContext.build(scenario, plan, events, client)
    outcomes: list[Outcome] = []
    for rule in plan.rules:
        if not ctx.applies(rule):
            kinds = ", ".join(rule.only_for_types)
            outcomes.append(not_applicable(rule, f"only for {kinds} incidents"))
        else:
            outcomes.append(EVALUATE[rule.kind](rule, ctx))
    rules = [o.result for o in outcomes]
    verdicts: dict[int, list[Verdict]] = {}
    for o in outcomes:
        for seq, v in o.verdicts:
            verdicts.setdefault(seq, []).append(v)
    capabilities, raw = _capabilities(plan, rules, events, source)
    readiness = round(_readiness(plan, rules, raw), 1)
    graph = precedence_graph(plan)
    order = step_order(plan, graph)
    actual = actual_meters(ctx, events)
    planned = counterfactual_meters(ctx, order)
    impact = {
        m.id: ImpactLine(
            meter=m.id,
            label=m.label,
            unit=m.unit,
            format=m.format,
            actual=round(actual.get(m.id, 0.0), 2),
            counterfactual=round(planned.get(m.id, 0.0), 2),
        )
        for m in scenario.meters
    }
    return Scorecard(
        scenario=scenario.id,
        title=scenario.title,
        plan=plan.id,
        client=client.id if client else None,
        severity=scenario.truth.severity,
        readiness=readiness,
        rating=plan.ratings.rate(readiness),
        capabilities=capabilities,
        rules=rules,
        decisions=decision_log(ctx, events, verdicts),
        impact=impact,
        critical_path=_critical(ctx, graph),
    )
