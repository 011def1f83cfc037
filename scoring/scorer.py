"""``score(scenario, plan, events, client)``: the Scorecard of one run. A pure function.

Same scenario, plan, client and journal → the same Scorecard, to the byte of its JSON: it reads
nothing but its arguments and rounds every figure it reports. What it keeps between calls
changes no answer: the plans that passed their checks, and the plan's timelines already
played (a pure function of their inputs, see ``counterfactual``). It is cheap enough to run after each decision in the
facilitator's console: rules look only at their own decisions, the decision log is one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from drillbook.formats.yamlsource import InputError, Problem
from drillbook.scenarios.model import Scenario
from drillbook.scoring import judged, timed
from drillbook.scoring.client import ClientProfile
from drillbook.scoring.context import RunContext
from drillbook.scoring.counterfactual import actual_meters, counterfactual_meters
from drillbook.scoring.decisions import decision_log
from drillbook.scoring.graph import critical_path, precedence_graph, step_order
from drillbook.scoring.noise import noise
from drillbook.scoring.outcome import Outcome, not_applicable
from drillbook.scoring.plan import CoverageRule, DeadlineRule, JudgementRule, ResponsePlan
from drillbook.scoring.planchecks import check, client_problems
from drillbook.scoring.scorecard import (
    RATINGS,
    CapabilityResult,
    DecisionLog,
    DecisionVerdict,
    ImpactLine,
    Rating,
    RatingOverride,
    RuleResult,
    Scorecard,
    Verdict,
)
from drillbook.simulator.events import Kind

EVALUATE: dict[str, Callable[[Any, RunContext], Outcome]] = {  # judgement: one per question
    "deadline": timed.deadline,
    "coverage": timed.coverage,
    "cadence": timed.cadence,
    "precedence": judged.precedence,
    "match": judged.match,
    "guard": judged.guard,
}


_PASSED: list[tuple[ResponsePlan, ClientProfile | None]] = []  # checked in this process


def _checked(plan: ResponsePlan, client: ClientProfile | None) -> None:
    """A plan or client built in code gets the same checks as one read from a file.

    Plans and client profiles are frozen, so a pair that passed once passes again: the
    console scores after every decision with the same two objects, and is not charged the
    checks each time (the last few pairs are remembered, by identity)."""
    if any(p is plan and c is client for p, c in _PASSED):
        return
    problems = [Problem(f"plan '{plan.id}'", 0, 0, msg) for _, msg, _ in check(plan)]
    if client is not None:
        problems += [
            Problem(f"client '{client.id}'", 0, 0, msg) for _, msg in client_problems(plan, client)
        ]
    if problems:
        raise InputError(problems)
    _PASSED[:] = [*_PASSED[-7:], (plan, client)]


def _evaluator(
    plan: ResponsePlan, said: list[tuple[int, dict[str, Any]]], source: str
) -> tuple[dict[str, RatingOverride], dict[str, list[str]], dict[str, list[str]]]:
    """Evaluator ratings (the last one per capability wins), notes and hot-wash lessons, from
    the journal's evaluator lines (``RunContext.evaluated``: index in the journal, line)."""
    overrides: dict[str, RatingOverride] = {}
    notes: dict[str, list[str]] = {}
    lessons: dict[str, list[str]] = {}
    for i, e in said:
        kind = e.get("type")
        cap = e.get("capability")
        if kind == Kind.RATING:
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
            sim = e.get("sim")
            overrides[cap] = RatingOverride(
                e["rating"], str(e.get("note") or ""), None if sim is None else float(sim)
            )
        elif kind == Kind.EVALUATOR_NOTE and cap in plan.capabilities and e.get("text"):
            notes.setdefault(cap, []).append(e["text"])
        elif kind == Kind.LESSON and cap in plan.capabilities and e.get("text"):
            lessons.setdefault(cap, []).append(e["text"])
    return overrides, notes, lessons


_NOT_DUE = ("not_applicable", "pending")  # rules left out of every score


def _worse(a: Rating, b: Rating) -> Rating:
    return a if RATINGS.index(a) >= RATINGS.index(b) else b


def _bounds(plan: ResponsePlan, rating: Rating) -> tuple[float, float]:
    r = plan.ratings
    low = {"P": r.P, "S": r.S, "M": r.M, "U": 0.0}[rating]
    high = {"P": 100.0, "S": r.P - 0.1, "M": r.S - 0.1, "U": r.M - 0.1}[rating]
    return low, high


def _band(plan: ResponsePlan, rating: Rating, score: float) -> float:
    """A score moved into a rating's band: how an evaluator's override reaches readiness."""
    low, high = _bounds(plan, rating)
    return min(max(score, low), high)


def _scaled(plan: ResponsePlan, rating: Rating, score: float) -> float:
    """A 0–100 score mapped into a capped rating's band, keeping its order: two teams capped
    alike still read apart, and a worse run never reads higher."""
    low, high = _bounds(plan, rating)
    return low + (high - low) * max(0.0, min(score, 100.0)) / 100.0


