"""What changed between two versions of a response plan, in words a manager can read.

"Whether readiness moved because the team improved or because the plan did" needs the
plan's changes spelled out: rules added or removed, windows moved, weights and thresholds
changed. Items are compared by id (rule and step ids are stable by the plan's own rule);
anything else that differs is named by its field, so no change goes unsaid.
"""

from __future__ import annotations

from typing import Any

from drillbook.scenarios.actions import SEVERITIES
from drillbook.scoring.plan import ResponsePlan
from drillbook.scoring.planwords import SEVERITY_TITLES, duration

WINDOW_FIELDS = ("windows", "every", "undue_delay")
SKIP = {"source", "changelog", "version", "title", "text"}


def _by_id(items: list[Any]) -> dict[str, Any]:
    return {i.id: i for i in items}


def _windows(name: str, field: str, a: dict[str, int], b: dict[str, int]) -> list[str]:
    out = []
    what = {"windows": "window", "every": "cadence", "undue_delay": "undue-delay window"}[field]
    for sev in SEVERITIES:
        old, new = a.get(sev), b.get(sev)
        if old == new:
            continue
        level = SEVERITY_TITLES[sev]
        if old is None:
            out.append(f"{name}: now applies at {level}, {what} {duration(new)}")
        elif new is None:
            out.append(f"{name}: no longer applies at {level} (was {duration(old)})")
        else:
            way = "tightened" if new < old else "relaxed"
            out.append(f"{name}: {level} {what} {way} from {duration(old)} to {duration(new)}")
    return out


def _value(v: Any) -> str:
    if isinstance(v, list):
        return ", ".join(map(str, v)) or "none"
    if isinstance(v, dict):
        return ", ".join(f"{k} {x}" for k, x in v.items()) or "none"
    return "none" if v is None or v == "" else str(v)


def _fields(name: str, a: Any, b: Any) -> list[str]:
    """Every field that differs between two versions of one item, windows in words."""
    da, db = a.model_dump(), b.model_dump()
    out: list[str] = []
    for key in dict.fromkeys([*da, *db]):
        old, new = da.get(key), db.get(key)
        if old == new or key in SKIP:
            continue
        if key in WINDOW_FIELDS:
            out += _windows(name, key, old or {}, new or {})
        elif key == "weight":
            out.append(f"{name}: weight {old:g} → {new:g}")
        else:
            out.append(f"{name}: {key.replace('_', ' ')} {_value(old)} → {_value(new)}")
    return out


def _section(what: str, a: list[Any], b: list[Any], label: Any) -> list[str]:
    old, new = _by_id(a), _by_id(b)
    out = [f"{what} added: {i} — {label(new[i])}" for i in new if i not in old]
    out += [f"{what} removed: {i} — {label(old[i])}" for i in old if i not in new]
    for i in new:
        if i in old and old[i] != new[i]:
            out += _fields(f"{what} {i}", old[i], new[i])
    return out


def diff(a: ResponsePlan, b: ResponsePlan) -> list[str]:
    """The changes from plan ``a`` to plan ``b``, one sentence each; empty when they score
    alike (titles, quotations and the changelog aside)."""
    out: list[str] = []
    if a.id != b.id:
        out.append(f"plan id {a.id} → {b.id}")
    for sev in SEVERITIES:
        la, lb = a.severities.get(sev), b.severities.get(sev)
        name = f"severity {SEVERITY_TITLES[sev]}"
        if la is None or lb is None:
            if la is not lb:
                out.append(f"{name}: {'added' if la is None else 'removed'}")
            continue
        if la.response != lb.response:
            out.append(f"{name}: response within {duration(la.response)} → {duration(lb.response)}")
        if la.tell != lb.tell:
            out.append(f"{name}: who is told {_value(la.tell)} → {_value(lb.tell)}")
    if a.criteria.questions != b.criteria.questions:
        added = [q for q in b.criteria.questions if q not in a.criteria.questions]
        gone = [q for q in a.criteria.questions if q not in b.criteria.questions]
        out += [f"severity question added: {q}" for q in added]
        out += [f"severity question removed: {q}" for q in gone]
    out += _section("role", a.roles, b.roles, lambda r: r.title)
    out += _section("phase", a.phases, b.phases, lambda p: p.title)
    caps_a, caps_b = a.capabilities, b.capabilities
    out += [f"capability added: {c} — {caps_b[c].title}" for c in caps_b if c not in caps_a]
    out += [f"capability removed: {c} — {caps_a[c].title}" for c in caps_a if c not in caps_b]
    for c in caps_b:
        if c in caps_a and caps_a[c] != caps_b[c]:
            out += _fields(f"capability {c}", caps_a[c], caps_b[c])
    out += _section("step", a.steps, b.steps, lambda s: s.title)
    out += _section("rule", a.rules, b.rules, lambda r: f"{r.title} ({r.kind})")
    r_a, r_b = a.ratings, b.ratings
    for level in ("P", "S", "M"):
        old, new = getattr(r_a, level), getattr(r_b, level)
        if old != new:
            out.append(f"rating threshold {level}: {old:g} → {new:g}")
    for part in ("timing", "rollup", "discipline"):
        pa, pb = getattr(a, part), getattr(b, part)
        if pa != pb:
            out += _fields(part, pa, pb)
    return out


def version_line(a: ResponsePlan, b: ResponsePlan, changes: list[str]) -> str:
    """``default v1 → default v2``, with a note when the versions do not say it changed."""
    line = f"{a.label} → {b.label}"
    if a.id == b.id and a.version == b.version and changes:
        line += " (the version was not raised: give the changed plan a new version)"
    return line
