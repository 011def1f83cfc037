"""Rules about *when*: deadlines, notification clocks, coverage within a window, cadence.

Each takes the rule and the run and returns an :class:`~scoring.outcome.Outcome`. Credit
follows the plan's timing curve, so doing a step later never earns more, and a step never
taken earns nothing.
"""

from __future__ import annotations

from typing import Any

from scenarios.offsets import fmt_duration, fmt_offset

from .context import Act, RunContext
from .outcome import (
    Outcome,
    not_applicable,
    result,
    timed_status,
    timing_words,
    unfinished,
    verdict,
)
from .plan import CadenceRule, CoverageRule, DeadlineRule


def _when(act: Act, time_param: str | None) -> float:
    """When a decision's step takes place: when taken, or (a booked review) when it is held."""
    if time_param is None:
        return act.sim
    value = act.params.get(time_param)
    return max(act.sim, float(value)) if isinstance(value, int | float) else act.sim


def deadline(rule: DeadlineRule, ctx: RunContext) -> Outcome:
    if rule.obligations:
        return obligation_clocks(rule, ctx)
    window = ctx.window(rule)
    if window is None:
        return not_applicable(rule, f"no window at {ctx.severity} severity")
    due = ctx.anchor(rule.anchor) + window
    acts = ctx.of_step(rule.step, rule.where)
    if not acts:
        return _not_taken(rule, ctx, due, window)
    best = min(acts, key=lambda a: (_when(a, rule.time_param), a.seq))
    done = _when(best, rule.time_param)
    credit = ctx.credit(done, due, window)
    status = timed_status(credit, done, due)
    words = timing_words(done, due)
    held = f" (held at {fmt_offset(done)})" if rule.time_param and done != best.sim else ""
    detail = f"done at {fmt_offset(best.sim)} by {best.role}{held}, {words} (due {fmt_offset(due)})"
    res = result(
        rule,
        status,
        credit,
        due=due,
        done=done,
        late_by=done - due,
        detail=detail,
        decisions=[best.seq],
    )
    return Outcome(res, [(best.seq, verdict(rule, status, credit, done - due, words))])


def _not_taken(rule: DeadlineRule, ctx: RunContext, due: float, window: int) -> Outcome:
    """No decision performs the step as the rule requires; say so, and name any decision that
    took the step without what the rule asks (an untested fix does not count as the fix)."""
    status, credit, late, detail = unfinished(ctx, due, window)
    near = ctx.of_step(rule.step) if rule.where else []
    verdicts = []
    if near:
        wanted = ", ".join(f"{k}: {v}" for k, v in rule.where.items())
        at = ", ".join(fmt_offset(a.sim) for a in near)
        detail += f"; taken at {at} without {wanted}, which does not count"
        note = f"does not count: needs {wanted}"
        verdicts = [(a.seq, verdict(rule, status, 0.0, None, note)) for a in near]
    res = result(
        rule, status, credit, due=due, late_by=late, detail=detail, decisions=[a.seq for a in near]
    )
    return Outcome(res, verdicts)


def obligation_clocks(rule: DeadlineRule, ctx: RunContext) -> Outcome:
    """One clock per obligation that applies and has one: a notice to its audience in time."""
    clocked = [o for o in ctx.obligations() if o.clock is not None]
    if not clocked:
        return not_applicable(rule, "no notification clock applies in this scenario")
    credits: list[float] = []
    verdicts: list[tuple[int, Any]] = []
    parts: list[str] = []
    dones: list[float] = []
    lates: list[float] = []
    dues: list[float] = []
    missing = False
    for ob in clocked:
        assert ob.clock is not None
        due = ctx.anchor(ob.trigger) + ob.clock
        dues.append(due)
        acts = ctx.of_step(rule.step, {"audience": ob.audience, **rule.where})
        if not acts:
            status, credit, _, _ = unfinished(ctx, due, ob.clock)
            if status == "not_applicable":
                continue
            missing = True
            credits.append(credit)
            parts.append(f"{ob.regime}: no notice to {ob.audience} (due {fmt_offset(due)})")
            continue
        a = acts[0]
        credit = ctx.credit(a.sim, due, ob.clock)
        credits.append(credit)
        dones.append(a.sim)
        lates.append(a.sim - due)
        words = timing_words(a.sim, due)
        parts.append(f"{ob.regime}: {ob.audience} told at {fmt_offset(a.sim)}, {words}")
        verdicts.append(
            (
                a.seq,
                verdict(
                    rule, timed_status(credit, a.sim, due), credit, a.sim - due, f"{ob.id}: {words}"
                ),
            )
        )
    if not credits:
        return not_applicable(rule, f"no clock has run out yet (first due {fmt_offset(min(dues))})")
    credit = sum(credits) / len(credits)
    status = "met" if credit >= 1 else ("missed" if missing else "late")
    res = result(
        rule,
        status,
        credit,
        due=min(dues),
        done=max(dones) if dones and not missing else None,
        late_by=max(lates) if lates else None,
        detail="; ".join(parts),
        decisions=[s for s, _ in verdicts],
    )
    return Outcome(res, verdicts)


