"""The plan's decisions: what a team that follows the response plan to the letter does, when.

Every required step at its deadline, by the role whose duty it is; coverage steps for every
role the plan wants assigned; status updates at the cadence's limit; the truth's severity,
cause and obligations, and the team's own choices where it made them. The counterfactual
(``scoring.counterfactual``) plays these through the engine.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from drillbook.scoring.cadence import phases, planned_updates
from drillbook.scoring.context import CLIENT_PARAMS, Act, RunContext, ceil_minutes
from drillbook.scoring.plan import CadenceRule, CoverageRule, DeadlineRule, Step
from drillbook.scoring.planchecks import LIST_PARAMS

_MAX_UPDATES = 2000  # a cadence over a long open period stays a bounded number of decisions


class Planned(NamedTuple):
    """A decision of the plan's timeline (a tuple: a cadence makes hundreds a score). ``data``
    is never changed once made: the updates of one cadence share it."""

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


def _fix(ctx: RunContext, data: dict[str, Any]) -> dict[str, Any]:
    """The plan's fix addresses the root cause: the team's own option if it does, else the
    first the truth names."""
    fixes = ctx.scenario.truth.fixes
    if (
        data.get("action") in ("remediate", "test_fix")
        and fixes
        and data.get("option") not in fixes
    ):
        return {**data, "option": fixes[0]}
    return data


def _scalar(where: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v[0] if isinstance(v, list) and k not in LIST_PARAMS else v) for k, v in where.items()
    }


def taken_key(step: Step, where: dict[str, Any]) -> tuple[str, str]:
    """The key ``_first_taken`` keeps a step's first decision under (and lists it by)."""
    return step.id, repr(sorted(where.items()))


def _first_taken(
    ctx: RunContext, step: Step, where: dict[str, Any], key: tuple[str, str] | None = None
) -> Act | None:
    """The team's first decision performing the step, memoised on the context (which lives
    for one ``score`` call): a cadence asks for the same step a hundred times. ``key``:
    ``taken_key(step, where)``, when the caller has it already."""
    if key is None:
        key = taken_key(step, where)
    queries = ctx.memo.get(QUERIES)
    if queries is not None:
        queries.setdefault(key, (step, where))
    if key not in ctx.memo:
        taken = ctx.of_step(step.id, where)
        ctx.memo[key] = taken[0] if taken else None
    return ctx.memo[key]


# Where ``_first_taken`` lists the questions it was asked, while a caller wants to know them
# (``scoring.counterfactual``: the team's choices are all a plan's timeline reads of a run).
QUERIES = "planned:queries"


def team_choice(
    ctx: RunContext, step: Step, where: dict[str, Any], key: tuple[str, str] | None = None
) -> tuple[str, str] | None:
    """What of the team's first decision of the step the plan's timeline keeps: its role and
    its own parameters (``None``: the team did not take it). Two runs alike in this for every
    step the timeline takes play the same timeline. ``key``: see ``_first_taken``."""
    team = _first_taken(ctx, step, where, key)
    if team is None:
        return None
    return team.role, choice_words(team)


def choice_words(team: Act) -> str:
    """The parameters of a team's decision the plan's timeline keeps, written out (``repr``
    of ``_own``): the parameters themselves when they hold neither key ``_own`` drops."""
    p = team.params
    return repr(p) if "rationale" not in p and "re" not in p else repr(_own(team))


def _own(team: Act) -> dict[str, Any]:
    return {k: v for k, v in team.params.items() if k not in ("rationale", "re")}


