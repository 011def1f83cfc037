"""What a bundled model team must get right, checked from its journal without the scorer.

The scorer judges every team; this judges the library's own reference teams against the
rules a score must be earned by (issue 9), so a scenario author learns at once when a model
team acts before it could know, diagnoses before the evidence came back, claims a test it
never ran, or lets an obligation go without its own notice. It reads only the scenario and
the journal, as the scorer does, so it also guards the scenario's truth: a ``revealed_by``
that a model team cannot reach fails here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from drillbook.scenarios.model import Obligation, Scenario

# The plan's duties (the article's roles): which roles may take each decision.
_IC = {"incident_commander"}
DUTIES: dict[str, set[str]] = {
    "acknowledge": {"on_call", "incident_commander"},
    "escalate": {"on_call", "incident_commander"},
    "classify": {"on_call", "incident_commander"},
    "assign_role": _IC,
    "resolve": _IC,
    "schedule_review": _IC,
    "add_action_item": _IC,
    "close": _IC,
    "preserve_evidence": {"data_lead", "technical_lead"},
    "contain": {"technical_lead", "on_call"},
    "assess_regulatory": {"legal_advisor"},
    "investigate": {"technical_lead", "data_lead", "on_call"},
    "diagnose": {"technical_lead", "data_lead"},
    "test_fix": {"technical_lead"},
    "remediate": {"technical_lead"},
    "verify_fix": {"technical_lead"},
    "assess_impact": {"data_lead", "technical_lead"},
    "public_statement": {"communications_lead"},
    "remediate_harm": {"communications_lead", "data_lead", "legal_advisor"},
    "final_report": {"communications_lead", "incident_commander"},
}
NOTIFY_DUTIES: dict[str, set[str]] = {
    "response_team": _IC,
    "leadership": _IC,
    "client": {"communications_lead", "incident_commander"},
    "regulator": {"legal_advisor", "communications_lead"},
    "affected_individuals": {"legal_advisor", "communications_lead"},
    "public": {"communications_lead"},
}
UPDATE_DUTIES: dict[str, set[str]] = {
    "response_team": _IC,
    "leadership": {"incident_commander", "communications_lead"},
    "client": {"communications_lead", "incident_commander"},
}
CADENCE = {"critical": 60.0, "high": 240.0}
MIN_GAP = 15.0
UNDUE_DELAY = 72 * 60.0  # no clock, critical/high: "without undue delay", read as 72 h
CAPABILITIES = {
    "detection",
    "classification",
    "containment",
    "notification",
    "evidence",
    "investigation",
    "communication",
    "regulatory",
    "remediation",
    "learning",
}


def truth_problems(s: Scenario) -> list[str]:
    """What the scenario's truth and questions must carry for the scorer to judge them."""
    out: list[str] = []
    t = s.truth
    roles = set(s.role_ids)
    if not t.revealed_by:
        out.append("truth.revealed_by is empty")
    reachable = [
        r
        for r in t.revealed_by
        if (s.source(r) and roles & set(s.source(r).access))  # type: ignore[union-attr]
        or s.inject(r)
    ]
    if t.revealed_by and not reachable:
        out.append("no source or inject in truth.revealed_by is reachable by a role in play")
    if not t.fixes:
        out.append("truth.fixes is empty")
    if t.public_after is None:
        out.append("truth.public_after is not set (use [] if the story never goes public)")
    if "fairness" in set(s.types) | set(t.types) and not t.disaggregation_from:
        out.append("a fairness scenario needs truth.disaggregation_from")
    for o in t.obligations:
        if o.audience == "regulator" and not o.recipient:
            out.append(f"obligation '{o.id}' goes to a regulator but names no recipient")
    for inj in s.injects:
        q = inj.question
        if q is None:
            continue
        if "answer" not in inj.expects:
            out.append(f"inject '{inj.id}' asks a question but does not expect an answer")
        if not any(o.verdict == "sound" for o in q.options):
            out.append(f"inject '{inj.id}': no option is sound")
        for o in q.options:
            where = f"inject '{inj.id}' option '{o.id}'"
            if o.verdict is None or not o.why:
                out.append(f"{where}: needs a verdict and a why")
            cap = o.capability or q.capability
            if cap not in CAPABILITIES:
                out.append(f"{where}: capability {cap!r} is not one of the plan's")
    return out


