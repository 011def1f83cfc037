"""Did a containment stop the harm? Judged from the story's meters, not the decision's name.

A "containment" that leaves the harm running — a rate limit while $14 tickets keep selling,
human review while chat histories keep leaking — is not containment, whatever it is called.
The engine already knows: the scenario's meter rules say what each method does to each rate.
So the run's inputs are replayed once into a fresh engine, and for every ``contain`` decision
the *harm meters* are read right after it and at the end of play: if any of them still grew,
the harm continued and the containment was ineffective.

The harm meters are the base meters that containment alone can stop outright (a rate rule
with rate 0 whose condition speaks only of ``done: contain``). A meter no containment can
stop on its own (complaints already in the queue, offers already guaranteed, posts already
shared) says nothing about a method; a scenario with no such meter cannot tell, and every
containment counts as effective there.
"""

from __future__ import annotations

import io
import pickle
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from drillbook.formats.yamlsource import InputError
from drillbook.scenarios.conditions import After, Done, NotDone, leaves
from drillbook.scenarios.model import Scenario
from drillbook.simulator.conditions import holds
from drillbook.simulator.engine import Engine
from drillbook.simulator.events import Kind
from drillbook.simulator.index import index_of
from drillbook.simulator.meters import MeterBook
from drillbook.simulator.refusals import ActionRejected
from drillbook.simulator.replay import apply_change
from drillbook.simulator.state import ActionRecord, WorldState

_TOLERANCE = 1e-6
_new = object.__new__
_STORY = frozenset({Kind.DECISION, Kind.FACILITATOR})  # what ``apply_change`` applies


@dataclass(frozen=True)
class Effect:
    """What one containment decision did to the harm."""

    effective: bool
    note: str  # "harm stopped" / "harm continued: +1,230 tickets sold at $14 after it"


def harm_meters(scenario: Scenario) -> list[str]:
    """Base meters some containment method stops outright (a new list: the caller's own)."""
    memo = scenario.derived_memo
    known = memo.get(_HARM)
    if not isinstance(known, tuple):  # the scenario's alone: worked out once, not each score
        known = memo[_HARM] = tuple(_harm_meters(scenario))
    return list(known)


_HARM = "scoring.effects.harm_meters"


def _harm_meters(scenario: Scenario) -> list[str]:
    out = []
    for m in scenario.meters:
        if m.derived is not None:
            continue
        for rule in m.rates:
            parts = list(leaves(rule.when))
            stops = rule.rate == 0 and all(
                isinstance(leaf, Done) and leaf.done == "contain" for leaf in parts
            )
            if stops:
                out.append(m.id)
                break
    return out


# Fields of a journal line that say nothing about the story (when it was written, its chain).
# Its type is kept apart in the key (see ``_story_key``).
_UNKEYED = frozenset({"wall", "run_id", "chain", "hash", "type"})
# Replays already judged in this process: key (see ``containment_effects``) → (scenario, effects).
# The hot-wash and the facilitator's console score one journal again and again, and the
# replay is a whole run of the engine (a third of a score's time).
_JUDGED: dict[tuple[Any, ...], tuple[Scenario, dict[int, Effect]]] = {}
_JUDGED_SIZE = 32


def containment_effects(
    scenario: Scenario,
    events: list[dict[str, Any]],
    end: float,
    seed: int,
    *,
    own_history: bool = False,
    contains: list[dict[str, Any]] | None = None,
) -> dict[int, Effect]:
    """seq of each ``contain`` decision → whether the harm stopped after it, until ``end``.

    A pure function of the scenario, the seed, the end and the journal's story changes (the
    only lines a replay applies), so a replay of the same ones is judged once per process.

    ``own_history``: the events are a live session's own history in this process (what
    ``Session.history()`` returned, not lines read from a file), so every decision in them is
    one the engine accepted. Where the harm meters' rates follow decisions and time alone, the
    meters are then read from the decisions as the engine kept them (see :func:`_from_story`)
    rather than by replaying the run.

    ``contains``: the journal's ``contain`` decisions, in order, when the caller has them.
    """
    if contains is None:  # else the caller's own pass over the journal found them
        contains = [
            e for e in events if e.get("type") == Kind.DECISION and e.get("action") == "contain"
        ]
    if not contains:
        return {}
    harm = harm_meters(scenario)
    if not harm:
        return {int(e["seq"]): Effect(True, "the scenario's meters cannot tell") for e in contains}
    if own_history and decided_alone(scenario, harm):
        return _verdicts(scenario, harm, *_from_story(scenario, events, end, contains, harm))
    key = (id(scenario), seed, end, *_story_key(events))
    known = _JUDGED.get(key)
    if known is not None and known[0] is scenario:
        return dict(known[1])
    judged = _judge(scenario, events, end, seed, contains, harm)
    if len(_JUDGED) >= _JUDGED_SIZE:
        del _JUDGED[next(iter(_JUDGED))]
    _JUDGED[key] = (scenario, dict(judged))  # the entry keeps its scenario: ids stay unique
    return judged


