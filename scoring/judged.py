"""Rules about *what* and *in which order*: precedence, match against the truth, guards.

A broken precedence or guard is a violation and earns nothing; a match judges what the team
settled on (its last such decision) against the scenario's truth, with under-classifying
costing more than over-classifying, as the plan declares.
"""

from __future__ import annotations

from typing import Any

from scenarios.offsets import fmt_offset

from .context import Act, RunContext, severity_rank
from .outcome import Outcome, not_applicable, result, verdict
from .plan import GuardRule, MatchRule, PrecedenceRule

_LEVELS = ("one level", "two levels", "three levels")


def precedence(rule: PrecedenceRule, ctx: RunContext) -> Outcome:
    changes = sorted((a for s in rule.after for a in ctx.of_step(s)), key=lambda a: a.seq)
    before = ctx.of_step(rule.before)
    first_title = ctx.steps[rule.before].title.lower()
    if not changes:
        return not_applicable(rule, "the step it guards was never taken")
    first = changes[0]
    prior = next((a for a in before if a.seq < first.seq), None)
    if prior is not None:
        note = f"{first_title} at {fmt_offset(prior.sim)}, before the first change at {fmt_offset(first.sim)}"
        verdicts = [
            (prior.seq, verdict(rule, "met", 1.0, prior.sim - first.sim, note)),
            (first.seq, verdict(rule, "met", 1.0, None, note)),
        ]
        res = result(
            rule,
            "met",
            1.0,
            due=first.sim,
            done=prior.sim,
            late_by=prior.sim - first.sim,
            detail=note,
            decisions=[prior.seq, first.seq],
        )
        return Outcome(res, verdicts)
    later = before[0] if before else None
    what = f"{first.action.replace('_', ' ')} by {first.role} at {fmt_offset(first.sim)}"
    detail = f"{what} came before any {first_title}" + (
        f" (done only at {fmt_offset(later.sim)})" if later else " (never done)"
    )
    verdicts = [(first.seq, verdict(rule, "violated", 0.0, None, f"before any {first_title}"))]
    if later is not None:
        verdicts.append(
            (
                later.seq,
                verdict(
                    rule, "violated", 0.0, later.sim - first.sim, "after the system had changed"
                ),
            )
        )
    res = result(
        rule,
        "violated",
        0.0,
        due=first.sim,
        done=later.sim if later else None,
        late_by=(later.sim - first.sim) if later else None,
        detail=detail,
        decisions=[s for s, _ in verdicts],
    )
    return Outcome(res, verdicts)


def _judge(rule: MatchRule, ctx: RunContext, params: dict[str, Any]) -> tuple[float, str]:
    truth = ctx.scenario.truth
    if rule.compare == "severity":
        declared = str(params.get("severity"))
        d = severity_rank(declared) - severity_rank(truth.severity)
        if d == 0:
            return 1.0, f"{declared}, as the truth"
        table, way = (rule.under, "under") if d > 0 else (rule.over, "over")
        n = abs(d)
        credit = table[n - 1] if n - 1 < len(table) else 0.0
        return credit, f"{declared}: {_LEVELS[n - 1]} {way} the true {truth.severity}"
    if rule.compare == "root_cause":
        named = params.get("root_cause")
        if named == truth.root_cause:
            return 1.0, f"{named}, the true cause"
        return 0.0, f"{named}; the true cause is {truth.root_cause}"
    applies = {o.id for o in ctx.obligations()}
    others = {o.id for o in truth.obligations} - applies
    claimed = set(params.get("obligations") or [])
    missed, extra = sorted(applies - claimed), sorted(claimed - applies)
    credit = 1.0
    if applies:
        credit -= rule.missed_cost * len(missed) / len(applies)
    if others:
        credit -= rule.extra_cost * len(extra) / len(others)
    words = []
    if missed:
        words.append(f"missed {', '.join(missed)}")
    if extra:
        words.append(f"claimed {', '.join(extra)}, which do not apply")
    return max(0.0, credit), "; ".join(words) or "every obligation that applies, and no other"


def match(rule: MatchRule, ctx: RunContext) -> Outcome:
    acts = ctx.of_step(rule.step)
    if not acts:
        if ctx.final:
            return Outcome(result(rule, "missed", 0.0, detail="never decided"))
        return not_applicable(rule, "not decided yet")
    settled = acts[-1]
    verdicts = []
    for a in acts:
        c, words = _judge(rule, ctx, a.params)
        status = "met" if c >= 1 else "violated"
        note = words if a is settled else f"{words} (superseded at {fmt_offset(settled.sim)})"
        verdicts.append((a.seq, verdict(rule, status, c, None, note)))
    credit, words = _judge(rule, ctx, settled.params)
    status = "met" if credit >= 1 else "violated"
    detail = f"settled at {fmt_offset(settled.sim)} by {settled.role} on {words}"
    res = result(
        rule,
        status,
        credit,
        done=settled.sim,
        detail=detail,
        decisions=[a.seq for a in acts],
    )
    return Outcome(res, verdicts)


def guard(rule: GuardRule, ctx: RunContext) -> Outcome:
    acts = ctx.of_step(rule.step)
    if not acts:
        return not_applicable(rule, f"no {ctx.steps[rule.step].title.lower()} was made")
    first_seq = {}
    for req in rule.requires_before:
        done = ctx.of_step(req)
        if done:
            first_seq[req] = done[0].seq
    verdicts = []
    broken: list[Act] = []
    problems: list[str] = []
    first_value: Any = None
    for a in acts:
        wrong = ""
        if rule.requires_before:
            missing = [r for r in rule.requires_before if first_seq.get(r, a.seq + 1) >= a.seq]
            if missing:
                titles = ", ".join(ctx.steps[m].title.lower() for m in missing)
                wrong = f"without: {titles}"
        if rule.single:
            value = a.params.get(rule.single)
            if first_value is None:
                first_value = value
            elif value != first_value:
                wrong = f"a second {rule.single} ({value}, after {first_value})"
        if wrong:
            broken.append(a)
            problems.append(f"at {fmt_offset(a.sim)} by {a.role} {wrong}")
            verdicts.append((a.seq, verdict(rule, "violated", 0.0, None, wrong)))
        else:
            verdicts.append((a.seq, verdict(rule, "met", 1.0, None, "as the plan requires")))
    if broken:
        res = result(
            rule,
            "violated",
            0.0,
            done=broken[0].sim,
            detail="; ".join(problems),
            decisions=[a.seq for a in acts],
        )
    else:
        res = result(
            rule,
            "met",
            1.0,
            done=acts[-1].sim,
            detail=f"{len(acts)} time(s), each as the plan requires",
            decisions=[a.seq for a in acts],
        )
    return Outcome(res, verdicts)
