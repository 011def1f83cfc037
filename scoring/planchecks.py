"""Cross-reference checks of a response plan (and of a client profile against it).

pydantic validates each value on its own; these checks need the whole plan: every step,
capability and rule a rule names must exist, every capability needs a rule, parameters must be
the action's own, and the precedence graph must have no cycle. Each problem carries the path
of the offending value so that :func:`scoring.plan.load_plan` can place it in the file.
"""

from __future__ import annotations

from typing import Any

from drillbook.formats.yamlsource import Path_
from drillbook.scenarios.actions import ACTION_MODELS, ROLES, parse_action
from drillbook.scoring.graph import find_cycle, precedence_graph
from drillbook.scoring.plan import (
    CadenceRule,
    CoverageRule,
    DeadlineRule,
    GuardRule,
    JudgementRule,
    MatchRule,
    PrecedenceRule,
    ResponsePlan,
    Step,
)
from pydantic import ValidationError

Finding = tuple[Path_, str, bool]  # path, message, whether to point at the key
PARAMS: dict[str, set[str]] = {
    m.model_fields["action"].annotation.__args__[0]: {  # type: ignore[union-attr]
        f.alias or n for n, f in m.model_fields.items()
    }
    - {"action", "rationale", "re"}
    for m in ACTION_MODELS
}
# Parameters that hold a list; a ``where`` list on any other parameter means "one of these".
LIST_PARAMS = frozenset({"items", "types", "obligations"})
# Stand-ins for what the plan's timeline takes from the scenario's truth or the clock, so
# that a step's own parameters can be checked before any scenario is known.
PLACEHOLDERS: dict[str, dict[str, Any]] = {
    "classify": {"severity": "critical", "types": ["performance"]},
    "diagnose": {"root_cause": "truth"},
    "assess_regulatory": {"obligations": []},
    "assign_role": {"assign": "incident_commander"},
    "schedule_review": {"when": 0},
    "add_action_item": {"due": 0},
    "answer": {"inject": "x", "option": "x"},
}


def _dupes(items: list[Any], section: str, what: str) -> list[Finding]:
    seen: set[str] = set()
    out: list[Finding] = []
    for i, item in enumerate(items):
        if item.id in seen:
            out.append(
                ((section, i, "id"), f"duplicate {what} id '{item.id}'; expected each once", False)
            )
        seen.add(item.id)
    return out


def _params(action: str, keys: list[str], path: Path_, what: str) -> list[Finding]:
    allowed = PARAMS[action]
    return [
        (
            (*path, k),
            f"'{action}' has no parameter '{k}' ({what}); expected one of: "
            + (", ".join(sorted(allowed)) or "(it takes none)"),
            True,
        )
        for k in keys
        if k not in allowed
    ]


def _supplied(rule: Any) -> dict[str, Any]:
    """Parameters a rule itself gives its step on the plan's timeline."""
    out: dict[str, Any] = dict(rule.where)
    if isinstance(rule, DeadlineRule):
        if rule.obligations:
            out["audience"] = "regulator"
        if rule.time_param:
            out[rule.time_param] = 0
    elif isinstance(rule, CoverageRule):
        if rule.param is not None:
            out[rule.param] = list(rule.values)
        if rule.future_param:
            out[rule.future_param] = 1
    return out


def playable(step: Step, supplied: dict[str, Any] | None = None) -> str | None:
    """Why the step cannot be played on the plan's timeline, or None if it can."""
    data = {**PLACEHOLDERS.get(step.action, {}), **step.params, **step.where, **(supplied or {})}
    # a list in where is "any of these": one of them is played; an empty one is left for
    # the action's model to refuse (v[0] of it was an IndexError, exit 70)
    data = {
        k: (v[0] if isinstance(v, list) and v and k not in LIST_PARAMS else v)
        for k, v in data.items()
    }
    try:
        parse_action({"action": step.action, **data})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"] if x != step.action)
        return f"{where}: {err['msg']}" if where else err["msg"]
    return None


