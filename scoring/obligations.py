"""Notification clocks of the scenario's obligations: the first notice, follow-up reports,
and the amended report owed when a notice went out before the root cause was known.

A clock starts where the obligation says: at an anchor of the team's response (awareness,
classification…) or from the story — when an inject arrives (a regulator's request), when
the root cause is diagnosed, or at a set point of the story. Each notice, follow-up and
amendment is judged on its own, and one decision serves one of them: the notice that met
the first clock is not also the ten-day follow-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drillbook.scenarios.model import Obligation
from drillbook.scoring.context import Act, RunContext
from drillbook.scoring.outcome import (
    Outcome,
    not_applicable,
    offset,  # ``fmt_offset``, kept (see outcome)
    pending_outcome,
    result,
    timed_status,
    timing_words,
    unfinished,
    verdict,
)
from drillbook.scoring.plan import DeadlineRule


def names(notice: Act, ob: Obligation) -> bool:
    """Whether a notice is addressed to an obligation's recipient: a notice to a regulator
    that names one serves only the obligation it names (by id, regime or recipient)."""
    named = notice.params.get("regulator")
    if ob.audience != "regulator" or not named:
        return True
    said = str(named).strip().casefold()
    return said in {v.casefold() for v in (ob.id, ob.regime, ob.recipient) if v}


@dataclass
class _Tally:
    """What the clocks of one rule have come to so far."""

    used: set[int]
    credits: list[float]
    verdicts: list[tuple[int, Any]]
    parts: list[str]
    dones: list[float]
    lates: list[float]
    dues: list[float]
    missing: bool = False
    clock_missed: bool = False
    pending: int = 0


def _judge(
    rule: DeadlineRule,
    ctx: RunContext,
    tally: _Tally,
    what: tuple[str, str, str],
    candidates: list[Act],
    due: float,
    window: float,
    clocked: bool,
    key: str,
) -> Act | None:
    """Time the first unused candidate against ``due``; record the result in ``tally``.

    ``what`` is (label, what a missing one is called, what a sent one did): the words of
    the scorecard's detail."""
    label, none, sent = what
    tally.dues.append(due)
    free = [a for a in candidates if a.seq not in tally.used]
    if not free:
        status, credit, _, _ = unfinished(ctx, due, window)
        if status in ("not_applicable", "pending"):
            tally.pending += 1
            tally.parts.append(f"{label}: due {offset(due)}, pending")
            return None
        tally.missing = True
        tally.clock_missed = tally.clock_missed or clocked
        tally.credits.append(credit)
        tally.parts.append(f"{label}: {none} (due {offset(due)})")
        return None
    a = free[0]
    tally.used.add(a.seq)
    share, by_whom = ctx.role_credit(a)
    credit = ctx.credit(a.sim, due, window) * share
    tally.clock_missed = tally.clock_missed or (clocked and a.sim > due + 1e-9)
    tally.credits.append(credit)
    tally.dones.append(a.sim)
    tally.lates.append(a.sim - due)
    words = timing_words(a.sim, due)
    tally.parts.append(f"{label}: {sent} at {offset(a.sim)}, {words}")
    note = f"{key}: {words}" + (f"; {by_whom}" if by_whom else "")
    status = timed_status(credit, a.sim, due)
    tally.verdicts.append((a.seq, verdict(rule, status, credit, a.sim - due, note)))
    return a


def _one_obligation(rule: DeadlineRule, ctx: RunContext, tally: _Tally, ob: Obligation) -> None:
    start = ctx.clock_start(ob)
    to = ob.recipient or ob.audience.replace("_", " ")
    if start is None:
        tally.parts.append(f"{ob.regime}: its clock has not started in this run")
        return
    clocked = ob.clock is not None
    window = ob.clock if ob.clock is not None else ctx.window(rule, rule.undue_delay)
    if window is None:
        return
    notices = [
        a for a in ctx.of_step(rule.step, {"audience": ob.audience, **rule.where}) if names(a, ob)
    ]
    first = _judge(
        rule,
        ctx,
        tally,
        (ob.regime, f"no notice to {to}", f"{to} told"),
        notices,
        start + window,
        window,
        clocked,
        ob.id,
    )
    last = first
    for fu in ob.follow_ups:
        base = start if fu.from_ == "trigger" else (last.sim if last else start + window)
        later = [a for a in notices if last is None or a.seq > last.seq]
        got = _judge(
            rule,
            ctx,
            tally,
            (f"{ob.regime} follow-up {fu.id}", "none", "sent"),
            later,
            base + fu.clock,
            float(fu.clock),
            True,
            f"{ob.id}/{fu.id}",
        )
        last = got or last
    if ob.amend is not None and first is not None:
        diagnosed = ctx.diagnosis()
        if diagnosed is not None and first.sim >= diagnosed.sim:
            return  # the notice went out knowing the cause: nothing to amend
        since = ctx.clock_start_diagnosed()
        amends = [
            a
            for a in ctx.by_action.get("amend", [])
            if a.params.get("of") == "notify"
            and a.seq > first.seq
            and names(a, ob)
            and (diagnosed is not None and a.seq > diagnosed.seq)
        ]
        _judge(
            rule,
            ctx,
            tally,
            (f"{ob.regime} amended notice", "none though the first preceded the diagnosis", "sent"),
            amends,
            since + ob.amend.clock,
            float(ob.amend.clock),
            True,
            f"{ob.id}/amended",
        )


def obligation_clocks(rule: DeadlineRule, ctx: RunContext) -> Outcome:
    """Each obligation that applies, on its own: a notice of its own to its audience (and,
    for a regulator, to its recipient), within its clock — or, where the obligation has no
    clock, within the plan's "without undue delay" — then its follow-ups and any amendment.
    One notice serves one obligation: a notice to the Irish DPC does not also meet the ICO's
    clock."""
    order = []
    for ob in ctx.obligations():
        start = ctx.clock_start(ob)
        window = ob.clock if ob.clock is not None else ctx.window(rule, rule.undue_delay)
        if window is None:
            continue
        order.append((float("inf") if start is None else start + window, ob.id, ob))
    if not order:
        return not_applicable(rule, "no notification duty applies in this scenario")
    order.sort(key=lambda x: (x[0], x[1]))
    tally = _Tally(set(), [], [], [], [], [], [])
    for _, _, ob in order:
        _one_obligation(rule, ctx, tally, ob)
    if not tally.credits:
        if not tally.dues:
            return not_applicable(rule, "; ".join(tally.parts))
        first = min(tally.dues)
        return pending_outcome(rule, f"no clock has run out yet (first due {offset(first)})")
    credit = sum(tally.credits) / len(tally.credits)
    late = any(x > 1e-9 for x in tally.lates)
    status = "missed" if tally.missing else ("late" if late else "met")
    # The headline's due and done are one clock's, the one the team came closest to missing
    # (or overran most): the earliest due beside the latest notice would read as late a run
    # that met every clock. A missed notice has no time: the first clock's due stands.
    due, done = min(tally.dues), None
    if tally.dones and not tally.missing:
        worst = max(range(len(tally.lates)), key=lambda i: (tally.lates[i], -i))
        done = tally.dones[worst]
        due = done - tally.lates[worst]
    res = result(
        rule,
        status,
        credit,
        due=due,
        done=done,
        late_by=max(tally.lates) if tally.lates else None,
        detail="; ".join(tally.parts),
        decisions=[s for s, _ in tally.verdicts],
    )
    res.missed_clock = tally.clock_missed
    return Outcome(res, tally.verdicts)
