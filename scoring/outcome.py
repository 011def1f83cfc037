"""What evaluating one rule yields: its result, and what it says about each decision involved.

Shared by the rule kinds (:mod:`scoring.timed`, :mod:`scoring.judged`) so every kind words
its result the same way and a decision's verdicts read alike whatever rule produced them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drillbook.formats.offsets import fmt_duration, fmt_offset
from drillbook.scoring.context import RunContext
from drillbook.scoring.scorecard import RuleResult, RuleStatus, Verdict


@dataclass
class Outcome:
    result: RuleResult
    verdicts: list[tuple[int, Verdict]] = field(default_factory=list)  # (seq, verdict)


def _r(x: float | None, nd: int = 4) -> float | None:
    return None if x is None else round(x, nd)


def result(
    rule: Any,
    status: RuleStatus,
    credit: float,
    *,
    due: float | None = None,
    done: float | None = None,
    late_by: float | None = None,
    detail: str = "",
    decisions: list[int] | None = None,
) -> RuleResult:
    """A RuleResult with the rule's own fields filled in and numbers rounded (determinism)."""
    return RuleResult(
        id=rule.id,
        capability=rule.capability,
        kind=rule.kind,
        title=rule.title,
        status=status,
        credit=round(min(1.0, max(0.0, credit)), 4),
        weight=rule.weight,
        due=fmt_offset(due) if due is not None else None,
        done=fmt_offset(done) if done is not None else None,
        due_min=_r(due),
        done_min=_r(done),
        late_by=_r(late_by),
        detail=detail,
        source=rule.source,
        decisions=sorted(set(decisions or [])),
    )


def not_applicable(rule: Any, why: str) -> Outcome:
    return Outcome(result(rule, "not_applicable", 0.0, detail=why))


def pending_outcome(rule: Any, why: str) -> Outcome:
    """A rule whose deadline falls after the end of play (or after now, in play): open work,
    not a failure, and left out of readiness."""
    return Outcome(result(rule, "pending", 0.0, detail=why))


def verdict(
    rule: Any, status: RuleStatus, credit: float, late_by: float | None, note: str
) -> Verdict:
    return Verdict(
        rule=rule.id,
        status=status,
        credit=round(min(1.0, max(0.0, credit)), 4),
        late_by=_r(late_by),
        note=note,
    )


def timing_words(done: float, due: float) -> str:
    """ "19 min inside the window" / "24 min late" / "on the deadline"."""
    gap = done - due
    if abs(gap) < 0.5:
        return "on the deadline"
    if gap < 0:
        return f"{fmt_duration(-gap)} inside the window"
    return f"{fmt_duration(gap)} late"


def timed_status(credit: float, done: float, due: float) -> RuleStatus:
    return "met" if done <= due + 1e-9 else "late"


def unfinished(
    ctx: RunContext, due: float, window: float
) -> tuple[RuleStatus, float, float | None, str]:
    """A step not taken: pending while its deadline lies after the end of play (or after now,
    in a run still in progress); missed once the run has ended past it; overdue, with the
    credit it could still earn, in a run still in progress."""
    if ctx.end < due:
        when = "after the end of play" if ctx.final else "later"
        return "pending", 0.0, None, f"pending: due by {fmt_offset(due)}, {when}"
    if ctx.final:
        return "missed", 0.0, None, f"not done; due by {fmt_offset(due)}"
    credit = ctx.credit(ctx.end, due, window)
    status: RuleStatus = "late" if credit > 0 else "missed"
    late = ctx.end - due
    return status, credit, late, f"not done yet, {fmt_duration(late)} past {fmt_offset(due)}"
