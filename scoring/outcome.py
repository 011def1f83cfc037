"""What evaluating one rule yields: its result, and what it says about each decision involved.

Shared by the rule kinds (:mod:`scoring.timed`, :mod:`scoring.judged`) so every kind words
its result the same way and a decision's verdicts read alike whatever rule produced them.

The rules build the card's own records (:class:`~scoring.scorecard.RuleResult`,
:class:`~scoring.scorecard.Verdict`) here, rounded and typed as the card promises: nothing
validates them after (see :mod:`scoring.scorecard`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from drillbook.formats.offsets import fmt_duration, fmt_offset
from drillbook.scoring.context import RunContext
from drillbook.scoring.scorecard import RuleResult, RuleStatus, Verdict

# The offsets a card shows repeat (decision times, anchors plus windows) across its rules and
# runs; ``fmt_offset`` of equal numbers is equal (``95`` and ``95.0`` alike), so it is kept.
offset = lru_cache(maxsize=4096)(fmt_offset)
# The same for lengths of time (gaps between updates, how late): ``fmt_duration`` reads its
# argument only through ``round``, so equal numbers (``-0.0`` and ``0.0`` too) read alike.
duration = lru_cache(maxsize=4096)(fmt_duration)


def fixed4(x: float) -> float:
    """``round(x, 4)``, the same number bit for bit, without its decimal work where ``x`` is
    a float with at most four binary fraction digits (a multiple of 1/16: whole and half
    minutes, full and no credit, most of a card's figures). Such a float's decimal
    expansion ends within four places, so rounding it there gives it back (``-0.0`` too);
    anything else (a third of a credit, an int, nan) goes to ``round``. Rounding was a
    twentieth of a score: ``round(x, n)`` on a float formats and parses it."""
    return x if type(x) is float and (x * 16.0).is_integer() else round(x, 4)


def clamped4(credit: float) -> float:
    """``round(min(1.0, max(0.0, credit)), 4)``: a credit within 0–1, rounded (nan is 0)."""
    if credit >= 1:
        return 1.0
    if credit > 0:
        return fixed4(credit)
    return 0.0


def minutes4(x: float | None) -> float | None:
    """A card's minutes figure: ``fixed4``, always a float (a whole-number offset can arrive
    as an int; the card's fields are floats, as pydantic's coercion made them). ``fixed4``'s
    test written out here: a card asks this ~160 times, and the call in between was a third
    of it."""
    if type(x) is float:
        return x if (x * 16.0).is_integer() else round(x, 4)
    return None if x is None else float(round(x, 4))


@dataclass(slots=True)
class Outcome:
    """What a rule found: its result, and the verdicts it gives decisions (by sequence)."""

    result: RuleResult
    verdicts: list[tuple[int, Verdict]] = field(default_factory=list)  # (seq, verdict)


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
    """A rule's result with the rule's own fields filled in and numbers rounded (determinism).
    Made by position: the card's records are built once each, here, and a keyword call of a
    sixteen-field dataclass costs three times a positional one."""
    if decisions:
        decisions = sorted(set(decisions)) if len(decisions) > 1 else list(decisions)
    return RuleResult(
        rule.id,
        rule.capability,
        rule.kind,
        rule.title,
        status,
        clamped4(credit),
        rule.weight,
        None if due is None else offset(due),
        None if done is None else offset(done),
        minutes4(due),
        minutes4(done),
        minutes4(late_by),
        detail,
        rule.source,
        decisions or [],
        False,
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
    return Verdict(rule.id, status, clamped4(credit), minutes4(late_by), note)


@lru_cache(maxsize=4096)
def timing_words(done: float, due: float) -> str:
    """ "19 min inside the window" / "24 min late" / "on the deadline".

    Kept (the same times recur across a card's rules and a simulation's runs): the words
    depend only on the gap's size and sign, so equal arguments (``5`` and ``5.0``, ``0.0``
    and ``-0.0``) give equal words."""
    gap = done - due
    if abs(gap) < 0.5:
        return "on the deadline"
    if gap < 0:
        return f"{duration(-gap)} inside the window"
    return f"{duration(gap)} late"


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
        return "pending", 0.0, None, f"pending: due by {offset(due)}, {when}"
    if ctx.final:
        return "missed", 0.0, None, f"not done; due by {offset(due)}"
    credit = ctx.credit(ctx.end, due, window)
    status: RuleStatus = "late" if credit > 0 else "missed"
    late = ctx.end - due
    return status, credit, late, f"not done yet, {duration(late)} past {offset(due)}"
