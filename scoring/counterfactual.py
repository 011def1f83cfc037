"""Impact, and its counterfactual: the same scenario on the plan's timeline.

"Your response cost $X; on the plan's timeline it would have cost $Y." The plan's timeline is
the scenario replayed through the engine (one headless run) with every
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
from typing import Any, NamedTuple

from drillbook.formats.yamlsource import InputError
from drillbook.scenarios.actions import parse_action
from drillbook.scoring.cadence import phases, planned_updates
from drillbook.scoring.context import CLIENT_PARAMS, Act, RunContext, ceil_minutes
from drillbook.scoring.plan import CadenceRule, CoverageRule, DeadlineRule, Step
from drillbook.scoring.planchecks import LIST_PARAMS
from drillbook.simulator.engine import Engine
from drillbook.simulator.events import Kind
from drillbook.simulator.refusals import ActionRejected
from drillbook.simulator.replay import apply_change

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


def _first_taken(ctx: RunContext, step: Step, where: dict[str, Any]) -> Act | None:
    """The team's first decision performing the step, memoised on the context (which lives
    for one ``score`` call): a cadence asks for the same step a hundred times."""
    key = (step.id, repr(sorted(where.items())))
    if key not in ctx.memo:
        taken = ctx.of_step(step.id, where)
        ctx.memo[key] = taken[0] if taken else None
    return ctx.memo[key]


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
    own = {k: v for k, v in team.params.items() if k not in ("rationale", "re")} if team else {}
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


def _submit(engine: Engine, role: str, data: dict[str, Any], at: float) -> None:
    # A step this scenario cannot take (a role not in play…) changes nothing in its story.
    with suppress(ActionRejected, ValueError):
        engine.submit(role, parse_action(data), at=at)


def _bootstrap(engine: Engine, ctx: RunContext) -> None:
    """The team the plan assumes: whoever the first page reaches escalates to the Incident
    Commander, who activates every role in play, and the sources that reveal the cause are
    examined (and, in a fairness incident, the group-level data) — so every later step is one
    its role could know to take."""
    roles = ctx.scenario.role_ids
    aware = float(ctx.scenario.truth.awareness)
    if aware > ctx.end:
        return  # a run still in progress, before anyone could know: nothing to do yet
    first = engine.next_delivery_due()
    while first is not None and first < aware:
        engine.run_to_next_delivery(aware)
        first = engine.next_delivery_due()
    at = max(aware, first if first is not None else aware)
    if at > ctx.end:
        return
    engine.run_until(at)
    told = set().union(*engine.state.delivered_to.values())
    reached = [r for r in roles if r in told]
    lead = "incident_commander" if "incident_commander" in roles else (reached or roles)[0]
    if reached and lead not in reached:
        _submit(engine, reached[0], {"action": "escalate", "to": lead}, at)
    for r in roles:
        if r != lead:
            _submit(engine, lead, {"action": "assign_role", "assign": r}, at)
    truth = ctx.scenario.truth
    wanted = [truth.revealed_by]
    if "fairness" in truth.types:
        wanted.append(truth.disaggregation_from)
    for reveal in wanted:
        for src in ctx.scenario.sources:
            who = next((r for r in src.access if r in roles), None)
            if who and (not reveal or src.id in reveal):
                _submit(engine, who, {"action": "investigate", "source": src.id}, at)
                break


def _answer(engine: Engine, ctx: RunContext, events: list[dict[str, Any]], seen: list[int]) -> None:
    """Answer every judged question delivered since the last look with a sound option."""
    start = seen[0]
    seen[0] = len(events)
    for e in events[start:]:
        inj_id = str(e.get("inject"))
        if e.get("type") != Kind.INJECT_DELIVERED:
            continue
        inj = engine.index.injects.get(inj_id)  # not a scan per delivery: O(injects²)
        q = inj.question if inj else None
        sound = next((o for o in q.options if o.verdict == "sound"), None) if q else None
        if q is None or sound is None:
            continue
        role = q.role if q.role in e.get("to", ()) else e["to"][0]
        data = {"action": "answer", "inject": inj_id, "option": sound.id}
        _submit(engine, role, data, engine.now)


class _Timelines:
    """Plan timelines already played in this process, by everything a play depends on.

    A play is one engine run, a pure function of the scenario, the seed, the end of play
    and the planned decisions (which hold the team's own choices, so two runs that chose
    alike share a timeline). The facilitator's console scores after every decision and the
    readiness simulation scores thousands of runs of one scenario: each would play the same
    timeline again. Entries keep their scenario alive, so an ``id`` is never reused while
    its entry stands; the oldest entry goes first beyond ``size``.
    """

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._entries: dict[
            tuple[Any, ...], tuple[Any, dict[str, float], list[dict[str, Any]]]
        ] = {}

    def get(
        self, key: tuple[Any, ...], scenario: Any
    ) -> tuple[dict[str, float], list[dict[str, Any]]] | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] is not scenario:
            return None
        return dict(entry[1]), list(entry[2])

    def put(
        self,
        key: tuple[Any, ...],
        scenario: Any,
        values: dict[str, float],
        events: list[dict[str, Any]],
    ) -> None:
        if len(self._entries) >= self.size:
            del self._entries[next(iter(self._entries))]
        self._entries[key] = (scenario, dict(values), list(events))

    def clear(self) -> None:
        self._entries.clear()


TIMELINES = _Timelines()


def plan_timeline(
    ctx: RunContext, order: dict[str, int], override: dict[str, dict[str, Any]] | None = None
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """The plan's timeline played: its meters at the end and its journal events (played once
    per process for the same inputs; see :class:`_Timelines`)."""
    planned = planned_decisions(ctx, order, override)
    # The decisions' data is JSON-like (str, numbers, bools, None, lists, dicts), whose repr
    # differs wherever the data does: equal keys mean equal plays (two equal dicts built in
    # another order would only miss the cache, never hit the wrong entry).
    shown: dict[int, str] = {}  # id(data) → its repr, made once for a cadence's shared dict
    rows = [(p.at, p.rank, p.role, shown.get(id(p.data)) or _shown(shown, p.data)) for p in planned]
    key = (id(ctx.scenario), ctx.seed, ctx.end, repr(rows))
    known = TIMELINES.get(key, ctx.scenario)
    if known is not None:
        return known
    values, events = _play(ctx, planned)
    TIMELINES.put(key, ctx.scenario, values, events)
    return values, events


def _shown(shown: dict[int, str], data: dict[str, Any]) -> str:
    shown[id(data)] = text = repr(data)
    return text


def _play(ctx: RunContext, planned: list[Planned]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    engine = Engine(ctx.scenario, seed=ctx.seed)
    events: list[dict[str, Any]] = []
    engine.listeners.append(events.append)
    engine.start(scenario=ctx.scenario.id, seed=ctx.seed, mode="plan")
    _bootstrap(engine, ctx)
    seen = [0]  # how many events have been looked at for questions
    for p in planned:
        if p.at > ctx.end:
            break
        engine.run_until(max(p.at, engine.now))
        _answer(engine, ctx, events, seen)
        _submit(engine, p.role, p.data, max(p.at, engine.now))
    engine.run_until(ctx.end)
    _answer(engine, ctx, events, seen)
    engine.run_until(ctx.end)
    values = engine.meters.values(ctx.end)
    engine.finish(at=ctx.end)
    return values, events


def containment_methods(ctx: RunContext) -> list[str]:
    """Containment methods the scenario's meter rate rules name, in declaration order."""
    from drillbook.scenarios.conditions import Done, leaves

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