# A live decision's fields in the engine's order: the common shape, keyed without a pass
# over its items (see ``_story_key``).
_LIVE_DECISION = ("seq", "type", "sim", "role", "action", "params")
_LIVE_KEPT = ("seq", "sim", "role", "action", "params")


def _story_key(events: list[dict[str, Any]]) -> tuple[tuple[Any, ...], bytes | str]:
    """What a replay reads of a journal, as a key: each story line's field names (and whether
    it is a decision: the story's other kind is the facilitator's) beside a faithful
    serialisation of their values (see :func:`_fingerprint`), so an equal key is an equal
    replay; equal lines written in another key order only miss. A line's type is kept as a
    flag: a live history's types are ``Kind`` members and the same line read from a file (a
    plain string) is the same replay. A line of a live decision's shape takes its values by
    name, the one pass over its items it would cost otherwise being most of the key's."""
    shapes: list[tuple[bool, tuple[str, ...]]] = []
    values: list[tuple[Any, ...]] = []
    decision = Kind.DECISION
    for e in events:
        kind = e.get("type")
        if kind not in _STORY:
            continue
        if tuple(e) == _LIVE_DECISION and kind == decision:
            shapes.append((True, _LIVE_KEPT))
            values.append((e["seq"], e["sim"], e["role"], e["action"], e["params"]))
            continue
        kept = [(k, v) for k, v in e.items() if k not in _UNKEYED]
        shapes.append((kind == decision, tuple(k for k, _ in kept)))
        values.append(tuple(v for _, v in kept))
    return tuple(shapes), _fingerprint(values)


def _fingerprint(values: list[tuple[Any, ...]]) -> bytes | str:
    """JSON-like values, serialised so that equal bytes are equal values of equal types
    (``1``, ``1.0``, ``True`` and ``-0.0`` apart): a pickle without its memo (``fast``), so
    it writes every value out whatever objects are shared, and equal data read back from a
    file gives the same bytes. Five times quicker than ``repr``, which formats every float;
    a value that cannot be pickled falls back to ``repr`` (a ``str`` key, never equal to a
    ``bytes`` one)."""
    out = io.BytesIO()
    writer = pickle.Pickler(out, protocol=5)
    writer.fast = True
    try:
        writer.dump(values)
    except (pickle.PicklingError, TypeError, ValueError, AttributeError, RecursionError):
        return repr(values)
    return out.getvalue()


def _judge(
    scenario: Scenario,
    events: list[dict[str, Any]],
    end: float,
    seed: int,
    contains: list[dict[str, Any]],
    harm: list[str],
) -> dict[int, Effect]:
    """The replay itself: the harm meters right after each containment and at ``end``."""
    engine = Engine(scenario, seed=seed)
    after: dict[int, dict[str, float]] = {}
    idle: set[int] = set()  # contained nothing: the harm had already stopped
    wanted = {int(e["seq"]) for e in contains}
    for e in events:
        mine = e.get("type") == Kind.DECISION and int(e["seq"]) in wanted
        if mine:
            engine.run_until(float(e["sim"]))
            if all(engine.meters.rate(m) <= 0 for m in harm):
                idle.add(int(e["seq"]))
        with suppress(ActionRejected, InputError, ValueError, KeyError):
            apply_change(engine, e)
        if mine:
            sim = float(e["sim"])
            after[int(e["seq"])] = {m: engine.meters.value(m, sim) for m in harm}
    engine.run_until(max(end, engine.now))
    final = {m: engine.meters.value(m, max(end, engine.now)) for m in harm}
    return _verdicts(scenario, harm, after, idle, final)


