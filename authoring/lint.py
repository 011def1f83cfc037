"""Scenario quality beyond schema validity: what would make an exercise go wrong in the room.

A valid scenario can still have an inject nobody will ever see, a branch whose condition
can never be true, an option that changes nothing, or a meter the team cannot stop. These
checks reason over the scenario's graph (``scenarios.graph``) and its conditions; each
finding names the place (``file:line:col``) and is an error or a warning. Checks that need
the response plan receive what they need as plain data, so this module stays free of the
scorer.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from drillbook.authoring.branches import referenced as _referenced
from drillbook.authoring.figures import check_stated_figures
from drillbook.formats.findings import Finding
from drillbook.formats.offsets import fmt_offset
from drillbook.scenarios.conditions import (
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
from drillbook.scenarios.model import Scenario
from drillbook.scenarios.references import scenario_conditions

# ── satisfiability ──────────────────────────────────────────────────────────────────────


def why_never(cond: Any, s: Scenario, live: set[str]) -> str | None:
    """Why ``cond`` can never hold during play (None if it can), given the live injects."""
    end = s.ends
    if isinstance(cond, After):
        return (
            None
            if cond.after <= end
            else f"'after {fmt_offset(cond.after)}' is past the end of play ({fmt_offset(end)})"
        )
    if isinstance(cond, NotDone):
        return (
            None
            if cond.by <= end
            else f"'by {fmt_offset(cond.by)}' is past the end of play ({fmt_offset(end)})"
        )
    if isinstance(cond, Done):
        return None
    if isinstance(cond, Delivered):
        return None if cond.delivered in live else f"inject '{cond.delivered}' is never delivered"
    if isinstance(cond, Chosen):
        return (
            None
            if cond.chosen.inject in live
            else f"inject '{cond.chosen.inject}' is never delivered, so its options cannot be chosen"
        )
    if isinstance(cond, Investigated):
        src = s.source(cond.investigated)
        if src is None or (cond.role is not None and cond.role not in src.access):
            return f"{cond.role or 'no role'} can reach source '{cond.investigated}'"
        return None
    if isinstance(cond, MeterAbove):
        return _meter_never(s, cond.meter, cond.above)
    if isinstance(cond, All):
        for c in cond.all:
            reason = why_never(c, s, live)
            if reason:
                return reason
        return _contradiction(cond.all)
    if isinstance(cond, AnyOf):
        reasons = [why_never(c, s, live) for c in cond.any]
        return None if any(r is None for r in reasons) else "; ".join(r for r in reasons if r)
    if isinstance(cond, Not):
        inner = cond.not_
        if isinstance(inner, After) and inner.after == 0:
            return "'not after +0:00' is false from the start"
        return None
    return None


def _meter_never(s: Scenario, meter_id: str, threshold: float) -> str | None:
    m = s.meter(meter_id)
    if m is None:
        return f"meter '{meter_id}' does not exist"
    factor = 1.0
    if m.derived:
        factor = m.derived.factor
        m = s.meter(m.derived.of)
        if m is None or factor <= 0:
            return f"meter '{meter_id}' can never grow"
    limit = m.cap * factor if m.cap is not None else None
    grows = m.rate > 0 or any(r.rate > 0 for r in m.rates)
    if m.initial * factor >= threshold:
        return None
    if not grows:
        return f"meter '{meter_id}' starts at {m.initial * factor:g} and never grows"
    if limit is not None and limit < threshold:
        return f"meter '{meter_id}' is capped at {limit:g}, below {threshold:g}"
    return None


def _contradiction(conds: list[Any]) -> str | None:
    """Within one 'all': done X by t1 and not_done X by t2 (t1 ≤ t2, same filters) never both hold."""
    for a in conds:
        for b in conds:
            if (
                isinstance(a, Done)
                and isinstance(b, NotDone)
                and a.done == b.not_done
                and a.role == b.role
                and a.where == b.where
                and (a.by is None or a.by <= b.by)
            ):
                return f"'{a.done}' cannot be both done and not done by {fmt_offset(b.by)}"
    return None


def live_injects(s: Scenario) -> tuple[set[str], dict[str, str]]:
    """Injects that can be delivered during play, and why each of the others cannot."""
    live = {i.id for i in s.injects if i.at is not None and i.at <= s.ends}
    changed = True
    while changed:  # fixpoint: a delivered inject can make another's condition possible
        changed = False
        for inj in s.injects:
            if inj.id in live or inj.when is None:
                continue
            if why_never(inj.when, s, live) is None:
                live.add(inj.id)
                changed = True
    dead = {}
    for inj in s.injects:
        if inj.id in live:
            continue
        if inj.at is not None:
            dead[inj.id] = (
                f"it is due at {fmt_offset(inj.at)}, after the end of play ({fmt_offset(s.ends)})"
            )
        else:
            dead[inj.id] = why_never(inj.when, s, live) or "its condition cannot hold"
    return live, dead


# ── checks ──────────────────────────────────────────────────────────────────────────────


def check_unreachable(s: Scenario, **_: Any) -> list[Finding]:
    _, dead = live_injects(s)
    index = {inj.id: i for i, inj in enumerate(s.injects)}
    return [
        Finding(
            "unreachable-inject",
            "error",
            ("injects", index[i], "id"),
            f"inject '{i}' can never be delivered: {why}",
        )
        for i, why in dead.items()
    ]


def check_conditions(s: Scenario, **_: Any) -> list[Finding]:
    """Leaf and 'all' conditions that can never be true, wherever they are (rate rules too)."""
    live, _ = live_injects(s)
    out = []
    for cond, path in scenario_conditions(s):
        if isinstance(cond, AnyOf | Not):
            continue
        reason = why_never(cond, s, live)
        if reason and (not isinstance(cond, All) or _contradiction(cond.all)):
            out.append(
                Finding("never-true", "error", path, f"this condition can never be true: {reason}")
            )
    return out


def check_dead_options(s: Scenario, **_: Any) -> list[Finding]:
    chosen, _ = _referenced(s)
    out = []
    for i, inj in enumerate(s.injects):
        if not inj.question:
            continue
        if not any((inj.id, o.id) in chosen for o in inj.question.options):
            out.append(
                Finding(
                    "dead-question",
                    "warning",
                    ("injects", i, "question"),
                    f"no branch depends on the answer to '{inj.id}': every option leads nowhere",
                )
            )
            continue
        for j, opt in enumerate(inj.question.options):
            if (inj.id, opt.id) not in chosen:
                out.append(
                    Finding(
                        "dead-option",
                        "warning",
                        ("injects", i, "question", "options", j, "id"),
                        f"option '{opt.id}' of '{inj.id}' leads nowhere: no condition depends on it",
                    )
                )
    return out


def check_idle_injects(s: Scenario, **_: Any) -> list[Finding]:
    _, delivered = _referenced(s)
    return [
        Finding(
            "idle-inject",
            "warning",
            ("injects", i, "id"),
            f"inject '{inj.id}' expects nothing and changes nothing (no expects, no question, no branch on its delivery)",
        )
        for i, inj in enumerate(s.injects)
        if not inj.expects and not inj.question and inj.id not in delivered
    ]


def _stoppable(rule_when: Any) -> bool:
    """A rate rule the team can bring about: it turns on a decision, and an answer to a
    question (``chosen:``) is a decision as much as a ``done:`` is."""
    from drillbook.scenarios.conditions import leaves

    return any(isinstance(leaf, Done | Chosen) for leaf in leaves(rule_when))


def check_unstoppable_meters(s: Scenario, **_: Any) -> list[Finding]:
    out = []
    for i, m in enumerate(s.meters):
        if m.derived or not (m.rate > 0 or any(r.rate > 0 for r in m.rates)):
            continue
        top = max([m.rate, *(r.rate for r in m.rates)])
        if not any(_stoppable(r.when) and r.rate < top for r in m.rates):
            out.append(
                Finding(
                    "unstoppable-meter",
                    "warning",
                    ("meters", i, "id"),
                    f"no action can stop or slow meter '{m.id}': add a rate rule on a decision (e.g. {{done: contain}})",
                )
            )
    return out


def check_silent_roles(s: Scenario, **_: Any) -> list[Finding]:
    addressed = {r for inj in s.injects for r in inj.to}
    return [
        Finding(
            "silent-role",
            "warning",
            ("roles", i, "id"),
            f"role '{r.id}' receives no inject; they will sit idle unless they investigate",
        )
        for i, r in enumerate(s.roles)
        if r.id not in addressed
    ]


def check_plan_rules(
    s: Scenario, *, plan_rules: Mapping[str, set[str]] | None = None, **_: Any
) -> list[Finding]:
    """Rules of the response plan that no inject gives the team a chance to exercise."""
    if not plan_rules:
        return []
    prompted = {a for inj in s.injects for a in inj.expects}
    return [
        Finding(
            "unexercised-rule",
            "warning",
            ("injects",),
            f"plan rule '{rule}' is never prompted: no inject expects any of {', '.join(sorted(actions))}",
        )
        for rule, actions in sorted(plan_rules.items())
        if actions and not (actions & prompted)
    ]


def check_truth_revealable(s: Scenario, **_: Any) -> list[Finding]:
    """What the scorer judges against the truth must be findable in play: a diagnosis counts
    only once the cause is revealed, a disaggregated assessment once the group data arrives."""
    live, _ = live_injects(s)
    sources = {src.id for src in s.sources if src.access}
    out: list[Finding] = []
    facts = [("revealed_by", "the root cause")]
    if "fairness" in s.truth.types:
        facts.append(("disaggregation_from", "the group-level data"))
    for name, what in facts:
        refs = getattr(s.truth, name)
        if not refs:
            out.append(
                Finding(
                    "unrevealed-truth",
                    "warning",
                    ("truth",),
                    f"truth.{name} is empty: any finding counts as revealing {what}; "
                    "expected the sources or injects that reveal it",
                )
            )
        elif not any(r in sources or r in live for r in refs):
            out.append(
                Finding(
                    "unrevealed-truth",
                    "error",
                    ("truth", name),
                    f"{what} can never be revealed in play: none of {', '.join(refs)} is a "
                    "source a role can reach or an inject that can be delivered",
                )
            )
    if s.truth.public_after and not any(r in live for r in s.truth.public_after):
        out.append(
            Finding(
                "unrevealed-truth",
                "warning",
                ("truth", "public_after"),
                "the story can never go public: no inject of truth.public_after can be delivered",
            )
        )
    return out


def check_judged_capabilities(
    s: Scenario, *, capabilities: Collection[str] | None = None, **_: Any
) -> list[Finding]:
    """A judged answer is scored under the capability its question (or option) names; one the
    plan does not have would be scored under the judgement rule's own instead, silently."""
    if not capabilities:
        return []
    known = ", ".join(sorted(capabilities))
    out = []
    for i, inj in enumerate(s.injects):
        q = inj.question
        holders = (
            [] if q is None else [((), q), *((("options", j), o) for j, o in enumerate(q.options))]
        )
        for sub, holder in holders:
            cap = holder.capability
            if cap is not None and cap not in capabilities:
                path = ("injects", i, "question", *sub, "capability")
                why = f"capability '{cap}' is not one of the plan's; expected one of: {known}"
                out.append(Finding("unknown-capability", "error", path, why))
    return out