def _capabilities(
    plan: ResponsePlan,
    rules: list[RuleResult],
    said: list[tuple[int, dict[str, Any]]],
    source: str,
    noisy: dict[str, int],
) -> tuple[dict[str, CapabilityResult], dict[str, float], dict[str, float]]:
    """Each capability's score from its rules that are due (not applicable and pending ones
    left out), less the noise charged to it; rated by the plan's thresholds and capped where
    the plan says a broken rule or a missed clock caps it. A capability none of whose rules
    applied was not exercised and is left out (an evaluator's rating of it stays in the
    journal). Returns the records, the computed scores and the scores in force (an
    evaluator's override moves its capability's score into the override's band)."""
    overrides, notes, lessons = _evaluator(plan, said, source)
    out: dict[str, CapabilityResult] = {}
    raw: dict[str, float] = {}
    in_force: dict[str, float] = {}
    roll = plan.rollup
    by_cap: dict[str, list[RuleResult]] = {}  # each capability's rules, in plan order (one pass)
    for r in rules:
        by_cap.setdefault(r.capability, []).append(r)
    for cap_id, cap in plan.capabilities.items():
        own = by_cap.get(cap_id, [])
        earned: list[float] = []  # summed by ``sum``, as before (from 3.12 it compensates:
        weights: list[float] = []  # a loop's += would give other figures there)
        broken: list[str] = []
        clocks: list[str] = []
        for r in own:  # one pass over the capability's rules that are due
            status = r.status
            if status in _NOT_DUE:
                continue
            w, c = r.weight, r.credit
            earned.append(w * c)
            weights.append(w)
            if status == "violated" and c == 0:
                broken.append(r.id)
            if r.missed_clock:
                clocks.append(r.id)
        if not weights:
            continue
        ruled = 100 * sum(earned) / sum(weights)
        n = noisy.get(cap_id, 0)
        score = max(0.0, ruled - n * plan.discipline.noise_cost)
        shown = round(score, 1)
        computed = plan.ratings.rate(shown)
        capped: list[str] = []
        if roll.violation_caps_rating and broken:
            computed = _worse(computed, roll.violation_caps_rating)
            capped.append(f"broken: {', '.join(broken)}")
        if roll.missed_clock_caps_rating and clocks:
            computed = _worse(computed, roll.missed_clock_caps_rating)
            capped.append(f"a notification clock was missed ({', '.join(clocks)})")
        ov = overrides.get(cap_id)
        raw[cap_id] = score
        in_force[cap_id] = _band(plan, ov.rating, score) if ov else score
        out[cap_id] = CapabilityResult(
            cap_id,
            cap.title,
            shown,
            ov.rating if ov else computed,
            computed,
            ov,
            [r.id for r in own],
            notes.get(cap_id, []),
            lessons.get(cap_id, []),
            round(ruled, 1),
            n,
            capped,
        )
    return out, raw, in_force


def _readiness(plan: ResponsePlan, rules: list[RuleResult], scores: dict[str, float]) -> float:
    if plan.rollup.readiness == "rules":
        live = [r for r in rules if r.status not in ("not_applicable", "pending")]
        total = sum(r.weight for r in live)
        return 100 * sum(r.weight * r.credit for r in live) / total if total else 0.0
    total = sum(plan.capabilities[c].weight for c in scores)
    return sum(plan.capabilities[c].weight * s for c, s in scores.items()) / total if total else 0.0


def _overall(
    plan: ResponsePlan,
    readiness: float,
    capabilities: dict[str, CapabilityResult],
    rules: list[RuleResult],
) -> tuple[Rating, list[str]]:
    """The overall rating: the readiness score's, no better than the plan's caps allow while a
    capability is rated low or a notification clock was missed — a mean must not hide a U."""
    rating = plan.ratings.rate(readiness)
    why: list[str] = []
    roll = plan.rollup
    for low, cap in roll.overall_caps.items():
        named = [c.title for c in capabilities.values() if c.rating == low]
        if named and _worse(rating, cap) != rating:
            rating = _worse(rating, cap)
            why.append(f"{', '.join(named)} rated {low}")
    for low, cap in roll.several_caps.items():
        named = [c.title for c in capabilities.values() if _worse(c.rating, low) == c.rating]
        if len(named) >= 2 and _worse(rating, cap) != rating:
            rating = _worse(rating, cap)
            why.append(f"{', '.join(named)} rated {low} or worse")
    if roll.missed_clock_caps_overall and any(r.missed_clock for r in rules):
        capped = _worse(rating, roll.missed_clock_caps_overall)
        if capped != rating:
            rating = capped
            why.append("a notification clock was missed")
    return rating, why


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