def _assigned(ctx: RunContext, role: str) -> Act | None:
    """The first decision that put someone in a role: an assignment or an escalation to it."""
    found = [a for a in ctx.by_action.get("assign_role", []) if a.params.get("assign") == role]
    found += [a for a in ctx.by_action.get("escalate", []) if a.params.get("to") == role]
    return min(found, key=lambda a: a.seq, default=None)


def coverage(rule: CoverageRule, ctx: RunContext) -> Outcome:
    window = ctx.window(rule)
    if window is None:
        return not_applicable(rule, f"no window at {ctx.severity} severity")
    due = ctx.anchor(rule.anchor) + window
    items: list[tuple[str, Act | None]] = []
    if rule.roles:
        in_play = set(ctx.scenario.role_ids)
        items = [(r, _assigned(ctx, r)) for r in rule.roles if r in in_play]
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
    for name, act in items:
        if act is None:
            status, credit, _, _ = unfinished(ctx, due, window)
            if status != "not_applicable":
                credits.append(credit)
                missing.append(name)
            continue
        credit = ctx.credit(act.sim, due, window)
        credits.append(credit)
        per_act.setdefault(act.seq, []).append((name, credit))
        acts_by_seq[act.seq] = act
    if not credits:
        return not_applicable(rule, f"due by {fmt_offset(due)}; nothing covered yet")
    credit = sum(credits) / len(credits)
    times = [a.sim for a in acts_by_seq.values()]
    late_by = max(times) - due if times else None
    verdicts = []
    for seq, named in sorted(per_act.items()):
        act = acts_by_seq[seq]
        c = sum(x for _, x in named) / len(named)
        words = timing_words(act.sim, due)
        note = f"covers {', '.join(n for n, _ in named)}; {words}"
        verdicts.append((seq, verdict(rule, timed_status(c, act.sim, due), c, act.sim - due, note)))
    covered = len(items) - len(missing)
    if missing:
        status = "missed"
        detail = f"{covered} of {len(items)} covered; missing {', '.join(missing)} (due {fmt_offset(due)})"
    else:
        status = "met" if credit >= 1 else "late"
        detail = f"all {len(items)} covered by {fmt_offset(max(times))} (due {fmt_offset(due)})"
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


def cadence(rule: CadenceRule, ctx: RunContext) -> Outcome:
    """Updates at least every N while open: the minutes any gap ran past N count as late."""
    every = ctx.window(rule, rule.every)
    if every is None or every <= 0:
        return not_applicable(rule, f"no cadence at {ctx.severity} severity")
    start = ctx.anchor(rule.start)
    resolved = ctx.first("resolve") if rule.until == "resolution" else None
    if rule.until == "resolution":
        until = resolved.sim if resolved else ctx.end
    else:
        until = ctx.anchor(rule.until)
    if until <= start:
        return not_applicable(rule, f"nothing open from {fmt_offset(start)} to {fmt_offset(until)}")
    if start > ctx.end:
        return not_applicable(rule, f"starts at {fmt_offset(start)}; not reached yet")
    updates = [a for a in ctx.of_step(rule.step) if start <= a.sim <= until]
    overdue = 0.0
    longest = 0.0
    last = start
    verdicts = []
    for a in updates:
        gap = a.sim - last
        longest = max(longest, gap)
        over = max(0.0, gap - every)
        overdue += over
        c = ctx.credit(over, 0.0, every)
        note = (
            f"{fmt_duration(gap)} after the last update"
            if last != start
            else f"{fmt_duration(gap)} after {rule.start}"
        )
        verdicts.append((a.seq, verdict(rule, "met" if over == 0 else "late", c, over, note)))
        last = a.sim
    tail = until - last
    longest = max(longest, tail)
    overdue += max(0.0, tail - every)
    credit = ctx.credit(overdue, 0.0, every)
    status = "met" if overdue <= 1e-9 else ("late" if credit > 0 else "missed")
    span = f"from {fmt_offset(start)} to {fmt_offset(until)}"
    detail = (
        f"{len(updates)} update(s) {span}; longest gap {fmt_duration(longest)} "
        f"(at most {fmt_duration(every)})"
        + (f", {fmt_duration(overdue)} overdue in all" if overdue > 0 else "")
    )
    res = result(
        rule,
        status,
        credit,
        due=start + every,
        done=updates[-1].sim if updates else None,
        late_by=overdue,
        detail=detail,
        decisions=[a.seq for a in updates],
    )
    return Outcome(res, verdicts)