def check_role_duties(
    s: Scenario, *, duties: Collection[str] | None = None, **_: Any
) -> list[Finding]:
    """A duty a scenario's role carries that the plan has as no role and no duty kind: the
    role's decisions then count for no step of that kind — a comms step taken by the CEO of
    ``duties: [comms_lead]`` scores as if nobody took it. A warning, since the scenario may
    be meant for another plan (``lint --plan``)."""
    if not duties:
        return []
    known = ", ".join(sorted(duties))
    return [
        Finding(
            "unknown-duty",
            "warning",
            ("roles", i, "duties", j),
            f"role '{role.id}' carries '{duty}', which the plan has as no role or duty kind, "
            f"so its decisions count for no such step; expected one of: {known}",
        )
        for i, role in enumerate(s.roles)
        for j, duty in enumerate(role.duties)
        if duty not in duties
    ]


CHECKS: tuple[Callable[..., list[Finding]], ...] = (
    check_unreachable,
    check_conditions,
    check_dead_options,
    check_idle_injects,
    check_unstoppable_meters,
    check_silent_roles,
    check_plan_rules,
    check_truth_revealable,
    check_judged_capabilities,
    check_role_duties,
    check_stated_figures,  # authoring/figures.py: prose rates its meters contradict
)


def lint(
    s: Scenario,
    *,
    plan_rules: Mapping[str, set[str]] | None = None,
    capabilities: Collection[str] | None = None,
    duties: Collection[str] | None = None,
) -> list[Finding]:
    """Every finding of every check, errors first. ``capabilities`` are the plan's (for the
    capability a judged question names); ``duties`` its roles and duty kinds (for the duties
    a scenario's own roles carry)."""
    findings = [
        f
        for check in CHECKS
        for f in check(s, plan_rules=plan_rules, capabilities=capabilities, duties=duties)
    ]
    return sorted(findings, key=lambda f: (f.level != "error", f.check))
