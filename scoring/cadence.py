"""Cadence: updates at least every N while the incident is open, where N may change.

A plan can say "hourly for the first day, every four hours after containment": the rule's
``every`` holds from its ``start``, and each entry of ``cadence`` takes over from an anchor
(or a duration after the start). Anchors the team sets count at the team's time but never
later than the plan's (so containing late never relaxes the cadence sooner than containing
on time would), and the containment anchor is the first containment that stopped the harm.

The next update is due one interval of the cadence in force after the last; when a new
cadence begins before that, it governs instead (never earlier than it begins): stepping down
to four-hourly after containment does not leave the hourly update owed, stepping up to
hourly brings the next update forward.
"""

from __future__ import annotations

from drillbook.scoring.context import RunContext
from drillbook.scoring.outcome import (
    Outcome,
    not_applicable,
    offset,  # ``fmt_offset``, kept (see outcome)
    pending_outcome,
    result,
    verdict,
)
from drillbook.scoring.outcome import duration as fmt_duration
from drillbook.scoring.plan import CadenceRule

Phases = list[tuple[float, float]]  # (from, every), by time; the first from the rule's start


def phases(ctx: RunContext, rule: CadenceRule, *, planned: bool = False) -> Phases:
    """The cadences in force over this run (or the plan's timeline), from the rule's start.

    The plan's timeline's are the scenario's, plan's and client's alone: kept in the
    ``Prepared`` for the plan's own rules (callers read the list and never change it)."""
    if planned:
        prep = ctx.prep
        assert prep is not None
        key = ("cadence:planned_phases", id(rule))
        known: Phases | None = prep.memo.get(key)
        if known is None:
            known = _phases(ctx, rule, planned=True)
            if prep.owns_rule(rule):  # the plan's own: its id stays its own while kept
                prep.memo[key] = known
        return known
    return _phases(ctx, rule, planned=False)


def _phases(ctx: RunContext, rule: CadenceRule, *, planned: bool) -> Phases:
    anchor = ctx.planned_anchor if planned else ctx.anchor
    start = anchor(rule.start)
    out: list[tuple[float, int, float]] = []
    every = ctx.window(rule, rule.every)
    if every:
        out.append((start, -1, float(every)))
    for i, c in enumerate(rule.cadence):
        e = c.every_at(ctx.severity)
        if not e:
            continue
        at = anchor(c.from_) if isinstance(c.from_, str) else start + c.from_
        out.append((max(start, at), i, float(e)))
    out.sort()
    if not out or out[0][0] > start:
        return []  # no cadence at this severity from the start: the rule does not apply
    return [(t, e) for t, _, e in out]


def next_due(ph: Phases, last: float) -> tuple[float, float]:
    """When the update after one at ``last`` is due, and the interval that sets it."""
    if len(ph) == 1 and ph[0][0] <= last + 1e-9:  # one cadence throughout (most rules)
        every = ph[0][1]
        return last + every, every
    k = max(i for i, (t, _) in enumerate(ph) if t <= last + 1e-9)
    every = ph[k][1]
    due = last + every
    for t, e in ph[k + 1 :]:
        if t > due + 1e-9:
            break
        every, due = e, max(t, last + e)
    return due, every


