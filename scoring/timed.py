"""Rules about *when*: deadlines, notification clocks, coverage within a window, cadence.

Each takes the rule and the run and returns an :class:`~scoring.outcome.Outcome`. Credit
follows the plan's timing curve, so doing a step later never earns more, and a step never
taken earns nothing.
"""

from __future__ import annotations

from typing import Any

from drillbook.scoring.cadence import cadence  # noqa: F401 - the scorer's table reads it here
from drillbook.scoring.context import Act, RunContext
from drillbook.scoring.obligations import obligation_clocks
from drillbook.scoring.outcome import (
    Outcome,
    not_applicable,
    offset,
    pending_outcome,
    result,
    timed_status,
    timing_words,
    unfinished,
    verdict,
)
from drillbook.scoring.plan import CoverageRule, DeadlineRule


def _when(act: Act, time_param: str | None) -> float:
    """When a decision's step takes place: when taken, or (a booked review) when it is held."""
    if time_param is None:
        return act.sim
    value = act.params.get(time_param)
    return max(act.sim, float(value)) if isinstance(value, int | float) else act.sim


def deadline(rule: DeadlineRule, ctx: RunContext) -> Outcome:
    """The first *correct* decision of the step, timed against its window; a wrong one
    (an ineffective containment, a fix that does not address the cause) does not stop the
    clock, and a step taken by a role the plan does not give it to earns reduced credit."""
    if rule.obligations:
        return obligation_clocks(rule, ctx)
    window = ctx.window(rule)
    if window is None:
        return not_applicable(rule, f"no window at {ctx.severity} severity")
    due = ctx.anchor(rule.anchor) + window
    taken = ctx.of_step(rule.step, rule.where)
    correct = ctx.correct
    acts = [a for a in taken if correct(a)[0]]
    if not acts:
        return _not_taken(rule, ctx, due, window, wrong=taken)
    tp = rule.time_param
    best = acts[0] if len(acts) == 1 else min(acts, key=lambda a: (_when(a, tp), a.seq))
    done = best.sim if tp is None else _when(best, tp)
    share, by_whom = ctx.role_credit(best)
    credit = ctx.credit(done, due, window) * share
    status = timed_status(credit, done, due)
    words = timing_words(done, due)
    held = f" (held at {offset(done)})" if tp and done != best.sim else ""
    detail = f"done at {offset(best.sim)} by {best.role}{held}, {words} (due {offset(due)})"
    note = words
    if by_whom:
        detail += f"; {by_whom}"
        note = f"{words}; {by_whom}"
    verdicts = [(best.seq, verdict(rule, status, credit, done - due, note))]
    if len(taken) > 1:  # any wrong ones before the one that counts (most steps: one decision)
        verdicts += _wrong_verdicts(rule, ctx, [a for a in taken if a.seq < best.seq])
    res = result(
        rule,
        status,
        credit,
        due=due,
        done=done,
        late_by=done - due,
        detail=detail,
        decisions=[s for s, _ in verdicts],
    )
    return Outcome(res, verdicts)


def _wrong_verdicts(rule: Any, ctx: RunContext, acts: list[Act]) -> list[tuple[int, Any]]:
    """Decisions of the step that did not count because they were wrong."""
    out = []
    for a in acts:
        ok, why = ctx.correct(a)
        if not ok:
            out.append((a.seq, verdict(rule, "violated", 0.0, None, why)))
    return out


def _not_taken(
    rule: DeadlineRule, ctx: RunContext, due: float, window: int, wrong: list[Act] | None = None
) -> Outcome:
    """No decision performs the step as the rule requires; say so, and name any decision that
    took the step without what the rule asks (an untested fix does not count as the fix), or
    that took it wrongly (a containment that did not stop the harm)."""
    status, credit, late, detail = unfinished(ctx, due, window)
    verdicts = _wrong_verdicts(rule, ctx, wrong or [])
    if verdicts:
        at = ", ".join(offset(a.sim) for a in wrong or [])
        whys = "; ".join(sorted({ctx.correct(a)[1] for a in wrong or []}))
        detail += f"; taken at {at}, which does not count ({whys})"
    near = [a for a in ctx.of_step(rule.step) if a not in (wrong or [])] if rule.where else []
    if near:
        wanted = ", ".join(f"{k}: {v}" for k, v in rule.where.items())
        at = ", ".join(offset(a.sim) for a in near)
        unbacked = sorted({u for a in near for u in a.unbacked})
        detail += f"; taken at {at} without {wanted}, which does not count"
        if unbacked:
            detail += f" ({'; '.join(unbacked)})"
        note = f"does not count: needs {wanted}"
        if unbacked:
            note += f" ({'; '.join(unbacked)})"
        verdicts += [(a.seq, verdict(rule, status, 0.0, None, note)) for a in near]
    res = result(
        rule,
        status,
        credit,
        due=due,
        late_by=late,
        detail=detail,
        decisions=[s for s, _ in verdicts],
    )
    return Outcome(res, verdicts)


