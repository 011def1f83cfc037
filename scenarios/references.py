"""Cross-reference checks: every id a scenario names must exist, and ids must be unique.

pydantic validates each value on its own; these checks need the whole scenario. Each
problem carries the path of the offending value, so the loader can place it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from drillbook.formats.yamlsource import Path_
from drillbook.scenarios.conditions import (
    All,
    AnyOf,
    Chosen,
    Delivered,
    Done,
    Investigated,
    MeterAbove,
    Named,
    Not,
    NotDone,
)
from drillbook.scenarios.literals import allowed_values
from drillbook.scenarios.model import Scenario
from drillbook.scenarios.vocabulary import ACTION_PARAMETERS

PLACEHOLDER = re.compile(r"\{([a-z0-9_-]+)(?::([^}]*))?\}")
_PARAMS = {name: set(params) for name, params in ACTION_PARAMETERS.items()}

Finding = tuple[Path_, str]


def walk_conditions(cond: Any, path: Path_) -> Iterator[tuple[Any, Path_]]:
    """Every condition node with its document path (combinators included)."""
    yield cond, path
    if isinstance(cond, All):
        for i, c in enumerate(cond.all):
            yield from walk_conditions(c, (*path, "all", i))
    elif isinstance(cond, AnyOf):
        for i, c in enumerate(cond.any):
            yield from walk_conditions(c, (*path, "any", i))
    elif isinstance(cond, Not):
        yield from walk_conditions(cond.not_, (*path, "not"))


def scenario_conditions(s: Scenario) -> Iterator[tuple[Any, Path_]]:
    """Every condition in a scenario (inject triggers, meter rate rules and the named
    conditions, each named one once where it is defined), with paths."""
    for name, cond in s.conditions.items():
        yield from walk_conditions(cond, ("conditions", name))
    for i, inj in enumerate(s.injects):
        if inj.when is not None:
            yield from walk_conditions(inj.when, ("injects", i, "when"))
    for i, m in enumerate(s.meters):
        for j, r in enumerate(m.rates):
            yield from walk_conditions(r.when, ("meters", i, "rates", j, "when"))


def _duplicates(items: list[Any], path: Path_, what: str) -> Iterator[Finding]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            yield (*path, i, "id"), f"duplicate {what} id '{item.id}'; expected each id once"
        seen.add(item.id)


def check(s: Scenario) -> list[Finding]:
    """All cross-reference problems of a scenario, each with the path to place it."""
    out: list[Finding] = []
    out += _duplicates(s.injects, ("injects",), "inject")
    out += _duplicates(s.sources, ("sources",), "source")
    out += _duplicates(s.meters, ("meters",), "meter")
    out += _duplicates(s.phases, ("phases",), "phase")
    out += _duplicates(s.truth.causes, ("truth", "causes"), "cause")
    out += _duplicates(s.truth.obligations, ("truth", "obligations"), "obligation")
    roles = set(s.role_ids)
    role_list = ", ".join(s.role_ids)
    out += _duplicates(s.roles, ("roles",), "role")

    causes = {c.id for c in s.truth.causes}
    if s.truth.root_cause not in causes:
        out.append(
            (
                ("truth", "root_cause"),
                f"root cause '{s.truth.root_cause}' is not among truth.causes; "
                f"expected one of: {', '.join(sorted(causes))}",
            )
        )
    meters = {m.id: m for m in s.meters}
    for i, m in enumerate(s.meters):
        if m.derived:
            base = meters.get(m.derived.of)
            if base is None or base.derived is not None:
                out.append(
                    (
                        ("meters", i, "derived", "from"),
                        f"meter '{m.derived.of}' is not a base meter; expected one of: "
                        + ", ".join(k for k, v in meters.items() if not v.derived),
                    )
                )
    phases = {p.id for p in s.phases}
    injects = {inj.id: inj for inj in s.injects}
    for i, inj in enumerate(s.injects):
        for j, r in enumerate(inj.to):
            if r not in roles:
                out.append(
                    (
                        ("injects", i, "to", j),
                        f"role '{r}' is not in play; expected one of: {role_list}",
                    )
                )
        if inj.phase is not None and inj.phase not in phases:
            out.append(
                (
                    ("injects", i, "phase"),
                    f"unknown phase '{inj.phase}'; expected one of: {', '.join(sorted(phases)) or '(none declared)'}",
                )
            )
        if inj.question:
            out += _duplicates(
                inj.question.options, ("injects", i, "question", "options"), "option"
            )
            if inj.question.role and inj.question.role not in roles:
                out.append(
                    (
                        ("injects", i, "question", "role"),
                        f"role '{inj.question.role}' is not in play; expected one of: {role_list}",
                    )
                )
        for field, text in (("title", inj.title), ("body", inj.body)):
            if "{" not in text:  # most texts show no meter: no search for a placeholder
                continue
            for m in PLACEHOLDER.finditer(text):
                if m.group(1) not in meters:
                    out.append(
                        (
                            ("injects", i, field),
                            f"'{{{m.group(1)}}}' names no meter; expected one of: "
                            + (", ".join(meters) or "(no meters declared)"),
                        )
                    )
    for i, src in enumerate(s.sources):
        for j, r in enumerate(src.access):
            if r not in roles:
                out.append(
                    (
                        ("sources", i, "access", j),
                        f"role '{r}' is not in play; expected one of: {role_list}",
                    )
                )

    sources = {src.id for src in s.sources}
    out += _truth_evidence(s, set(injects), sources)
    out += _obligation_clocks(s, injects)
    # Parameters that name the scenario's own ids: a `where:` literal must be one of them.
    named = {
        ("investigate", "source"): sorted(sources),
        ("diagnose", "root_cause"): [c.id for c in s.truth.causes],
        ("assess_regulatory", "obligations"): [o.id for o in s.truth.obligations],
        ("answer", "inject"): list(injects),
        # roles are the scenario's own: a role-valued literal is one in play
        ("escalate", "to"): list(s.role_ids),
        ("assign_role", "assign"): list(s.role_ids),
        ("public_statement", "spokesperson"): list(s.role_ids),
    }
    for cond, path in scenario_conditions(s):
        out += _check_condition(
            cond, path, injects, sources, meters, roles, named, list(s.conditions)
        )
    return out


def _truth_evidence(s: Scenario, injects: set[str], sources: set[str]) -> list[Finding]:
    """What the truth says reveals a fact (or makes the story public) must exist in play."""
    out: list[Finding] = []
    for name in ("revealed_by", "disaggregation_from"):
        for j, ref in enumerate(getattr(s.truth, name)):
            if ref not in sources and ref not in injects:
                both = ", ".join(sorted(sources | injects))  # only for a problem: 10,000 ids
                out.append(
                    (
                        ("truth", name, j),
                        f"'{ref}' is neither a source nor an inject; expected one of: {both}",
                    )
                )
    for j, ref in enumerate(s.truth.public_after or []):
        if ref not in injects:
            out.append(
                (
                    ("truth", "public_after", j),
                    f"'{ref}' is not an inject; expected one of: {', '.join(sorted(injects))}",
                )
            )
    return out


def _obligation_clocks(s: Scenario, injects: dict[str, Any]) -> list[Finding]:
    """A clock started by an inject names one in play; follow-up ids are unique per obligation."""
    out: list[Finding] = []
    for i, ob in enumerate(s.truth.obligations):
        path = ("truth", "obligations", i)
        trigger = ob.trigger
        started_by = None if isinstance(trigger, str) else trigger.delivered
        if started_by is not None and started_by not in injects:
            out.append(
                (
                    (*path, "trigger", "delivered"),
                    f"unknown inject '{started_by}'; expected one of: " + ", ".join(injects),
                )
            )
        out += _duplicates(ob.follow_ups, (*path, "follow_ups"), "follow-up")
        if (ob.follow_ups or ob.amend) and ob.clock is None:
            out.append(
                (
                    (*path, "follow_ups" if ob.follow_ups else "amend"),
                    f"obligation '{ob.id}' has follow-up reports but no clock of its own; "
                    "expected 'clock' (the first notice's deadline)",
                )
            )
    return out


def _check_condition(
    cond: Any,
    path: Path_,
    injects: dict[str, Any],
    sources: set[str],
    meters: dict[str, Any],
    roles: set[str],
    named: dict[tuple[str, str], list[str]],
    known: list[str],
) -> list[Finding]:
    out: list[Finding] = []
    if isinstance(cond, Named) and cond.target is None:
        if cond.condition in known:
            out.append(
                (
                    (*path, "condition"),
                    f"condition '{cond.condition}' refers to itself through its definitions; "
                    "expected definitions that do not contain their own name",
                )
            )
        else:
            out.append(
                (
                    (*path, "condition"),
                    f"unknown condition '{cond.condition}'; expected one of: "
                    + (", ".join(known) or "(none declared under conditions:)"),
                )
            )
    if isinstance(cond, Done | NotDone):
        name = cond.done if isinstance(cond, Done) else cond.not_done
        allowed = _PARAMS[name]
        for key, value in cond.where.items():
            if key not in allowed:
                out.append(
                    (
                        (*path, "where", key),
                        f"'{name}' has no parameter '{key}'; expected one of: "
                        + (", ".join(sorted(allowed)) or "(it takes none)"),
                    )
                )
                continue
            known = allowed_values(name, key, cond.where, injects, named)
            if known is None:
                continue
            values = value if isinstance(value, list) else [value]
            for j, v in enumerate(values):
                if v not in known:
                    sub = (*path, "where", key, *((j,) if isinstance(value, list) else ()))
                    shown = f"'{v}'" if isinstance(v, str) else repr(v)
                    out.append(
                        (
                            sub,
                            f"{shown} is never a '{key}' of '{name}', so this condition can never "
                            f"match; expected one of: {', '.join(str(k) for k in known)}",
                        )
                    )
        if cond.role and cond.role not in roles:
            out.append(
                (
                    (*path, "role"),
                    f"role '{cond.role}' is not in play; expected one of: {', '.join(sorted(roles))}",
                )
            )
    elif isinstance(cond, MeterAbove) and cond.meter not in meters:
        out.append(
            (
                (*path, "meter"),
                f"unknown meter '{cond.meter}'; expected one of: {', '.join(meters) or '(none declared)'}",
            )
        )
    elif isinstance(cond, Delivered) and cond.delivered not in injects:
        out.append(
            (
                (*path, "delivered"),
                f"unknown inject '{cond.delivered}'; expected one of: {', '.join(injects)}",
            )
        )
    elif isinstance(cond, Investigated) and cond.investigated not in sources:
        out.append(
            (
                (*path, "investigated"),
                f"unknown source '{cond.investigated}'; expected one of: "
                + (", ".join(sorted(sources)) or "(none declared)"),
            )
        )
    elif isinstance(cond, Chosen):
        inj = injects.get(cond.chosen.inject)
        if inj is None:
            out.append(
                (
                    (*path, "chosen", "inject"),
                    f"unknown inject '{cond.chosen.inject}'; expected one of: "
                    + (", ".join(i for i, v in injects.items() if v.question) or "(none asks one)"),
                )
            )
        elif inj.question is None:
            out.append(((*path, "chosen", "inject"), f"inject '{inj.id}' asks no question"))
        elif cond.chosen.option not in {o.id for o in inj.question.options}:
            out.append(
                (
                    (*path, "chosen", "option"),
                    f"inject '{inj.id}' has no option '{cond.chosen.option}'; expected one of: "
                    + ", ".join(o.id for o in inj.question.options),
                )
            )
    return out


def action_problems(s: Scenario, role: str, action: Any) -> list[tuple[str, str]]:
    """What is wrong with ``role`` taking ``action`` in scenario ``s``: (field, message) pairs.

    Static checks only (ids exist); the engine adds what depends on the run so far.
    Shared by transcript loading and the engine so both say the same thing.
    """
    out: list[tuple[str, str]] = []
    roles = s.role_ids
    if role not in roles:
        out.append(("role", f"role '{role}' is not in play; expected one of: {', '.join(roles)}"))
    name = action.action
    if action.re is not None and s.inject(action.re) is None:
        out.append(("re", f"unknown inject '{action.re}'"))
    if name == "answer":
        inj = s.inject(action.inject)
        if inj is None:
            out.append(("inject", f"unknown inject '{action.inject}'"))
        elif inj.question is None:
            out.append(("inject", f"inject '{action.inject}' asks no question"))
        elif action.option not in {o.id for o in inj.question.options}:
            opts = ", ".join(o.id for o in inj.question.options)
            out.append(("option", f"unknown option '{action.option}'; expected one of: {opts}"))
    elif name == "investigate" and s.source(action.source) is None:
        known = ", ".join(src.id for src in s.sources) or "(none)"
        out.append(("source", f"unknown source '{action.source}'; expected one of: {known}"))
    elif name == "diagnose":
        causes = sorted(c.id for c in s.truth.causes)
        if action.root_cause not in causes:
            out.append(
                (
                    "root_cause",
                    f"unknown root cause '{action.root_cause}'; expected one of: {', '.join(causes)}",
                )
            )
    elif name == "assess_regulatory":
        known = sorted(o.id for o in s.truth.obligations)
        for ob in action.obligations:
            if ob not in known:
                out.append(
                    (
                        "obligations",
                        f"unknown obligation '{ob}'; expected one of: {', '.join(known) or '(none)'}",
                    )
                )
    elif name in ("escalate",) and action.to not in roles:
        out.append(("to", f"role '{action.to}' is not in play"))
    elif name == "assign_role" and action.assign not in roles:
        out.append(("assign", f"role '{action.assign}' is not in play"))
    elif name == "public_statement" and action.spokesperson not in roles:
        out.append(("spokesperson", f"role '{action.spokesperson}' is not in play"))
    return out
