"""Evaluate scenario conditions against the world state at a sim time. No eval, ever."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drillbook.scenarios.conditions import (
    After,
    All,
    AnyOf,
    Chosen,
    Delivered,
    Done,
    Investigated,
    MeterAbove,
    Named,
    Not,
    NotDone,
    params_match,
)
from drillbook.simulator.events import EPSILON
from drillbook.simulator.meters import MeterBook
from drillbook.simulator.state import ActionRecord, WorldState


def _matches(record: ActionRecord, name: str, role: str | None, where: dict[str, Any]) -> bool:
    if record.action != name or (role is not None and record.role != role):
        return False
    return params_match(record.params, where)


def done_by(
    state: WorldState, name: str, role: str | None, where: dict[str, Any], by: float
) -> bool:
    if name == "contain" and state.by_action.get("lift_containment"):
        return any(
            r.sim <= by + EPSILON and _matches(r, name, role, where) and not _lifted(state, r, by)
            for r in state.by_action.get(name, ())
        )
    return any(
        r.sim <= by + EPSILON and _matches(r, name, role, where)
        for r in state.by_action.get(name, ())
    )


def _lifted(state: WorldState, contain: ActionRecord, by: float) -> bool:
    """Whether a containment was lifted (by ``by``) after it was put in place: a lift that
    names no method lifts every containment in force, one that names a method lifts that one."""
    return any(
        lift.seq > contain.seq
        and lift.sim <= by + EPSILON
        and lift.params.get("method") in (None, contain.params.get("method"))
        for lift in state.by_action.get("lift_containment", ())
    )


def contained(state: WorldState, now: float) -> bool:
    """Whether some containment is in force at ``now``."""
    return done_by(state, "contain", None, {}, now)


# Containment can be lifted: "contained" is a state, not a fact that only accumulates.
REVERSIBLE = frozenset({"contain"})


def _undone(state: WorldState, action: str) -> bool:
    """Whether this run has already undone such an action (lifted a containment). Until it
    has, the MSEL reads a containment as settled, as things stand: a branch closed by it
    shows closed, and reopens if the team lifts it."""
    return action in REVERSIBLE and bool(state.by_action.get("lift_containment"))


def holds(cond: Any, state: WorldState, meters: MeterBook, now: float) -> bool:
    """Whether ``cond`` is true at sim time ``now``."""
    test = _TESTS.get(type(cond))
    if test is None:
        raise TypeError(f"not a condition: {cond!r}")  # pragma: no cover
    return test(cond, state, meters, now)


def _done(cond: Done, state: WorldState, meters: MeterBook, now: float) -> bool:
    limit = now if cond.by is None else min(now, cond.by)
    return done_by(state, cond.done, cond.role, cond.where, limit)


def _not_done(cond: NotDone, state: WorldState, meters: MeterBook, now: float) -> bool:
    return now + EPSILON >= cond.by and not done_by(
        state, cond.not_done, cond.role, cond.where, cond.by
    )


def _investigated(cond: Investigated, state: WorldState, meters: MeterBook, now: float) -> bool:
    return any(
        cond.role is None or role == cond.role
        for role in state.investigations.get(cond.investigated, [])
    )


# One test per kind of condition, looked up by type: conditions are evaluated at every
# event, and a chain of isinstance checks was a measurable share of a headless run.
_TESTS: dict[type, Callable[[Any, WorldState, MeterBook, float], bool]] = {
    Done: _done,
    NotDone: _not_done,
    MeterAbove: lambda c, s, m, now: m.value(c.meter, now) >= c.above - EPSILON,
    Chosen: lambda c, s, m, now: (c.chosen.inject, c.chosen.option) in s.answers,
    Delivered: lambda c, s, m, now: c.delivered in s.delivered,
    Investigated: _investigated,
    After: lambda c, s, m, now: now + EPSILON >= c.after,
    All: lambda c, s, m, now: all(holds(x, s, m, now) for x in c.all),
    AnyOf: lambda c, s, m, now: any(holds(x, s, m, now) for x in c.any),
    Not: lambda c, s, m, now: not holds(c.not_, s, m, now),
    Named: lambda c, s, m, now: holds(c.target, s, m, now),
}


Test = Callable[[WorldState, MeterBook, float], bool]


def compiled(cond: Any) -> Test:
    """``holds`` for one condition, as a closure over its fields: what ``holds`` decides, by
    the same comparisons, without looking up the test and reading the model's fields at
    every evaluation. Built once per scenario (``simulator.index``).

    Decisions are recorded in time order, so "done by ``limit``" without a role or ``where``
    is a look at the first such decision."""
    kind = type(cond)
    if kind is Done or kind is NotDone:
        name = cond.done if kind is Done else cond.not_done
        role, where, by = cond.role, dict(cond.where), cond.by
        plain = role is None and not where
        matches = _matcher(where)

        def done(s: WorldState, limit: float) -> bool:
            records = s.by_action.get(name)
            if not records:
                return False
            if name == "contain" and s.by_action.get("lift_containment"):
                return done_by(s, name, role, where, limit)
            if plain:
                return records[0].sim <= limit + EPSILON
            for r in records:
                if not r.sim <= limit + EPSILON:
                    return False  # and so are all later ones
                if (role is None or r.role == role) and matches(r.params):
                    return True
            return False

        if kind is NotDone:
            return lambda s, m, now: now + EPSILON >= by and not done(s, by)
        if plain and name != "contain" and by is None:  # "done" at all, by anyone (most)

            def done_now(s: WorldState, m: MeterBook, now: float) -> bool:
                records = s.by_action.get(name)  # ``done(s, now)`` in one call
                return bool(records) and records[0].sim <= now + EPSILON

            return done_now
        if by is None:
            return lambda s, m, now: done(s, now)
        return lambda s, m, now: done(s, min(now, by))
    if kind is Chosen:
        choice = (cond.chosen.inject, cond.chosen.option)
        return lambda s, m, now: choice in s.answers
    if kind is Delivered:
        inject = cond.delivered
        return lambda s, m, now: inject in s.delivered
    if kind is After:
        after = cond.after
        return lambda s, m, now: now + EPSILON >= after
    if kind is MeterAbove:
        meter, above = cond.meter, cond.above
        return lambda s, m, now: m.value(meter, now) >= above - EPSILON
    if kind is All:
        parts = [compiled(c) for c in cond.all]

        def all_hold(s: WorldState, m: MeterBook, now: float) -> bool:
            for p in parts:  # noqa: SIM110 — ``all(...)`` over a generator, without its frames
                if not p(s, m, now):
                    return False
            return True

        return all_hold
    if kind is AnyOf:
        parts = [compiled(c) for c in cond.any]

        def any_holds(s: WorldState, m: MeterBook, now: float) -> bool:
            for p in parts:  # noqa: SIM110 — as above
                if p(s, m, now):
                    return True
            return False

        return any_holds
    if kind is Not:
        inner = compiled(cond.not_)
        return lambda s, m, now: not inner(s, m, now)
    return lambda s, m, now: holds(cond, s, m, now)  # investigated, a named condition


def _matcher(where: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """``params_match`` against one ``where``, its wanted values listed once."""
    wanted = [(key, want if isinstance(want, list) else [want]) for key, want in where.items()]

    def matches(params: dict[str, Any]) -> bool:
        for key, wants in wanted:
            have = params.get(key)
            if isinstance(have, list):
                if not any(h in wants for h in have):
                    return False
            elif have not in wants:
                return False
        return True

    return matches


def trigger_of(leaf: Any) -> tuple[str, str] | None:
    """The kind of event that can change the truth of a leaf condition (None: time, meters)."""
    if isinstance(leaf, Done):
        return ("action", leaf.done)
    if isinstance(leaf, NotDone):
        return ("action", leaf.not_done)
    if isinstance(leaf, Chosen):
        return ("action", "answer")
    if isinstance(leaf, Delivered):
        return ("delivered", leaf.delivered)
    if isinstance(leaf, Investigated):
        return ("investigated", leaf.investigated)
    return None


# ── outlook: can a waiting condition still become true? ────────────────────────────────
# Facts only accumulate (a decision, a delivery, an answer cannot be undone; time only
# moves on), so each leaf is either settled for good or still open; the exceptions are a
# containment once the run has lifted one, and a meter that can fall, which stay open. That
# makes a sound three-valued reading possible: "always" (true now and forever), "never"
# (can no longer become true), "maybe". The facilitator's MSEL uses it to show branches the
# team has already closed.
Outlook = str  # "always" | "never" | "maybe"


def outlook(cond: Any, state: WorldState, meters: MeterBook, now: float) -> Outlook:
    """Whether ``cond`` holds for good, can never hold again, or is still open at ``now``."""
    if isinstance(cond, Done):
        settled = cond.by is not None and now > cond.by + EPSILON
        if done_by(state, cond.done, cond.role, cond.where, now if cond.by is None else cond.by):
            return "always" if settled or not _undone(state, cond.done) else "maybe"
        return "never" if settled else "maybe"
    if isinstance(cond, NotDone):
        if done_by(state, cond.not_done, cond.role, cond.where, min(now, cond.by)):
            open_ = _undone(state, cond.not_done) and now < cond.by - EPSILON
            return "maybe" if open_ else "never"
        return "always" if now + EPSILON >= cond.by else "maybe"
    if isinstance(cond, MeterAbove) and meters.can_fall(cond.meter):
        return "maybe"  # true now, but the meter may drop below the threshold again
    if isinstance(cond, All):
        parts = [outlook(c, state, meters, now) for c in cond.all]
        return "never" if "never" in parts else "always" if set(parts) == {"always"} else "maybe"
    if isinstance(cond, AnyOf):
        parts = [outlook(c, state, meters, now) for c in cond.any]
        return "always" if "always" in parts else "never" if set(parts) == {"never"} else "maybe"
    if isinstance(cond, Not):
        inner = outlook(cond.not_, state, meters, now)
        return {"always": "never", "never": "always"}.get(inner, "maybe")
    if isinstance(cond, Named):
        return outlook(cond.target, state, meters, now)
    # every other leaf (after, meter, chosen, delivered, investigated) only ever turns true
    return "always" if holds(cond, state, meters, now) else "maybe"
