"""``drillbook plan check``: a response plan's errors, and the warnings of a plan that loads.

A plan that loads can still score nonsense: a step no rule looks at (the team is told to do
it and nothing notices whether they did), a rule whose step no decision can ever be matched
to (an earlier step with the same action catches every such decision first, or the rule asks
for a parameter value the action cannot take), a window that is shorter at Low than at High,
a duty given to a role the plan never describes. Errors are :mod:`scoring.planchecks`' (a
capability with no rule is one: the scorer could not rate it); everything here is a warning,
placed at its line like a scenario lint.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

from drillbook.formats.findings import Finding
from drillbook.formats.validation import validate
from drillbook.formats.yamlsource import InputError, Path_, Problem, read
from drillbook.scenarios.actions import SEVERITIES
from drillbook.scoring.plan import (
    CadenceRule,
    CoverageRule,
    GuardRule,
    JudgementRule,
    PrecedenceRule,
    ResponsePlan,
    Step,
    _kind_problems,
)
from drillbook.scoring.planchecks import check, playable
from drillbook.scoring.planwords import SEVERITY_TITLES, duration


def _wants(v: Any) -> set[Any]:
    return set(v) if isinstance(v, list) else {v}


def _catches(earlier: Step, later: Step) -> bool:
    """Whether every action fitting ``later`` fits ``earlier`` too (so it is matched there:
    a decision goes to the first step it fits)."""
    if earlier.action != later.action:
        return False
    for key, want in earlier.where.items():
        if key not in later.where or not _wants(later.where[key]) <= _wants(want):
            return False
    return True


def shadowed(plan: ResponsePlan) -> dict[str, str]:
    """Step id → the earlier step that catches every decision meant for it."""
    out: dict[str, str] = {}
    for i, step in enumerate(plan.steps):
        for earlier in plan.steps[:i]:
            if _catches(earlier, step):
                out[step.id] = earlier.id
                break
    return out


def used_steps(plan: ResponsePlan) -> set[str]:
    used: set[str] = set()
    for r in plan.rules:
        if isinstance(r, PrecedenceRule):
            used |= {r.before, *r.after}
        elif not isinstance(r, JudgementRule):
            used.add(r.step)
            if isinstance(r, GuardRule):
                used |= set(r.requires_before)
    return used


def _shrinking(windows: dict[str, int], path: Path_, what: str) -> list[Finding]:
    out: list[Finding] = []
    present = [s for s in SEVERITIES if s in windows]
    for higher, lower in pairwise(present):
        if windows[lower] < windows[higher]:
            out.append(
                Finding(
                    "shrinking-window",
                    "warning",
                    (*path, lower),
                    f"{what}: {SEVERITY_TITLES[lower]} {duration(windows[lower])} is shorter "
                    f"than {SEVERITY_TITLES[higher]} {duration(windows[higher])}; expected a "
                    "window that stays or grows as severity falls",
                )
            )
    return out


def _undescribed_roles(
    plan: ResponsePlan, roles: list[str], path: Path_, what: str
) -> list[Finding]:
    """A warning for each of ``roles`` the plan's ``roles:`` does not describe (none if the
    plan describes no roles at all). ``what`` starts the message, ``{}`` standing for the role."""
    if not plan.roles:
        return []
    known = {r.id for r in plan.roles}
    return [
        Finding(
            "duty-without-role",
            "warning",
            (*path, j),
            f"{what.format(role)} the plan does not describe; "
            f"expected one of: {', '.join(sorted(known))}",
        )
        for j, role in enumerate(roles)
        if role not in known
    ]


def lint(plan: ResponsePlan) -> list[Finding]:
    """The warnings of a plan that passed :func:`scoring.planchecks.check`."""
    out: list[Finding] = []
    used = used_steps(plan)
    caught = shadowed(plan)
    for i, s in enumerate(plan.steps):
        if s.id not in used:
            out.append(
                Finding(
                    "unused-step",
                    "warning",
                    ("steps", i, "id"),
                    f"step '{s.id}' is in no rule: nothing scores whether the team takes it; "
                    "expected a rule naming it (or remove the step)",
                )
            )
        out += _undescribed_roles(
            plan, s.roles, ("steps", i, "roles"), f"step '{s.id}' gives its duty to '{{}}', a role"
        )
    for i, r in enumerate(plan.rules):
        path: Path_ = ("rules", i)
        step = plan.step(getattr(r, "step", "") or "")
        if step is not None and step.id in caught:
            out.append(
                Finding(
                    "unsatisfiable-rule",
                    "warning",
                    (*path, "step"),
                    f"rule '{r.id}': no decision can satisfy step '{step.id}' — every "
                    f"'{step.action}' that fits it fits the earlier step '{caught[step.id]}' "
                    "first; expected the more specific step first",
                )
            )
        elif step is not None and getattr(r, "where", None):
            out += _where_conflicts(r, step, path)
        if isinstance(r, CadenceRule):
            out += _shrinking(r.every, (*path, "every"), f"rule '{r.id}' every")
        elif getattr(r, "windows", None):
            out += _shrinking(r.windows, (*path, "windows"), f"rule '{r.id}'")
        if isinstance(r, CoverageRule):
            out += _undescribed_roles(
                plan, r.roles, (*path, "roles"), f"rule '{r.id}' asks for '{{}}', a role"
            )
    response = {s: lvl.response for s, lvl in plan.severities.items()}
    out += _shrinking(
        {s: response[s] for s in SEVERITIES if s in response},
        ("severities",),
        "severity response",
    )
    # placed on the level itself, not on a missing 'severities.<sev>' leaf
    return [
        Finding(f.check, f.level, (*f.path, "response"), f.message)
        if f.path[:1] == ("severities",) and len(f.path) == 2
        else f
        for f in out
    ]


def _where_conflicts(r: Any, step: Step, path: Path_) -> list[Finding]:
    for key, want in r.where.items():
        if key in step.where and not _wants(want) & _wants(step.where[key]):
            return [
                Finding(
                    "unsatisfiable-rule",
                    "warning",
                    (*path, "where", key),
                    f"rule '{r.id}' wants {key} {want!r} but step '{step.id}' only takes "
                    f"{key} {step.where[key]!r}; no decision can satisfy both",
                )
            ]
    why = playable(step, dict(r.where))
    if why:
        return [
            Finding(
                "unsatisfiable-rule",
                "warning",
                (*path, "where"),
                f"rule '{r.id}': no '{step.action}' action can have these parameters ({why})",
            )
        ]
    return []


def check_file(path: str | Path) -> tuple[ResponsePlan | None, list[Problem], list[Problem]]:
    """Read a plan: (the plan if it loads, its errors, its warnings), every one placed."""
    doc = read(path)  # unreadable or not YAML: InputError, as for any input
    kinds = _kind_problems(doc)
    if kinds:
        return None, kinds, []
    try:
        plan = validate(ResponsePlan, doc)
    except InputError as exc:
        return None, list(exc.problems), []
    errors = [doc.positions.problem(p, f"error: {msg}", key=key) for p, msg, key in check(plan)]
    warnings = [f.placed_in(doc.positions) for f in lint(plan)]
    return plan, errors, warnings
