"""Evaluate scenario conditions against the world state at a sim time. No eval, ever."""

from __future__ import annotations

from typing import Any

from scenarios.conditions import (
    After,
    All,
    AnyOf,
    Chosen,
    Delivered,
    Done,
    Investigated,
    MeterAbove,
    Not,
    NotDone,
)

from .meters import MeterBook
from .state import ActionRecord, WorldState

EPSILON = 1e-9


def _matches(record: ActionRecord, name: str, role: str | None, where: dict[str, Any]) -> bool:
    if record.action != name or (role is not None and record.role != role):
        return False
    for key, want in where.items():
        have = record.params.get(key)
        wants = want if isinstance(want, list) else [want]
        haves = have if isinstance(have, list) else [have]
        if not any(h in wants for h in haves):
            return False
    return True


def done_by(
    state: WorldState, name: str, role: str | None, where: dict[str, Any], by: float
) -> bool:
    return any(r.sim <= by + EPSILON and _matches(r, name, role, where) for r in state.actions)


def holds(cond: Any, state: WorldState, meters: MeterBook, now: float) -> bool:
    """Whether ``cond`` is true at sim time ``now``."""
    if isinstance(cond, Done):
        limit = now if cond.by is None else min(now, cond.by)
        return done_by(state, cond.done, cond.role, cond.where, limit)
    if isinstance(cond, NotDone):
        return now + EPSILON >= cond.by and not done_by(
            state, cond.not_done, cond.role, cond.where, cond.by
        )
    if isinstance(cond, MeterAbove):
        return meters.value(cond.meter, now) >= cond.above - EPSILON
    if isinstance(cond, Chosen):
        return (cond.chosen.inject, cond.chosen.option) in state.answers
    if isinstance(cond, Delivered):
        return cond.delivered in state.delivered
    if isinstance(cond, Investigated):
        return any(
            cond.role is None or role == cond.role
            for role in state.investigations.get(cond.investigated, [])
        )
    if isinstance(cond, After):
        return now + EPSILON >= cond.after
    if isinstance(cond, All):
        return all(holds(c, state, meters, now) for c in cond.all)
    if isinstance(cond, AnyOf):
        return any(holds(c, state, meters, now) for c in cond.any)
    if isinstance(cond, Not):
        return not holds(cond.not_, state, meters, now)
    raise TypeError(f"not a condition: {cond!r}")  # pragma: no cover