def check(plan: ResponsePlan) -> list[Finding]:
    """All cross-reference problems of a plan, each with the path to place it."""
    out: list[Finding] = []
    out += _dupes(plan.phases, "phases", "phase")
    out += _dupes(plan.steps, "steps", "step")
    out += _dupes(plan.rules, "rules", "rule")
    out += _dupes(plan.roles, "roles", "role")
    phases = {p.id for p in plan.phases}
    steps = {s.id: s for s in plan.steps}
    step_list = ", ".join(steps)

    def step_ref(ref: str, path: Path_) -> Step | None:
        if ref not in steps:
            out.append((path, f"unknown step '{ref}'; expected one of: {step_list}", False))
        return steps.get(ref)

    # A plan that lists no roles has the article's six; one that does is linted for a step
    # naming a role it does not describe (duty-without-role).
    for i, s in enumerate(plan.steps):
        named = [(("steps", i, "role"), s.role)] if s.role is not None else []
        named += [(("steps", i, "roles", j), r) for j, r in enumerate(s.roles)]
        for where, role in named:
            if not plan.roles and role not in ROLES:
                out.append(
                    (
                        where,
                        f"'{role}' is not a role of the plan; expected one of: "
                        + ", ".join(ROLES)
                        + " (a kind of role goes under 'duties')",
                        False,
                    )
                )
        if s.phase not in phases:
            out.append(
                (
                    ("steps", i, "phase"),
                    f"unknown phase '{s.phase}'; expected one of: {', '.join(phases)}",
                    False,
                )
            )
        for j, a in enumerate(s.after):
            step_ref(a, ("steps", i, "after", j))
        out += _params(s.action, list(s.where), ("steps", i, "where"), "in where")
        out += _params(s.action, list(s.params), ("steps", i, "params"), "in params")

    used: set[str] = set()
    timed: dict[str, dict[str, Any]] = {}
    caps = ", ".join(plan.capabilities)
    for i, r in enumerate(plan.rules):
        path: Path_ = ("rules", i)
        used.add(r.capability)
        if r.capability not in plan.capabilities:
            out.append(
                (
                    (*path, "capability"),
                    f"unknown capability '{r.capability}'; expected one of: {caps}",
                    False,
                )
            )
        if isinstance(r, PrecedenceRule):
            step_ref(r.before, (*path, "before"))
            for j, a in enumerate(r.after):
                step_ref(a, (*path, "after", j))
            continue
        if isinstance(r, JudgementRule):
            continue
        step = step_ref(r.step, (*path, "step"))
        if isinstance(r, GuardRule):
            for j, a in enumerate(r.requires_before):
                step_ref(a, (*path, "requires_before", j))
            if sum((bool(r.requires_before), bool(r.single), r.only_when_public)) != 1:
                out.append(
                    (
                        path,
                        f"rule '{r.id}': a guard needs exactly one of 'requires_before', 'single' "
                        "or 'only_when_public'",
                        False,
                    )
                )
        if step is None:
            continue
        if isinstance(r, DeadlineRule | CoverageRule):
            timed.setdefault(step.id, {}).update(_supplied(r))
        if isinstance(r, DeadlineRule | CoverageRule | CadenceRule):
            out += _params(step.action, list(r.where), (*path, "where"), "in where")
        out += _rule_fields(r, step, path)
    for cap_id in plan.capabilities:
        if cap_id not in used:
            out.append(
                (
                    ("capabilities", cap_id),
                    f"capability '{cap_id}' has no rules; expected at least one rule with capability: {cap_id}",
                    True,
                )
            )
    for s_id in sorted(timed):
        i = next(k for k, s in enumerate(plan.steps) if s.id == s_id)
        why = playable(steps[s_id], timed[s_id])
        if why:
            out.append(
                (
                    ("steps", i),
                    f"step '{s_id}' cannot be played on the plan's timeline ({why}); expected its parameters under params",
                    False,
                )
            )
    r = plan.ratings
    if not r.P >= r.S >= r.M:
        out.append(
            (
                ("ratings",),
                f"ratings must not increase from P to M (P {r.P:g}, S {r.S:g}, M {r.M:g}); expected P ≥ S ≥ M",
                False,
            )
        )
    cycle = find_cycle(precedence_graph(plan))
    if cycle:
        steps_round, path = cycle
        out.append(
            (
                path,
                f"precedence cycle: {' → '.join(steps_round)}; expected the plan's steps to have an order",
                False,
            )
        )
    return out


