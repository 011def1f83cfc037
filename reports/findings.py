"""Strengths and areas for improvement: each rule result told as one sentence with its evidence.

HSEEP asks that every observation point at what was seen (the decision), why it matters
(the rule) and where the plan says so (the plan sentence). The scorer has already judged
each rule; this module only words the judgement and picks the three findings a manager
should read first.
"""

from __future__ import annotations

from collections.abc import Callable

from drillbook.formats.offsets import fmt_duration
from drillbook.reports.records import DecisionRef, Finding
from drillbook.scenarios.actions import ROLE_TITLES, describe
from drillbook.scoring.scorecard import STATUS_RANK, DecisionVerdict, RuleResult, Scorecard

PROBLEMS = ("violated", "missed", "late")


def sentence(rule: RuleResult) -> str:
    """The judgement of one rule in words: when it was due, when (or whether) it was done."""
    due = f"due {rule.due}" if rule.due else ""
    if rule.status == "met":
        if rule.done and rule.late_by is not None and rule.late_by < 0:
            return f"{rule.title}: done at {rule.done}, {fmt_duration(-rule.late_by)} inside the window."
        if rule.done:
            return f"{rule.title}: done at {rule.done}" + (f" ({due})." if due else ".")
        return f"{rule.title}: met."
    if rule.status == "late":
        by = f", {fmt_duration(rule.late_by)} late" if rule.late_by else ""
        closed = f" (window closed at {rule.due})" if rule.due else ""
        return f"{rule.title}: done at {rule.done or '—'}{by}{closed}."
    if rule.status == "missed":
        return f"{rule.title}: not done" + (f" ({due})." if due else ".")
    if rule.status == "violated":
        return f"{rule.title}: broken" + (f" at {rule.done}." if rule.done else ".")
    return f"{rule.title}: did not apply in this run."


def finding(
    rule: RuleResult, capability_title: str, decisions: dict[int, DecisionVerdict]
) -> Finding:
    """A rule result as a strength (met in full) or an area for improvement (anything less).

    The scorer's own sentence (``detail``) says what happened against what was expected;
    where it has none, the timing is worded here.
    """
    refs = [
        DecisionRef(
            seq=d.seq,
            at=d.at,
            role=d.role,
            role_title=ROLE_TITLES.get(d.role, d.role),
            decision=describe(d.action, d.params),
        )
        for d in (decisions.get(s) for s in rule.decisions)
        if d is not None
    ]
    strength = rule.status == "met" and rule.credit >= 1
    return Finding(
        kind="strength" if strength else "improvement",
        capability=rule.capability,
        capability_title=capability_title,
        rule=rule.id,
        rule_title=rule.title,
        status=rule.status,
        text=f"{rule.title}: {rule.detail.rstrip('.')}." if rule.detail else sentence(rule),
        detail=rule.detail,
        due=rule.due,
        done=rule.done,
        decisions=refs,
        plan_source=rule.source,
    )


def all_findings(card: Scorecard) -> list[Finding]:
    """Every applicable rule as a finding, in the scorecard's rule order."""
    by_seq = {d.seq: d for d in card.decisions}
    out = []
    for rule in card.rules:
        if rule.status == "not_applicable":
            continue
        cap = card.capabilities.get(rule.capability)
        out.append(finding(rule, cap.title if cap else rule.capability, by_seq))
    return out


def top_findings(
    card: Scorecard, findings: list[Finding], drives_impact: Callable[[str], bool], n: int = 3
) -> list[Finding]:
    """The ``n`` findings that matter most: the costliest problems first, then strengths.

    A problem's cost is the credit it lost times the rule's weight. Among equals, a step that
    changes the scenario's harm (``drives_impact``: containment stops the $14 sales) comes
    first, then a step on the plan's critical path, then the worse status, then the later.
    """
    rules = {r.id: r for r in card.rules}
    critical = set(card.critical_path)

    def cost(f: Finding) -> tuple[float, ...]:
        r = rules[f.rule]
        return (
            -round(r.weight * (1 - r.credit), 6),
            0 if drives_impact(f.rule) else 1,
            0 if f.rule in critical else 1,
            STATUS_RANK[f.status],
            -(r.late_by or 0),
        )

    def merit(f: Finding) -> tuple[float, ...]:
        r = rules[f.rule]
        return (0 if drives_impact(f.rule) else 1, 0 if f.rule in critical else 1, -r.weight)

    problems = sorted((f for f in findings if f.kind == "improvement"), key=cost)
    strengths = sorted((f for f in findings if f.kind == "strength"), key=merit)
    return (problems + strengths)[:n]
