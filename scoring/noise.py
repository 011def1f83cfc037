"""Commission costs too: decisions that are noise, and the capability each one is charged to.

A team is not ready because it did everything, everywhere, all the time. Three kinds of
decision earn nothing and cost credit (``discipline.noise_cost`` points of the capability of
the step they perform):

* a decision made before the team could know (:mod:`scoring.knowledge`) — clicking, not
  responding;
* a notice with no reason: to a regulator when no obligation that applies names one; to the
  public before the incident is public (where the scenario says when it goes public);
* a message to an audience beyond what the plan's cadence asks of the whole open period on
  the plan's timeline (``discipline.message_slack`` more are allowed) — 780 updates are not a
  communication plan.

The budget is fixed by the scenario and the plan, not by the team's own timing, so sending a
message later never turns noise into credit: delaying a decision never raises readiness.
"""

from __future__ import annotations

from dataclasses import dataclass

from drillbook.scoring.context import Act, RunContext
from drillbook.scoring.plan import Step

_MESSAGES = ("notify", "status_update")


@dataclass(frozen=True)
class Noise:
    seq: int
    capability: str
    why: str


def noise(ctx: RunContext) -> list[Noise]:
    """Every noise decision of the run, in journal order."""
    reasons = {o.audience for o in ctx.obligations()}
    budget = message_budget(ctx)
    sent: dict[str, int] = {}
    out: list[Noise] = []
    for a in ctx.acts:
        why = a.why_not if not a.known else _commission(ctx, a, reasons, budget, sent)
        if why:
            out.append(Noise(a.seq, capability_of(ctx, a), why))
    return out


def message_budget(ctx: RunContext) -> int:
    """How many messages one audience may receive before the rest is noise: the updates the
    plan's cadence asks for from classification to resolution on the plan's timeline, plus
    the plan's slack for notices, answers to questions and the final word."""
    from drillbook.scoring.cadence import owed_on_plan
    from drillbook.scoring.plan import CadenceRule

    prep = ctx.prep
    assert prep is not None
    known = prep.memo.get("message_budget")  # the plan's timeline only: once per triple
    if known is not None:
        return known
    slack = ctx.plan.discipline.message_slack
    owed = 0
    for r in ctx.plan.rules:
        if isinstance(r, CadenceRule) and ctx.applies(r):
            owed = max(owed, owed_on_plan(ctx, r))
    prep.memo["message_budget"] = owed + slack
    return owed + slack


def _commission(
    ctx: RunContext, a: Act, reasons: set[str], budget: int, sent: dict[str, int]
) -> str:
    if a.action not in _MESSAGES:
        return ""
    audience = str(a.params.get("audience"))
    know = ctx.knowledge
    if a.action == "notify" and audience == "regulator" and "regulator" not in reasons:
        return "noise: no obligation that applies calls for a regulator"
    if (
        a.action == "notify"
        and audience == "public"
        and know.public_judged
        and not know.was_public(a.seq)
    ):
        return "noise: a public notice before the incident was public"
    sent[audience] = sent.get(audience, 0) + 1
    if sent[audience] > budget:
        return (
            f"noise: message {sent[audience]} to {audience}, beyond the {budget} the cadence asks"
        )
    return ""


def capability_of(ctx: RunContext, a: Act) -> str:
    """The capability a decision bears on: that of the first rule timing or judging its step
    (a rule naming the step directly first), else the plan's first capability."""
    step = ctx.step_of(a)
    prep = ctx.prep
    assert prep is not None
    key = ("capability", step.id if step is not None else None, a.action if step is None else "")
    known = prep.memo.get(key)  # the plan's alone: once per step
    if known is None:
        known = prep.memo[key] = _capability(ctx, step, a.action)
    return known


def _capability(ctx: RunContext, step: Step | None, action: str) -> str:
    if step is not None:
        for r in ctx.plan.rules:
            if getattr(r, "step", None) == step.id:
                return r.capability
        for r in ctx.plan.rules:
            if step.id in (getattr(r, "before", None), *getattr(r, "after", ())):
                return r.capability
    if action == "answer":
        judged = next((r for r in ctx.plan.rules if r.kind == "judgement"), None)
        if judged is not None:
            return judged.capability
    return next(iter(ctx.plan.capabilities))
