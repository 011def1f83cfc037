"""Rules about *what* and *in which order*: precedence, match against the truth, guards.

A broken precedence or guard is a violation and earns nothing; a match judges what the team
settled on (its last such decision) against the scenario's truth, with under-classifying
costing more than over-classifying, as the plan declares.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from drillbook.scoring.context import Act, RunContext, severity_rank
from drillbook.scoring.outcome import (
    Outcome,
    not_applicable,
    offset,  # ``fmt_offset``, kept (see outcome)
    pending_outcome,
    result,
    verdict,
)
from drillbook.scoring.plan import GuardRule, JudgementRule, MatchRule, PrecedenceRule

_LEVELS = ("one level", "two levels", "three levels")
_SEQ = attrgetter("seq")


def precedence(rule: PrecedenceRule, ctx: RunContext) -> Outcome:
    changes = sorted([a for s in rule.after for a in ctx.of_step(s)], key=_SEQ)
    # Only a step done right comes "before": a wrong fix does not precede its verification,
    # nor a resolution without a verified fix the review.
    before = [a for a in ctx.of_step(rule.before) if ctx.correct(a)[0]]
    first_title = ctx.steps[rule.before].title.lower()
    if not changes:
        return not_applicable(rule, "the step it guards was never taken")
    first = changes[0]
    prior = next((a for a in before if a.seq < first.seq), None)
    if prior is not None:
        note = (
            f"{first_title} at {offset(prior.sim)}, before the first change at {offset(first.sim)}"
        )
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
    what = f"{first.action.replace('_', ' ')} by {first.role} at {offset(first.sim)}"
    detail = f"{what} came before any {first_title}" + (
        f" (done only at {offset(later.sim)})" if later else " (never done)"
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
    """What the team settled on, less ``superseded_cost`` for every wrong answer it gave on
    the way: five guesses in turn, the true one last, are not one considered diagnosis, and
    a placeholder corrected later is not the assessment the plan asks for."""
    acts = ctx.of_step(rule.step)
    if not acts:
        if ctx.final:
            return Outcome(result(rule, "missed", 0.0, detail="never decided"))
        return pending_outcome(rule, "not decided yet")
    settled = acts[-1]
    verdicts = []
    wrong_before = 0
    judged = (1.0, "")
    for a in acts:
        judged = c, words = _judge(rule, ctx, a.params)
        status = "met" if c >= 1 else "violated"
        if a is not settled:
            wrong_before += c < 1
            words = f"{words} (superseded at {offset(settled.sim)})"
        verdicts.append((a.seq, verdict(rule, status, c, None, words)))
    credit, words = judged  # the settled one's, judged last in the loop (``_judge`` is pure)
    credit -= rule.superseded_cost * wrong_before
    status = "met" if credit >= 1 else "violated"
    detail = f"settled at {offset(settled.sim)} by {settled.role} on {words}"
    if wrong_before:
        detail += f", after {wrong_before} wrong answer(s) superseded"
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
    # with no outside client and nobody in its place, consulting the client is not owed
    requires = [r for r in rule.requires_before if not ctx.absent_client(ctx.steps[r])]
    for req in requires:
        done = ctx.of_step(req)
        if done:
            first_seq[req] = done[0].seq
    verdicts = []
    broken: list[Act] = []
    problems: list[str] = []
    first_value: Any = None
    know = ctx.knowledge
    for a in acts:
        wrong = ""
        if rule.only_when_public and know.public_judged and not know.was_public(a.seq):
            wrong = "premature: the incident was not public yet"
        if requires and not wrong:
            missing = [r for r in requires if first_seq.get(r, a.seq + 1) >= a.seq]
            if missing:
                titles = ", ".join(ctx.steps[m].title.lower() for m in missing)
                wrong = f"without: {titles}"
        if rule.single:
            value = a.params.get(rule.single)
            if rule.single_actor and value != a.role:
                wrong = f"made by {a.role}, naming {value} as the {rule.single}"
            elif first_value is None:
                first_value = value
            elif value != first_value:
                wrong = f"a second {rule.single} ({value}, after {first_value})"
        if wrong:
            broken.append(a)
            problems.append(f"at {offset(a.sim)} by {a.role} {wrong}")
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


_CREDIT = {"sound": 1.0, "harmful": 0.0}


@dataclass(frozen=True, slots=True)
class _Question:
    """One question of a judgement rule, as its result and verdicts name it: the rule's own
    fields with the question's id and capability (what ``result`` and ``verdict`` read; a
    pydantic ``model_copy`` of the rule per question cost more than the rest of its work)."""

    id: str
    capability: str
    kind: str
    title: str
    weight: float
    source: str


def _question(prep: Any, rule: JudgementRule, inject: str, cap: str) -> _Question:
    """The question's record, kept per rule, inject and capability (frozen, and the plan's
    and scenario's alone; a frozen dataclass's ``__init__`` sets each field the slow way)."""
    key = ("judged:question", id(rule), inject, cap)
    known: _Question | None = prep.memo.get(key)
    if known is None:
        known = _Question(
            f"{rule.id}:{inject}", cap, rule.kind, rule.title, rule.weight, rule.source
        )
        if prep.owns_rule(rule):  # the plan's own: its id stays its own while kept
            prep.memo[key] = known
    return known


def judgement(rule: JudgementRule, ctx: RunContext) -> list[Outcome]:
    """One result per question whose options carry a verdict and that reached the team: the
    answer the team settled on (sound, poor or harmful), less ``superseded_cost`` for each
    answer it changed from. A harmful answer is a violation. Unanswered questions are missed
    once play has ended."""
    delivered = ctx.knowledge.delivered
    out: list[Outcome] = []
    answers: dict[str, list[Act]] = {}
    for a in ctx.by_action.get("answer", ()):
        answers.setdefault(str(a.params.get("inject")), []).append(a)
    prep = ctx.prep
    assert prep is not None
    asked = prep.memo.get("judged:questions")  # the scenario's alone: once per triple
    if asked is None:
        asked = prep.memo["judged:questions"] = [
            (inj, inj.question)
            for inj in ctx.scenario.injects
            if inj.question is not None and any(o.verdict for o in inj.question.options)
        ]
    for inj, q in asked:
        acts = answers.get(inj.id, [])
        settled = acts[-1] if acts else None
        option = next(
            (o for o in q.options if settled and o.id == settled.params.get("option")), None
        )
        cap = (option.capability if option else None) or q.capability or rule.capability
        if cap not in ctx.plan.capabilities:
            cap = rule.capability
        one = _question(prep, rule, inj.id, cap)
        if settled is None or option is None:
            if inj.id not in delivered:
                continue
            if ctx.final:
                out.append(
                    Outcome(result(one, "missed", 0.0, detail=f"'{q.prompt}' never answered"))
                )
            else:
                out.append(pending_outcome(one, f"'{q.prompt}' not answered yet"))
            continue
        verdict_ = option.verdict or "poor"
        credit = _CREDIT.get(verdict_, rule.poor) - rule.superseded_cost * (len(acts) - 1)
        status = "met" if credit >= 1 else ("violated" if verdict_ == "harmful" else "late")
        why = f" — {option.why}" if option.why else ""
        words = f"{option.label}: {verdict_}{why}"
        changed = f" (changed {len(acts) - 1} time(s))" if len(acts) > 1 else ""
        detail = (
            f"'{q.prompt}' answered at {offset(settled.sim)} by {settled.role}: {words}{changed}"
        )
        verdicts = [
            (
                a.seq,
                verdict(
                    one,
                    status if a is settled else "violated",
                    credit if a is settled else 0.0,
                    None,
                    words if a is settled else "changed later",
                ),
            )
            for a in acts
        ]
        res = result(
            one, status, credit, done=settled.sim, detail=detail, decisions=[a.seq for a in acts]
        )
        out.append(Outcome(res, verdicts))
    return out
