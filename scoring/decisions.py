"""The decision log: every decision with the inject it answered, the plan step it exercised and
what each rule made of it — what users of other exercise tools ask for and do not get.

One pass over the journal: the latest inject that reached each role and expects each action
is kept as it goes, so inferring what a decision answered costs nothing per decision.
"""

from __future__ import annotations

from typing import Any

from drillbook.scenarios.actions import describe
from drillbook.scoring.context import RunContext
from drillbook.scoring.outcome import offset
from drillbook.scoring.prepared import Prepared
from drillbook.scoring.scorecard import DecisionVerdict, Verdict
from drillbook.simulator.events import Kind


def decision_log(
    ctx: RunContext,
    events: list[dict[str, Any]],
    verdicts: dict[int, list[Verdict]],
    noise: dict[int, str] | None = None,
) -> list[DecisionVerdict]:
    """Every decision, with what each rule made of it and, for one that earned nothing or was
    charged as noise, why ("before the team could know", "noise: …")."""
    noise = noise or {}
    acts = {a.seq: a for a in ctx.acts}
    prep = ctx.prep
    assert prep is not None  # set when the context is made
    # inject id → {action it expects: the inject id}: the scenario's alone, worked out once
    # per scenario, so a delivery marks what it asks for in one ``update`` per role
    expects: dict[str, dict[str, str]] | None = prep.memo.get("expects:asked")
    if expects is None:
        injects = ctx.scenario.injects
        expects = prep.memo["expects:asked"] = {
            i.id: dict.fromkeys(i.expects, i.id) for i in injects if i.expects
        }
    latest: dict[str, dict[str, str]] = {}  # role → action → inject that last asked for it
    out: list[DecisionVerdict] = []
    append = out.append
    delivered, decided = Kind.INJECT_DELIVERED, Kind.DECISION
    nothing: dict[str, str] = {}
    for e in events:
        kind = e.get("type")
        if kind != decided:
            if kind == delivered:
                asked = expects.get(e.get("inject", ""))
                if asked and e.get("kind", "scripted") == "scripted":
                    for role in e.get("to", ()):
                        latest.setdefault(role, {}).update(asked)
            continue
        params = e.get("params") or nothing
        action, role = e["action"], e["role"]
        re = params.get("re")
        if re is None:
            if action == "answer":
                re = params.get("inject")
            if re is None:
                re = latest.get(role, nothing).get(action)
        sim = float(e["sim"])
        seq = int(e["seq"])
        act = acts.get(seq)
        said, plan_step = facts(prep, action, params)  # on the journal's own parameters
        charged = noise.get(seq, "") if noise else ""
        if act is None:
            known, why_not = True, charged
        else:
            known = bool(act.known)
            unbacked = act.unbacked
            why_not = "; ".join(w for w in (charged, *unbacked) if w) if unbacked else charged
        ruled = verdicts.get(seq)
        append(
            DecisionVerdict(  # by position (see scoring.outcome.result)
                seq,
                offset(sim),
                sim,
                role,
                action,
                dict(params),  # the card's own: the journal's dict stays the journal's
                said,
                re,
                params.get("rationale"),
                plan_step,
                ruled if ruled is not None else [],
                known,
                why_not,
            )
        )
    return out


_KEYED = frozenset({str, int, bool, type(None)})  # values whose equal ones describe alike
_SAID_SIZE = 4096


def facts(prep: Prepared, action: str, params: dict[str, Any]) -> tuple[str, str | None]:
    """A decision's summary (``describe``) and the words of the plan step it performs: pure
    functions of its action and parameters, kept in the ``Prepared`` (a simulation's runs take
    the same decisions again and again) when every value is a string, a whole number, a flag
    or None, or a list of those, keyed with the values' types (a list's with its items'):
    equal values of those types describe and fit alike (``1`` and ``True`` are equal and
    keyed apart). A float (``0.0`` and ``-0.0`` are equal and read apart), a list holding
    one, or any other value is worked out each time."""
    types = tuple(map(type, params.values()))
    if _KEYED.issuperset(types):
        key: tuple[Any, ...] | None = (action, tuple(params.items()), types)
    else:
        key = _listed_key(action, params, types)
        if key is None:
            return _facts(prep, action, params)
    kept = prep.described
    known = kept.get(key)
    if known is None:
        if len(kept) >= _SAID_SIZE:
            kept.clear()
        known = kept[key] = _facts(prep, action, params)
    return known


def _listed_key(
    action: str, params: dict[str, Any], types: tuple[type, ...]
) -> tuple[Any, ...] | None:
    """``facts``' key for parameters some of which are lists (a classification's types, the
    evidence preserved): each list as its items and their types, the ``list`` among the
    values' types keeping it apart from any scalar; None when a value cannot be keyed."""
    items: list[tuple[str, Any]] = []
    for k, v in params.items():
        kind = type(v)
        if kind is list:
            inner = tuple(map(type, v))
            if not _KEYED.issuperset(inner):
                return None
            items.append((k, (tuple(v), inner)))
        elif kind in _KEYED:
            items.append((k, v))
        else:
            return None
    return (action, tuple(items), types)


def _facts(prep: Prepared, action: str, params: dict[str, Any]) -> tuple[str, str | None]:
    step = prep.step_for(action, params)
    return describe(action, params), (step.text or step.title) if step else None