class _Known:
    """Per-role awareness and per-fact evidence by journal seq (as the scorer derives them)."""

    def __init__(self, s: Scenario, events: list[dict[str, Any]]) -> None:
        t = s.truth
        self.aware: dict[str, int] = {}
        self.cause: int | None = None
        self.groups: int | None = None
        self.public: int | None = None
        self.diagnosed: float | None = None  # sim time of the first true diagnosis
        self.delivered: dict[str, tuple[int, float]] = {}
        reveal, group, public = (
            set(t.revealed_by),
            set(t.disaggregation_from),
            set(t.public_after or []),
        )
        for e in events:
            seq = int(e["seq"])
            if e["type"] == "inject_delivered":
                for r in e.get("to") or ():
                    self.aware.setdefault(r, seq)
                self.delivered.setdefault(e["inject"], (seq, float(e["sim"])))
                if e.get("refused"):
                    continue
                ids = {e.get("inject"), e.get("source")} - {None}
                if self.cause is None and ids & reveal:
                    self.cause = seq
                if self.groups is None and ids & group:
                    self.groups = seq
                if self.public is None and ids & public:
                    self.public = seq
            elif e["type"] == "action_taken" and self.aware.get(e["role"], 1 << 60) <= seq:
                p = e.get("params") or {}
                if e["action"] == "diagnose" and p.get("root_cause") == t.root_cause:
                    self.diagnosed = float(e["sim"]) if self.diagnosed is None else self.diagnosed
                pulled: list[str] = []
                if e["action"] == "escalate":
                    pulled = [p["to"]]
                elif e["action"] == "assign_role":
                    pulled = [p["assign"]]
                elif (
                    e["action"] in ("notify", "status_update")
                    and p.get("audience") == "response_team"
                ):
                    pulled = list(s.role_ids)
                elif e["action"] == "consult" and p.get("with") == "legal_advisor":
                    pulled = ["legal_advisor"]
                for r in pulled:
                    self.aware.setdefault(r, seq)


def _clock_start(o: Obligation, s: Scenario, first: dict[str, float], k: _Known) -> float | None:
    """When the obligation's clock starts in this run; None if it never started. A clock
    from the story starts when its inject arrives, at the true diagnosis, or at a set time."""
    trigger: Any = o.trigger
    if isinstance(trigger, str):
        return {
            "start": 0.0,
            "awareness": float(s.truth.awareness),
            "classification": first.get("classify"),
            "resolution": first.get("resolve"),
        }[trigger]
    if trigger.delivered is not None:
        got = k.delivered.get(trigger.delivered)
        return got[1] if got else None
    if trigger.diagnosed:
        return k.diagnosed
    return float(trigger.at)


def _serves(o: Obligation, p: dict[str, Any]) -> bool:
    if p.get("audience") != o.audience:
        return False
    if o.audience != "regulator":
        return True
    return p.get("regulator") in {o.id, o.regime, o.recipient}