def _rule_fields(r: Any, step: Step, path: Path_) -> list[Finding]:
    """What a rule of each kind must say beyond its kind, and parameters it names."""
    out: list[Finding] = []
    if isinstance(r, DeadlineRule):
        if r.obligations and r.windows:
            out.append(
                (
                    (*path, "windows"),
                    f"rule '{r.id}' takes its windows from the scenario's obligations; expected no windows",
                    True,
                )
            )
        if not r.obligations and not r.windows:
            out.append(
                (
                    path,
                    f"rule '{r.id}': a deadline needs windows (per severity) or obligations: true",
                    False,
                )
            )
        if r.time_param:
            out += _params(step.action, [r.time_param], (*path, "time_param"), "time_param")
    elif isinstance(r, CoverageRule):
        shapes = sum([bool(r.roles), r.param is not None, r.count is not None])
        if shapes != 1:
            out.append(
                (
                    path,
                    f"rule '{r.id}': a coverage rule needs exactly one of roles, param (with values) or count",
                    False,
                )
            )
        if r.param is not None:
            out += _params(step.action, [r.param], (*path, "param"), "param")
            if not r.values:
                out.append(
                    (
                        (*path, "param"),
                        f"rule '{r.id}': param '{r.param}' needs values to cover",
                        False,
                    )
                )
        if r.future_param:
            out += _params(step.action, [r.future_param], (*path, "future_param"), "future_param")
        if not r.windows:
            out.append(
                (path, f"rule '{r.id}': a coverage rule needs windows (per severity)", False)
            )
    elif isinstance(r, CadenceRule):
        if not r.every and "every" not in r.model_fields_set:
            out.append(
                (
                    path,
                    f"rule '{r.id}': a cadence needs 'every' (per severity; {{}}: only where a "
                    "client's SLA sets it)",
                    False,
                )
            )
        for sev, every in r.every.items():
            if every <= 0:
                out.append(
                    (
                        (*path, "every", sev),
                        f"rule '{r.id}': an update every 0 minutes; expected a positive duration",
                        False,
                    )
                )
        for i, phase in enumerate(r.cadence):
            per = phase.every if isinstance(phase.every, dict) else {"": phase.every}
            for sev, every in per.items():
                if every <= 0:
                    where = (*path, "cadence", i, "every", *((sev,) if sev else ()))
                    out.append(
                        (
                            where,
                            f"rule '{r.id}': an update every 0 minutes; expected a positive "
                            "duration",
                            False,
                        )
                    )
    elif isinstance(r, MatchRule):
        wants = {
            "severity": "classify",
            "root_cause": "diagnose",
            "obligations": "assess_regulatory",
        }[r.compare]
        if step.action != wants:
            out.append(
                (
                    (*path, "step"),
                    f"rule '{r.id}' compares {r.compare}; expected a step whose action is {wants}, not {step.action}",
                    False,
                )
            )
    elif isinstance(r, GuardRule) and r.single:
        out += _params(step.action, [r.single], (*path, "single"), "single")
    return out


def client_problems(plan: ResponsePlan, profile: Any) -> list[tuple[Path_, str]]:
    """Rule ids a client profile names that the plan does not have."""
    ids = {r.id for r in plan.rules}
    known = ", ".join(sorted(ids))
    out: list[tuple[Path_, str]] = []
    for rule_id in profile.windows:
        if rule_id not in ids:
            out.append(
                (
                    ("windows", rule_id),
                    f"unknown rule '{rule_id}' in windows; expected one of: {known}",
                )
            )
    timed = {r.id for r in plan.rules if isinstance(r, DeadlineRule | CoverageRule | CadenceRule)}
    for i, sla in enumerate(profile.sla):
        if sla.rule is None:
            out.append(
                (
                    ("sla", i),
                    f"SLA '{sla.name}' names no rule; expected 'rule: RULE-ID' (the plan rule it "
                    "binds, e.g. notify-client, client-update-cadence, final-report) with "
                    "'within: \"+H:MM\"' for a timed one, or move it under 'commitments:' if "
                    "the plan has no rule for it",
                )
            )
        elif sla.rule not in ids:
            out.append((("sla", i, "rule"), f"unknown rule '{sla.rule}'; expected one of: {known}"))
        elif sla.rule in timed and sla.within is None:
            out.append(
                (
                    ("sla", i),
                    f"SLA '{sla.name}' binds the timed rule '{sla.rule}' but gives no window; "
                    "expected 'within: \"+H:MM\"'",
                )
            )
        elif sla.rule not in timed and sla.within is not None:
            out.append(
                (
                    ("sla", i, "within"),
                    f"SLA '{sla.name}': rule '{sla.rule}' is not timed, so 'within' means "
                    "nothing; expected a deadline, coverage or cadence rule, or no 'within'",
                )
            )
    return out
