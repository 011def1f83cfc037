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
from typing import Any

from drillbook.formats.yamlsource import InputError
from drillbook.scenarios.actions import parse_action
from drillbook.scoring.context import RunContext
from drillbook.scoring.plan import Step
from drillbook.scoring.planned import QUERIES, Planned, choice_words, planned_decisions, team_choice
from drillbook.simulator.engine import Engine
from drillbook.simulator.events import Kind
from drillbook.simulator.refusals import ActionRejected
from drillbook.simulator.replay import apply_change


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
    in declaration order) is the plan's. Worked out once per process for runs alike in what
    the timeline reads of them (see :class:`_Choices`).
    """
    key = (id(ctx.prep), ctx.end, ctx.seed, _contained(ctx), _story_triggers(ctx))
    known = CHOICES.get(key, ctx, order)
    if known is not None:
        return known
    ctx.memo[QUERIES] = {}
    try:
        values, events = _best(ctx, order)
    finally:
        queries = ctx.memo.pop(QUERIES)
    read = [
        (step, where, key, team_choice(ctx, step, where, key))
        for key, (step, where) in queries.items()
    ]
    CHOICES.put(key, ctx, order, read, values, events)
    return values, events


def _contained(ctx: RunContext) -> bool:
    """Whether the team's own containment stopped the harm (then no method is tried)."""
    return any(e.effective for e in ctx.effects.values())


def _story_triggers(ctx: RunContext) -> tuple[float | None, ...]:
    """When this run delivered the injects that start an obligation's clock and wait on a
    condition (the one thing of the run's story the plan's timeline reads)."""
    prep = ctx.prep
    assert prep is not None
    ids = prep.memo.get("story_triggers")
    if ids is None:
        ids = prep.memo["story_triggers"] = [
            ob.trigger.delivered
            for ob in prep.obligations
            if not isinstance(ob.trigger, str)
            and ob.trigger.delivered is not None
            and ((inj := ctx.scenario.inject(ob.trigger.delivered)) is None or inj.at is None)
        ]
    return tuple(ctx.knowledge.delivered_sim.get(i) for i in ids)


def _best(ctx: RunContext, order: dict[str, int]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    outcomes = [plan_timeline(ctx, order, None)]
    if _contained(ctx):
        return outcomes[0]  # the team's own containment stopped the harm: it is the plan's
    for method in containment_methods(ctx):
        outcomes.append(plan_timeline(ctx, order, {"contain": {"method": method}}))
    ids = [m.id for m in ctx.scenario.meters]
    return min(outcomes, key=lambda o: [o[0].get(i, 0.0) for i in ids])


# (step, filter, its ``planned.taken_key``, what the run chose for it)
Read = list[tuple[Step, dict[str, Any], tuple[str, str], tuple[str, str] | None]]


class _Choices:
    """Best plan timelines already worked out, by what they read of a run.

    The plan's timeline reads of a run only its end, its seed, whether its containment
    stopped the harm, when it delivered the injects that start a clock, and the team's first
    decision of each step the timeline takes (``planned.team_choice``: role and parameters,
    not time). Which steps those are follows from the rest, so an entry keeps the ones its
    play asked about and a run answering each alike gets the same timeline, without working
    out its decisions or keying them again. The console re-scores one run after each
    decision; a simulation's runs mostly choose alike. Entries keep their ``Prepared`` (and
    so the scenario, plan and client) alive: an ``id`` is not reused while one stands.
    """

    def __init__(self, size: int = 64, per_key: int = 8) -> None:
        self.size = size
        self.per_key = per_key
        self._entries: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}

    def get(
        self, key: tuple[Any, ...], ctx: RunContext, order: dict[str, int]
    ) -> tuple[dict[str, float], list[dict[str, Any]]] | None:
        for prep, order_, read, values, events in self._entries.get(key, ()):
            if prep is ctx.prep and order_ == order and _same_choices(ctx, read):
                return dict(values), list(events)
        return None

    def put(
        self,
        key: tuple[Any, ...],
        ctx: RunContext,
        order: dict[str, int],
        read: Read,
        values: dict[str, float],
        events: list[dict[str, Any]],
    ) -> None:
        bucket = self._entries.get(key)
        if bucket is None:
            if len(self._entries) >= self.size:
                del self._entries[next(iter(self._entries))]
            bucket = self._entries[key] = []
        bucket[:] = [
            *bucket[-(self.per_key - 1) :],
            (ctx.prep, dict(order), read, dict(values), list(events)),
        ]

    def clear(self) -> None:
        self._entries.clear()


def _same_choices(ctx: RunContext, read: Read) -> bool:
    """Whether the run's team chose as the entry's did for every step its timeline read
    (``team_choice`` of each, equal to what was seen): the first decision of the step
    straight from ``of_step``, the role compared before the parameters are written out."""
    of_step = ctx.of_step
    for step, where, _, seen in read:
        taken = of_step(step.id, where)
        if not taken:
            if seen is not None:
                return False
            continue
        team = taken[0]
        if seen is None or team.role != seen[0] or choice_words(team) != seen[1]:
            return False
    return True


CHOICES = _Choices()


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