def best_timeline(
    ctx: RunContext, order: dict[str, int]
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """The plan's timeline: its meters at the end of play (or now) and its journal events.

    One engine run with the team's own choices; where the scenario's rules name containment
    methods, one more run per method, and the least harmful outcome (compared meter by meter
    in declaration order) is the plan's.
    """
    outcomes = [plan_timeline(ctx, order, None)]
    if any(e.effective for e in ctx.effects.values()):
        return outcomes[0]  # the team's own containment stopped the harm: it is the plan's
    for method in containment_methods(ctx):
        outcomes.append(plan_timeline(ctx, order, {"contain": {"method": method}}))
    ids = [m.id for m in ctx.scenario.meters]
    return min(outcomes, key=lambda o: [o[0].get(i, 0.0) for i in ids])


def counterfactual_meters(ctx: RunContext, order: dict[str, int]) -> dict[str, float]:
    """The meters at the end of play (or now) on the plan's timeline."""
    return best_timeline(ctx, order)[0]


def actual_meters(ctx: RunContext, events: list[dict[str, Any]]) -> dict[str, float]:
    """The meters the run ended with; for a run still in progress, its inputs replayed to now."""
    for e in reversed(events):
        if e.get("type") == Kind.RUN_ENDED and isinstance(e.get("meters"), dict):
            return {k: float(v) for k, v in e["meters"].items()}
    engine = Engine(ctx.scenario, seed=ctx.seed)
    for e in events:
        try:
            apply_change(engine, e)
        except (ActionRejected, InputError, ValueError, KeyError):
            continue  # a hand-edited line the engine refuses changes nothing here
    engine.run_until(max(ctx.end, engine.now))
    return engine.meters.values(engine.now)