def _plan_shape(ctx: RunContext) -> tuple[dict[str, int], list[str]]:
    """The plan's step order and critical path (rule ids): the plan's and the truth's alone,
    so worked out once per scenario, plan and client."""
    prep = ctx.prep
    assert prep is not None
    shape = prep.memo.get("shape")
    if shape is None:
        graph = precedence_graph(ctx.plan)
        shape = prep.memo["shape"] = (step_order(ctx.plan, graph), _critical(ctx, graph))
    return shape


Dispatch = list[tuple[Any, Callable[[Any, RunContext], Any] | None, str]]


def _dispatch(ctx: RunContext) -> Dispatch:
    """Each of the plan's rules with what judges it, or why it does not apply: whether a rule
    applies (the truth's incident types, a client nobody stands in for) is the scenario's,
    plan's and client's alone, so worked out once per triple, not asked rule by rule."""
    prep = ctx.prep
    assert prep is not None
    table: Dispatch | None = prep.memo.get("dispatch")
    if table is None:
        table = []
        for rule in ctx.plan.rules:
            if not ctx.applies(rule):
                kinds = ", ".join(rule.only_for_types)
                table.append((rule, None, f"only for {kinds} incidents"))
            elif ctx.absent_client(rule):
                table.append((rule, None, "the scenario has no outside client"))
            elif isinstance(rule, JudgementRule):
                table.append((rule, judged.judgement, ""))
            else:
                table.append((rule, EVALUATE[rule.kind], ""))
        prep.memo["dispatch"] = table
    return table


def _decisions(
    ctx: RunContext, events: list[dict[str, Any]], outcomes: list[Outcome], noise: dict[int, str]
) -> list[DecisionVerdict]:
    """The decision log, from what each rule made of each decision (see ``DecisionLog``)."""
    verdicts: dict[int, list[Verdict]] = {}
    for o in outcomes:
        for seq, v in o.verdicts:
            verdicts.setdefault(seq, []).append(v)
    return decision_log(ctx, events, verdicts, noise)


def score(
    scenario: Scenario,
    plan: ResponsePlan,
    events: list[dict[str, Any]],
    client: ClientProfile | None = None,
    *,
    source: str = "journal",
    counterfactual: dict[str, float] | None = None,
    own_history: bool = False,
) -> Scorecard:
    """Score one run's journal events against a response plan (and a client's profile).

    ``source`` names the journal in error messages (a rating for an unknown capability).
    ``counterfactual``: the plan's timeline's meters when the caller has them already (a
    readiness simulation plays it once per scenario, plan and client, not once per run).
    ``own_history``: ``events`` is what a live ``Session.history()`` returned in this process
    (every decision in it one the engine accepted), not a journal read back: what each
    containment did is then read from its decisions where the scenario allows, without a
    replay of the run (a readiness simulation scores its own sessions so).
    """
    _checked(plan, client)
    ctx = RunContext.build(scenario, plan, events, client, own_history=own_history)
    outcomes: list[Outcome] = []
    for rule, evaluate, why in _dispatch(ctx):
        if evaluate is None:
            outcomes.append(not_applicable(rule, why))
        elif evaluate is judged.judgement:
            outcomes += judged.judgement(rule, ctx)
        else:
            outcomes.append(evaluate(rule, ctx))
    rules = [o.result for o in outcomes]
    noisy: dict[str, int] = {}
    noise_of: dict[int, str] = {}
    for n in noise(ctx):
        noisy[n.capability] = noisy.get(n.capability, 0) + 1
        noise_of[n.seq] = n.why
    capabilities, raw, in_force = _capabilities(plan, rules, ctx.evaluated, source, noisy)
    computed = round(_readiness(plan, rules, raw), 1)
    readiness = round(_readiness(plan, rules, in_force), 1)
    computed_rating, _ = _overall(plan, computed, capabilities, rules)
    rating, capped_by = _overall(plan, readiness, capabilities, rules)
    # The number a manager reads agrees with the rating beside it: a capped rating brings the
    # readiness score down into its band (the uncapped mean stays in computed_readiness).
    readiness = round(_scaled(plan, rating, readiness), 1) if capped_by else readiness
    order, critical = _plan_shape(ctx)
    actual = actual_meters(ctx, events)
    planned = counterfactual if counterfactual is not None else counterfactual_meters(ctx, order)
    impact = {
        m.id: ImpactLine(
            m.id,
            m.label,
            float(round(actual.get(m.id, 0.0), 2)),  # floats, as the card's fields say
            float(round(planned.get(m.id, 0.0), 2)),
            m.unit,
            m.format,
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
        rating=rating,
        computed_readiness=computed,
        computed_rating=computed_rating,
        rating_capped_by=capped_by,
        provisional=not ctx.final,
        pending=[r.id for r in rules if r.status == "pending"],
        capabilities=capabilities,
        rules=rules,
        decisions=DecisionLog(partial(_decisions, ctx, list(events), outcomes, noise_of)),
        impact=impact,
        critical_path=list(critical),
    )
