"""What the team could know, and when: the ground a decision must stand on to earn credit.

A score that rewards decisions nobody could have made yet rewards clicking, not readiness: a
script that contains, notifies and diagnoses at ``+0:00``, before the first alert reaches
anyone, would otherwise score like a team that responded. So, from the journal alone:

* **Awareness is per role.** A role is aware once an inject reached it (a page, a call, a
  finding it asked for), or once a role that was already aware pulled it in: an escalation to
  it, an assignment of it, a notice or update to the whole response team, a consultation of it.
  A decision by a role that is not aware yet could not have been made on what it knew.
* **Evidence is per fact.** The root cause is known once a finding of one of the sources the
  scenario's truth names (``revealed_by``) came back, not refused, or one of the injects it
  names was delivered; with no list, any finding counts. The group-level data a disaggregated
  impact assessment needs works the same way (``disaggregation_from``). The story is public
  once one of ``public_after`` was delivered.

Everything is keyed by journal ``seq``: what happened at the same minute but earlier in the
journal was known; what came later was not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from drillbook.scenarios.model import Scenario
from drillbook.simulator.events import Kind

# Decisions by an aware role that make another role aware: action → how to find the role(s).
_TEAM_WIDE = ("response_team",)


@dataclass
class Knowledge:
    """When each role became aware and when each judged fact reached the team (by ``seq``)."""

    aware: dict[str, int] = field(default_factory=dict)  # role → seq it became aware at
    root_cause: int | None = None  # seq at which the root cause reached the team
    disaggregation: int | None = None
    public: int | None = None  # seq at which the incident became public
    public_judged: bool = False  # the scenario says when it goes public
    delivered: dict[str, int] = field(default_factory=dict)  # inject id → first delivery seq
    delivered_sim: dict[str, float] = field(default_factory=dict)  # … and its sim time

    def is_aware(self, role: str, seq: int) -> bool:
        at = self.aware.get(role)
        return at is not None and at <= seq

    def knew_cause(self, seq: int) -> bool:
        return self.root_cause is not None and self.root_cause <= seq

    def had_group_data(self, seq: int) -> bool:
        return self.disaggregation is not None and self.disaggregation <= seq

    def was_public(self, seq: int) -> bool:
        return self.public is not None and self.public <= seq

    @classmethod
    def build(cls, scenario: Scenario, events: Iterable[dict[str, Any]]) -> Knowledge:
        truth = scenario.truth
        roles = list(scenario.role_ids)
        k = cls(public_judged=truth.public_after is not None)
        reveal = set(truth.revealed_by)
        group = set(truth.disaggregation_from)
        public = set(truth.public_after or [])
        aware, delivered, delivered_sim = k.aware, k.delivered, k.delivered_sim
        inject_kind, decision_kind = Kind.INJECT_DELIVERED, Kind.DECISION
        for e in events:
            kind = e.get("type")
            if kind == decision_kind:
                action = e.get("action")
                if not isinstance(action, str) or action not in _PULLING:  # most pull nobody in
                    continue
                seq = int(e.get("seq", 0))
                at = aware.get(str(e.get("role")))
                if at is None or at > seq:  # not aware yet (``is_aware``)
                    continue
                for role in _pulled_in(action, e.get("params") or {}, roles, scenario):
                    aware.setdefault(role, seq)
                continue
            seq = int(e.get("seq", 0))
            if kind == inject_kind:
                inject = e.get("inject")
                name = str(inject)
                if name not in delivered:  # the two are filled together
                    delivered[name] = seq
                    delivered_sim[name] = float(e.get("sim", 0.0))
                for role in e.get("to") or ():
                    aware.setdefault(role, seq)
                finding = e.get("kind") == "finding"
                if finding and e.get("refused"):
                    continue
                learnt = k.root_cause is not None and k.disaggregation is not None
                if learnt and (k.public is not None or not public):
                    continue  # every fact the team can learn has reached it
                ids = {inject, e.get("source")} - {None}
                if k.root_cause is None and (ids & reveal or (finding and not reveal)):
                    k.root_cause = seq
                if k.disaggregation is None and (ids & group or (finding and not group)):
                    k.disaggregation = seq
                if k.public is None and ids & public:
                    k.public = seq
        return k


# The actions ``_pulled_in`` can name a role for: any other pulls nobody in.
_PULLING = frozenset({"escalate", "assign_role", "notify", "status_update", "consult"})


def _pulled_in(
    action: Any, params: dict[str, Any], roles: list[str], scenario: Scenario
) -> list[str]:
    """The roles a decision by an aware role makes aware (consulting legal counsel reaches
    whichever role carries the legal advisor's duty)."""
    if action == "escalate":
        return [str(params.get("to"))]
    if action == "assign_role":
        return [str(params.get("assign"))]
    if action in ("notify", "status_update") and params.get("audience") in _TEAM_WIDE:
        return roles
    if action == "consult" and params.get("with") == "legal_advisor":
        return scenario.filling("legal_advisor") or ["legal_advisor"]
    return []