# Parameters that name a role, per action.
_ROLE_PARAMS = {
    "escalate": ("to",),
    "assign_role": ("assign",),
    "public_statement": ("spokesperson",),
}


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
    own = _own(team) if team else {}
    in_play = ctx.scenario.role_ids
    if team and ctx.takes(step, team.role):
        role = team.role  # the team's own seat, where the plan gives it the step
    elif step.role is not None and (seats := ctx.seats_for(step.role)):
        role = seats[0]  # the plan's role, or the scenario's role that carries its duty
    else:
        owners = [*step.roles, *step.duties]
        role = next((r for d in owners for r in ctx.seats_for(d)), in_play[0])
    data = {
        **step.params,
        **own,
        **_scalar(step.where),
        **_scalar(where),
        **_truth(ctx, step.action),
        **(override or {}).get(step.action, {}),
        **extra,
    }
    if ctx.scenario.no_client == "leadership":  # leadership in the client's place
        for key in CLIENT_PARAMS:
            if data.get(key) == "client":
                data[key] = "leadership"
    for key in _ROLE_PARAMS.get(step.action, ()):
        # escalate to the Incident Commander: at a table of the scenario's own roles, to the
        # role that carries that duty
        named = data.get(key)
        if isinstance(named, str) and named not in in_play and (seats := ctx.seats_for(named)):
            data[key] = seats[0]
    return Planned(at, rank, role, _fix(ctx, {"action": step.action, **data}))


def planned_decisions(
    ctx: RunContext, order: dict[str, int], override: dict[str, dict[str, Any]] | None = None
) -> list[Planned]:
    """Every required step at its deadline, in time order (ties in the plan's step order).

    ``override`` maps an action to parameters that replace the team's own (containment)."""
    out: list[Planned] = []
    for rule in ctx.plan.rules:
        if not ctx.applies(rule) or not hasattr(rule, "step") or rule.step not in ctx.steps:
            continue
        if ctx.absent_client(rule):
            continue
        step = ctx.steps[rule.step]
        rank = order.get(step.id, 0)
        if isinstance(rule, DeadlineRule) and rule.obligations:
            for ob in ctx.obligations():
                clock = ob.clock if ob.clock is not None else ctx.window(rule, rule.undue_delay)
                if clock is None:
                    continue
                extra: dict[str, Any] = {"audience": ob.audience}
                if ob.audience == "regulator":
                    extra["regulator"] = ob.id
                start = ctx.planned_clock_start(ob)
                if start is None:
                    continue
                at = start + clock
                notice = _decision(ctx, step, at, rank, rule.where, extra)
                out.append(notice)
                diagnosed = ctx.planned_diagnosis()
                if ob.amend is not None and diagnosed is not None and at < diagnosed:
                    # the notice went out before the cause was known: amend it once it is
                    amend = {"action": "amend", "of": "notify", **_scalar(extra)}
                    out.append(Planned(diagnosed + 1, rank, notice.role, amend))
                for fu in ob.follow_ups:  # each follow-up at its own deadline
                    base = start if fu.from_ == "trigger" else at
                    at = base + fu.clock
                    out.append(_decision(ctx, step, at, rank, rule.where, extra))
        elif isinstance(rule, DeadlineRule):
            window = ctx.window(rule)
            if window is None:
                continue
            at = ctx.planned_anchor(rule.anchor) + window
            extra = {rule.time_param: ceil_minutes(at)} if rule.time_param else {}
            planned = _decision(ctx, step, at, rank, rule.where, extra, override)
            if planned.data.get("tested") is True:
                # "Test the fix thoroughly before deploying it": the test comes first.
                test = {"action": "test_fix", "option": planned.data.get("option")}
                out.append(Planned(at, rank - 1, planned.role, test))
            out.append(planned)
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
        seats = [s[0] for r in rule.roles if (s := ctx.seats_for(r))]
        return [
            _decision(ctx, assign, at, rank, rule.where, {"assign": seat})
            for seat in dict.fromkeys(seats)
        ]
    if rule.param is not None:
        return [_decision(ctx, step, at, rank, rule.where, {rule.param: list(rule.values)})]
    extra: dict[str, Any] = {}
    if rule.future_param:
        extra[rule.future_param] = ceil_minutes(at) + max(window, 1)
    return [_decision(ctx, step, at, rank, rule.where, extra) for _ in range(rule.count or 1)]


def _cadence(ctx: RunContext, rule: CadenceRule, step: Step, rank: int) -> list[Planned]:
    if any(e <= 0 for _, e in phases(ctx, rule, planned=True)):
        return []
    times = planned_updates(ctx, rule, limit=_MAX_UPDATES)
    if not times:
        return []
    # Every update is the same decision at another time (its data does not depend on when).
    first = _decision(ctx, step, times[0], rank, rule.where, {})
    return [Planned(t, rank, first.role, first.data) for t in times]