def _verdicts(
    scenario: Scenario,
    harm: list[str],
    after: dict[int, dict[str, float]],
    idle: set[int],
    final: dict[str, float],
) -> dict[int, Effect]:
    """Each containment's effect from the harm meters right after it and at the end."""
    out: dict[int, Effect] = {}
    for seq, then in after.items():
        if seq in idle:
            out[seq] = Effect(False, "ineffective: the harm had already stopped or run its course")
            continue
        grew = {m: final[m] - v for m, v in then.items() if final[m] - v > _TOLERANCE}
        if not grew:
            out[seq] = Effect(True, "harm stopped")
            continue
        words = ", ".join(_growth(scenario, m, d) for m, d in grew.items())
        out[seq] = Effect(False, f"ineffective: harm continued ({words} after it)")
    return out


def decided_alone(scenario: Scenario, harm: list[str]) -> bool:
    """Whether the harm meters' rates follow from decisions and time alone: every condition
    of their rate rules is made of ``done``, ``not_done`` and ``after`` (no delivery, finding,
    answer or meter threshold, which only a run of the engine can place in time)."""
    memo = scenario.derived_memo
    key = ("scoring.effects.decided_alone", tuple(harm))
    if key not in memo:
        rules = [r for m in scenario.meters if m.id in harm for r in m.rates]
        memo[key] = all(
            isinstance(leaf, Done | NotDone | After) for r in rules for leaf in leaves(r.when)
        )
    return memo[key]


def _from_story(
    scenario: Scenario,
    events: list[dict[str, Any]],
    end: float,
    contains: list[dict[str, Any]],
    harm: list[str],
) -> tuple[dict[int, dict[str, float]], set[int], dict[str, float]]:
    """What :func:`_judge` reads of its replay, read from an accepted history's decisions.

    The engine's own parts, in the engine's order: the same meter book and condition test,
    its rates re-evaluated at the triggers its index names (every rated meter at the start,
    a time point's meters when it comes, an action's meters after the action), time points
    due at or before a decision first. Only the harm meters are kept: with rates that follow
    decisions and time alone, nothing else bears on them. Bit for bit what the replay gives
    (a test compares them on every bundled run).
    """
    index = index_of(scenario)
    book = MeterBook(scenario.meters)
    state = WorldState()
    kept = set(harm)

    def reevaluate(meters: list[Any], now: float) -> None:
        for m in meters:
            if m.id in kept:
                rate = m.rate
                for rule in m.rates:
                    if holds(rule.when, state, book, now):
                        rate = rule.rate
                book.set_rate(m.id, now, rate)

    reevaluate(index.rated, 0.0)
    points = [
        (t, index.triggers[("time", t)][0])
        for t in index.time_points
        if ("time", t) in index.triggers
    ]
    due = 0  # the next time point not yet reached
    wanted = {int(e["seq"]) for e in contains}
    after: dict[int, dict[str, float]] = {}
    idle: set[int] = set()
    now = 0.0

    def run_until(t: float) -> None:
        nonlocal due
        while due < len(points) and points[due][0] <= t:
            reevaluate(points[due][1], points[due][0])
            due += 1

    for e in events:
        if e.get("type") != Kind.DECISION:
            continue  # a delivery or a facilitator's change moves no such rate
        seq, now = int(e["seq"]), max(now, float(e["sim"]))
        run_until(now)
        if seq in wanted and all(book.rate(m) <= 0 for m in harm):
            idle.add(seq)
        action = str(e["action"])
        # ``ActionRecord(seq, now, role, action, params)`` without the frozen ``__init__``'s
        # guarded setattrs, as the engine records its own (every field given)
        record = _new(ActionRecord)
        record.__dict__.update(
            seq=seq, sim=now, role=str(e["role"]), action=action, params=e.get("params") or {}
        )
        state.add_action(record)
        if (trigger := ("action", action)) in index.triggers:
            reevaluate(index.triggers[trigger][0], now)
        if seq in wanted:
            after[seq] = {m: book.value(m, now) for m in harm}
    run_until(max(end, now))
    final = {m: book.value(m, max(end, now)) for m in harm}
    return after, idle, final


def _growth(scenario: Scenario, meter_id: str, delta: float) -> str:
    meter = next(m for m in scenario.meters if m.id == meter_id)
    amount = f"{delta:,.0f}" if delta >= 10 else f"{delta:,.2f}"
    return f"+{amount} {meter.label.lower()}"