def owed_on_plan(ctx: RunContext, rule: CadenceRule, closed: float | None = None) -> int:
    """Updates the plan's own open period owes, from the plan's start (a count the team's
    late start cannot shrink) to the plan's end or, given ``closed``, to when the run's open
    period closed if that was sooner (a run resolved in four hours owes four hours of
    updates, not the plan's week: a week's count would make four silent hours look small)."""
    ph = phases(ctx, rule, planned=True)
    start, until = ctx.planned_anchor(rule.start), ctx.planned_anchor(rule.until)
    if closed is not None:
        until = min(until, closed)
    if not ph:
        return 0
    if len(ph) == 1:
        return int(max(0.0, until - start) // ph[0][1])
    return len(planned_updates(ctx, rule, limit=100_000, until=until))


def planned_updates(
    ctx: RunContext, rule: CadenceRule, limit: int, until: float | None = None
) -> list[float]:
    """The update times of the plan's timeline: each one due after the one before."""
    ph = phases(ctx, rule, planned=True)
    if not ph:
        return []
    start = ctx.planned_anchor(rule.start)
    until = ctx.planned_anchor(rule.until) if until is None else until
    out: list[float] = []
    t = next_due(ph, start)[0]
    while t < until and len(out) < limit:
        out.append(t)
        t = next_due(ph, t)[0]
    return out


def _owed(over: float, every: float, grace: float, *, closed: bool) -> list[float]:
    """The lateness (0 on time … 1 missed) of each update a gap owed, given how far it ran
    past the cadence: one missed update per whole interval, and the one that closed the gap
    late by what remains (a gap never closed leaves that remainder late too)."""
    missed = int(over // every)
    rest = over - missed * every
    out = [1.0] * missed
    if closed or rest > 1e-9:
        out.append(min(1.0, rest / grace))
    return out


def _limit(rule: CadenceRule, ph: Phases) -> str:
    """``1 h`` — or ``1 h, then 4 h from +5:00`` when the cadence changes."""
    first = fmt_duration(ph[0][1])
    return first + "".join(f", then {fmt_duration(e)} from {offset(t)}" for t, e in ph[1:])


def cadence(rule: CadenceRule, ctx: RunContext) -> Outcome:
    """Updates at least every N while the incident is open.

    Every update owed is judged on its own: on time; late by a share of the grace the plan's
    timing curve allows; or, for each whole interval a gap ran past the cadence, missed.
    Credit is one minus the lateness of what was owed, shared over the updates the plan's own
    open period owes up to when this run's closed (a late start cannot shrink the count), so
    hourly updates each a minute late for a week stay close to full credit, and an open period
    with none earns (almost) nothing, however short it was. The grace
    is never shorter than the cadence, so a gap that runs on never costs less than it did. The
    open period ends at the resolution of record (a resolution before the fix is verified does
    not shrink it) or at the end of play.
    """
    ph = phases(ctx, rule)
    if not ph or any(e <= 0 for _, e in ph):
        return not_applicable(rule, f"no cadence at {ctx.severity} severity")
    start = ctx.anchor(rule.start)
    if rule.until == "resolution":
        resolved = ctx.resolution()
        until = resolved.sim if resolved else ctx.end
    else:
        until = ctx.anchor(rule.until)
    if until <= start:
        return not_applicable(rule, f"nothing open from {offset(start)} to {offset(until)}")
    if start > ctx.end:
        return pending_outcome(rule, f"starts at {offset(start)}; not reached yet")
    updates = [a for a in ctx.of_step(rule.step, rule.where) if start <= a.sim <= until]
    t = ctx.plan.timing
    lateness: list[float] = []
    overdue = 0.0
    longest = 0.0
    last = start
    verdicts = []
    shares: list[float] = []
    for a in updates:
        gap = a.sim - last
        longest = max(longest, gap)
        due, every = next_due(ph, last)
        grace = max(every * t.grace_factor, float(t.min_grace), float(every))
        over = max(0.0, a.sim - due)
        overdue += over
        lateness += _owed(over, every, grace, closed=True)
        share, by_whom = ctx.role_credit(a)
        shares.append(share)
        c = ctx.credit(over, 0.0, every) * share
        note = (
            f"{fmt_duration(gap)} after the last update"
            if last != start
            else f"{fmt_duration(gap)} after {rule.start}"
        ) + (f"; {by_whom}" if by_whom else "")
        verdicts.append((a.seq, verdict(rule, "met" if over == 0 else "late", c, over, note)))
        last = a.sim
    tail = until - last
    longest = max(longest, tail)
    due, every = next_due(ph, last)
    if until > due or not updates:
        # The open period after the last update: only what ran past the cadence is a gap that
        # counts (an update owed at the end of play that was not yet due is not late).
        grace = max(every * t.grace_factor, float(t.min_grace), float(every))
        over = max(0.0, until - due)
        overdue += over
        lateness += _owed(over, every, grace, closed=False)
    owed = max(1, owed_on_plan(ctx, rule, closed=until), len(lateness))
    on_time = max(0.0, 1.0 - sum(lateness) / owed)
    credit = on_time * (sum(shares) / len(shares) if shares else 1.0)
    status = "met" if overdue <= 1e-9 and credit >= 1 else ("late" if credit > 0 else "missed")
    span = f"from {offset(start)} to {offset(until)}"
    late_gaps = sum(1 for x in lateness if x > 0)
    detail = (
        f"{len(updates)} update(s) {span}; longest gap {fmt_duration(longest)} "
        f"(at most {_limit(rule, ph)})"
        + (f"; {late_gaps} of {len(lateness)} gap(s) ran late" if late_gaps else "")
    )
    res = result(
        rule,
        status,
        credit,
        due=next_due(ph, start)[0],
        done=updates[-1].sim if updates else None,
        late_by=overdue,
        detail=detail,
        decisions=[a.seq for a in updates],
    )
    return Outcome(res, verdicts)