def _assigned(ctx: RunContext, role: str) -> Act | None:
    """The first decision that put someone in a role: an assignment or an escalation to it.

    Every role's is found in one pass over the two actions, kept for this call (a coverage
    rule asks for each of the plan's roles, and a role in play may fill several)."""
    firsts: dict[str, Act] | None = ctx.memo.get(_ASSIGNED)
    if firsts is None:
        firsts = ctx.memo[_ASSIGNED] = {}
        for action, param in (("assign_role", "assign"), ("escalate", "to")):
            for a in ctx.by_action.get(action, ()):
                named = a.params.get(param)
                if not isinstance(named, str):  # names no role (``==`` a role id never holds)
                    continue
                known = firsts.get(named)
                if known is None or a.seq < known.seq:
                    firsts[named] = a
    return firsts.get(role)


_ASSIGNED = "timed:assigned"  # the memo's key for ``_assigned``'s table


def coverage(rule: CoverageRule, ctx: RunContext) -> Outcome:
    window = ctx.window(rule)
    if window is None:
        return not_applicable(rule, f"no window at {ctx.severity} severity")
    due = ctx.anchor(rule.anchor) + window
    items: list[tuple[str, Act | None]] = []
    if rule.roles:
        # each of the plan's roles, filled by the role in play that carries it (itself, or a
        # role of the scenario's own the scenario gives that duty)
        for r in rule.roles:
            seats = ctx.seats_for(r)
            if seats:
                found = [a for s in seats if (a := _assigned(ctx, s)) is not None]
                if len(found) > 1:
                    items.append((r, min(found, key=lambda a: a.seq)))
                else:  # one seat carries it (most tables): its assignment, or none
                    items.append((r, found[0] if found else None))
    elif rule.param is not None:
        acts = ctx.of_step(rule.step, rule.where)
        for value in rule.values:
            hit = next((a for a in acts if _has(a.params.get(rule.param), value)), None)
            items.append((value, hit))
    else:
        acts = [
            a
            for a in ctx.of_step(rule.step, rule.where)
            if rule.future_param is None or _after(a, rule.future_param)
        ]
        n = rule.count or 1
        items = [(f"#{i + 1}", acts[i] if i < len(acts) else None) for i in range(n)]
    if not items:
        return not_applicable(rule, "none of the roles it names is in play")
    credits: list[float] = []
    missing: list[str] = []
    per_act: dict[int, list[tuple[str, float]]] = {}
    acts_by_seq: dict[int, Act] = {}
    roles_said: dict[int, str] = {}
    for name, act in items:
        if act is None:
            status, credit, _, _ = unfinished(ctx, due, window)
            if status not in ("not_applicable", "pending"):
                credits.append(credit)
                missing.append(name)
            continue
        share, by_whom = ctx.role_credit(act)
        credit = ctx.credit(act.sim, due, window) * share
        if by_whom:
            roles_said[act.seq] = by_whom
        credits.append(credit)
        per_act.setdefault(act.seq, []).append((name, credit))
        acts_by_seq[act.seq] = act
    if not credits:
        return pending_outcome(rule, f"pending: due by {offset(due)}; nothing covered yet")
    credit = sum(credits) / len(credits)
    times = [a.sim for a in acts_by_seq.values()]
    late_by = max(times) - due if times else None
    verdicts = []
    for seq, named in sorted(per_act.items()) if len(per_act) > 1 else per_act.items():
        act = acts_by_seq[seq]
        words = timing_words(act.sim, due)
        if len(named) == 1:  # most decisions cover one item: its credit and name as they are
            ((what, c),) = named
            note = f"covers {what}; {words}"
        else:
            c = sum(x for _, x in named) / len(named)
            note = f"covers {', '.join(n for n, _ in named)}; {words}"
        if seq in roles_said:
            note += f"; {roles_said[seq]}"
        verdicts.append((seq, verdict(rule, timed_status(c, act.sim, due), c, act.sim - due, note)))
    covered = len(items) - len(missing)
    if missing:
        status = "missed"
        detail = (
            f"{covered} of {len(items)} covered; missing {', '.join(missing)} (due {offset(due)})"
        )
    else:
        status = "met" if credit >= 1 else "late"
        detail = f"all {len(items)} covered by {offset(max(times))} (due {offset(due)})"
    res = result(
        rule,
        status,
        credit,
        due=due,
        done=max(times) if times and not missing else None,
        late_by=late_by,
        detail=detail,
        decisions=list(per_act),
    )
    return Outcome(res, verdicts)


def _has(value: Any, wanted: str) -> bool:
    return wanted in value if isinstance(value, list) else value == wanted


def _after(act: Act, param: str) -> bool:
    value = act.params.get(param)
    return isinstance(value, int | float) and value > act.sim