def team_problems(
    s: Scenario, events: Iterable[dict[str, Any]], *, model: bool = True
) -> list[str]:
    """Why a team's journal would not earn full credit (model) or answers well (weak)."""
    events = list(events)
    k = _Known(s, events)
    t = s.truth
    acts = [e for e in events if e["type"] == "action_taken"]
    out: list[str] = []
    if not model:
        for e in acts:
            if e["action"] == "answer":
                opt = _option(s, e["params"])
                if opt is not None and opt.verdict == "sound":
                    out.append(f"{_at(e)} the weak team answers '{e['params']['inject']}' soundly")
        return out
    first: dict[str, float] = {}
    tested: set[str] = set()
    fixed_at: float | None = None
    verified_at: float | None = None
    investigated = False
    updates: list[float] = []
    notices: list[dict[str, Any]] = []
    consulted: set[str] = set()
    answered: set[str] = set()
    for e in acts:
        a, r, p, seq, at = (
            e["action"],
            e["role"],
            e.get("params") or {},
            int(e["seq"]),
            float(e["sim"]),
        )
        where = f"{_at(e)} {r} {a}"
        first.setdefault(a, at)
        if k.aware.get(r, 1 << 60) > seq:
            out.append(f"{where}: the role could not know yet")
        allowed = DUTIES.get(a)
        if a == "notify":
            allowed = NOTIFY_DUTIES[p["audience"]]
        elif a == "status_update":
            allowed = UPDATE_DUTIES[p["audience"]]
        elif a == "answer":
            inj = s.inject(p["inject"])
            q = inj.question if inj else None
            allowed = {q.role} if q and q.role else None
        if allowed is not None and r not in allowed:
            out.append(f"{where}: the plan gives this to {', '.join(sorted(allowed))}")
        if a == "investigate":
            investigated = True
        elif a == "classify":
            if p["severity"] != t.severity or set(p["types"]) != set(t.types):
                out.append(f"{where}: {p['severity']} {p['types']} is not the truth")
        elif a == "assess_regulatory":
            applies = {o.id for o in t.obligations if o.applies}
            if set(p["obligations"]) != applies:
                out.append(f"{where}: {p['obligations']} is not {sorted(applies)}")
        elif a == "diagnose":
            if p["root_cause"] != t.root_cause:
                out.append(f"{where}: '{p['root_cause']}' is a wrong guess")
            if k.cause is None or k.cause > seq:
                out.append(f"{where}: nothing in revealed_by had reached the team")
            if not investigated:
                out.append(f"{where}: no investigation before the diagnosis")
        elif a == "assess_impact" and p.get("disaggregated"):
            if k.groups is None or k.groups > seq:
                out.append(f"{where}: disaggregated before the group-level data arrived")
        elif a == "test_fix":
            tested.add(p["option"])
        elif a == "remediate":
            if t.fixes and p["option"] not in t.fixes:
                out.append(f"{where}: {p['option']} does not address the root cause")
            if p.get("tested") and p["option"] not in tested:
                out.append(f"{where}: tested, but no test_fix of {p['option']} before it")
            if "diagnose" not in first:
                out.append(f"{where}: a fix before any diagnosis")
            fixed_at = at if fixed_at is None else fixed_at
        elif a == "verify_fix":
            if fixed_at is None:
                out.append(f"{where}: nothing fixed yet")
            verified_at = at if verified_at is None else verified_at
        elif a == "resolve" and verified_at is None:
            out.append(f"{where}: no verified fix before resolving")
        elif a in ("schedule_review", "final_report", "close") and "resolve" not in first:
            out.append(f"{where}: before resolution")
        elif a == "status_update" and p["audience"] == "response_team":
            updates.append(at)
        elif a == "notify":
            notices.append({**p, "_at": at, "_where": where})
        elif a == "consult":
            consulted.add(p["with"])
        elif a == "public_statement":
            if t.public_after is not None and (k.public is None or k.public > seq):
                out.append(f"{where}: before the incident was public")
            if not {"legal_advisor", "client"} <= consulted:
                out.append(f"{where}: not coordinated with legal counsel and the client")
        elif a == "answer":
            answered.add(p["inject"])
            opt = _option(s, p)
            if opt is None or opt.verdict != "sound":
                out.append(f"{where}: '{p['option']}' is not a sound answer")
            if p["inject"] not in k.delivered or k.delivered[p["inject"]][0] > seq:
                out.append(f"{where}: the question had not been asked yet")
    for inj, _ in k.delivered.items():
        injd = s.inject(inj)
        if injd is not None and injd.question is not None and inj not in answered:
            out.append(f"inject '{inj}' asked a question the model team never answered")
    out += _obligations(s, notices, first, k)
    out += _cadence(s, updates, first)
    return out


def _obligations(
    s: Scenario, notices: list[dict[str, Any]], first: dict[str, float], k: _Known
) -> list[str]:
    out: list[str] = []
    free = list(notices)
    due_by_default = UNDUE_DELAY if s.truth.severity in CADENCE else None
    for o in s.truth.obligations:
        if not o.applies:
            continue
        n = next((n for n in free if _serves(o, n)), None)
        if n is None:
            out.append(f"obligation '{o.id}' has no notice of its own")
            continue
        free.remove(n)
        start = _clock_start(o, s, first, k)
        clock = o.clock if o.clock is not None else due_by_default
        if start is not None and clock is not None and n["_at"] > start + clock:
            out.append(f"obligation '{o.id}': its notice at {n['_at']:.0f} is past its clock")
    # Further notices (a follow-up to an authority's questions) need an obligation too.
    applying = [o for o in s.truth.obligations if o.applies]
    for n in free:
        if n["audience"] in ("regulator", "public", "affected_individuals") and not any(
            _serves(o, n) for o in applying
        ):
            out.append(f"{n['_where']}: a notice to {n['audience']} no obligation calls for")
    return out


def _cadence(s: Scenario, updates: list[float], first: dict[str, float]) -> list[str]:
    every = CADENCE.get(s.truth.severity)
    if every is None or "classify" not in first:
        return []
    end = first.get("resolve", float(s.ends))
    marks = [first["classify"], *[u for u in updates if u <= end], end]
    out: list[str] = []
    for a, b in itertools.pairwise(marks):
        if b - a > every:
            out.append(f"status updates: a gap from {a:.0f} to {b:.0f} (cadence {every:.0f})")
    for a, b in itertools.pairwise(updates):
        if b - a < MIN_GAP:
            out.append(f"status updates at {a:.0f} and {b:.0f}: closer than {MIN_GAP:.0f} min")
    return out


def _option(s: Scenario, p: dict[str, Any]) -> Any:
    inj = s.inject(p["inject"])
    if inj is None or inj.question is None:
        return None
    return next((o for o in inj.question.options if o.id == p["option"]), None)


def _at(e: dict[str, Any]) -> str:
    m = int(float(e["sim"]))
    return f"+{m // 60}:{m % 60:02d}"
