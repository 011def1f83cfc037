"""What the scorer knows about one run: the decisions, the clock, the anchors, the windows.

Built once per ``score`` call from the journal's events, then read by every rule. Decisions
are indexed by action so each rule looks only at its own (no scan of the whole journal per
rule); anchors and windows are resolved once, with the client profile's overrides applied.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from scenarios.actions import SEVERITIES
from scenarios.model import Obligation, Scenario

from .client import ClientProfile
from .plan import Anchor, DeadlineRule, ResponsePlan, Step

EPSILON = 1e-9
# The decision that sets each anchor the team controls (its first occurrence).
ANCHOR_ACTIONS: dict[str, str] = {
    "acknowledgement": "acknowledge",
    "classification": "classify",
    "resolution": "resolve",
}


@dataclass(frozen=True)
class Act:
    """One decision as journaled (``action_taken``)."""

    seq: int
    sim: float
    role: str
    action: str
    params: dict[str, Any]


def matches(params: dict[str, Any], where: dict[str, Any]) -> bool:
    """Whether parameters fit a ``where`` filter (any overlap for lists, as in conditions)."""
    for key, want in where.items():
        have = params.get(key)
        wants = want if isinstance(want, list) else [want]
        haves = have if isinstance(have, list) else [have]
        if not any(h in wants for h in haves):
            return False
    return True


@dataclass
class RunContext:
    """One run, as every rule of the plan needs to see it."""

    scenario: Scenario
    plan: ResponsePlan
    client: ClientProfile | None
    acts: list[Act]
    end: float  # the end of play, or the last event of a run still in progress
    final: bool  # the run has ended: a step not taken is missed, not pending
    seed: int
    by_action: dict[str, list[Act]] = field(default_factory=dict)
    steps: dict[str, Step] = field(default_factory=dict)
    planned: dict[str, float] = field(default_factory=dict)  # anchor → on the plan's timeline
    memo: dict[Any, Any] = field(default_factory=dict)  # lookups repeated within this one call

    @classmethod
    def build(
        cls,
        scenario: Scenario,
        plan: ResponsePlan,
        events: list[dict[str, Any]],
        client: ClientProfile | None,
    ) -> RunContext:
        acts: list[Act] = []
        end = 0.0
        final = False
        seed = 0
        for e in events:
            kind = e.get("type")
            if kind == "action_taken":
                acts.append(
                    Act(
                        int(e["seq"]),
                        float(e["sim"]),
                        e["role"],
                        e["action"],
                        e.get("params") or {},
                    )
                )
            elif kind == "run_started":
                seed = int(e.get("seed") or 0)
            elif kind == "run_ended":
                final = True
            end = max(end, float(e.get("sim", 0.0)))
        ctx = cls(scenario, plan, client, acts, end, final, seed)
        for a in acts:
            ctx.by_action.setdefault(a.action, []).append(a)
        ctx.steps = {s.id: s for s in plan.steps}
        ctx.planned = ctx._planned_anchors()
        return ctx

    # ── the scenario's truth ────────────────────────────────────────────────────────────
    @property
    def severity(self) -> str:
        return self.scenario.truth.severity

    def applies(self, rule: Any) -> bool:
        """A rule limited to some incident types applies only when the truth has one."""
        kinds = getattr(rule, "only_for_types", [])
        return not kinds or bool(set(kinds) & set(self.scenario.truth.types))

    def obligations(self) -> list[Obligation]:
        """Obligations that bind this run: the scenario's that apply, plus any the client's
        profile names (a client-specific obligation applies to this client)."""
        named = {o.id for o in self.client.obligations} if self.client else set()
        return [o for o in self.scenario.truth.obligations if o.applies or o.id in named]

    # ── decisions ───────────────────────────────────────────────────────────────────────
    def of_step(self, step_id: str, where: dict[str, Any] | None = None) -> list[Act]:
        """The team's decisions that perform a step (in journal order)."""
        step = self.steps[step_id]
        return [
            a
            for a in self.by_action.get(step.action, [])
            if matches(a.params, step.where) and (not where or matches(a.params, where))
        ]

    def first(self, action: str) -> Act | None:
        acts = self.by_action.get(action)
        return acts[0] if acts else None

    # ── windows and anchors ─────────────────────────────────────────────────────────────
    def window(self, rule: Any, table: dict[str, int] | None = None) -> int | None:
        """The rule's window at the true severity: the client's ``windows`` entry, else an SLA
        naming the rule (any severity), else the plan's; None when the rule does not apply."""
        sev = self.severity
        if self.client:
            own = self.client.windows.get(rule.id, {})
            if sev in own:
                return own[sev]
            for sla in self.client.sla:
                if sla.rule == rule.id and sla.within is not None:
                    return sla.within
        table = rule.windows if table is None else table
        return table.get(sev)

    def anchor(self, name: Anchor | str) -> float:
        """When an anchor counts from: the team's first such decision, but never later than
        the plan's time for it (a step not taken counts from the plan's time).

        The cap keeps "doing a step later never raises the score" true: classifying four
        hours late must not shrink the updates owed since classification, nor resolving late
        push the review's deadline out. Early, the team's own time counts: "immediately upon
        classification" means upon the team's classification.
        """
        if name == "start":
            return 0.0
        if name == "awareness":
            return float(self.scenario.truth.awareness)
        first = self.first(ANCHOR_ACTIONS[name])
        planned = self.planned[name]
        return min(first.sim, planned) if first else planned

    def _planned_anchors(self) -> dict[str, float]:
        """Each team-set anchor on the plan's timeline: the earliest due of a deadline rule on
        the decision that sets it (timed from start or awareness); awareness if none."""
        aware = float(self.scenario.truth.awareness)
        out: dict[str, float] = {}
        for anchor, action in ANCHOR_ACTIONS.items():
            dues = []
            for r in self.plan.rules:
                if (
                    not isinstance(r, DeadlineRule)
                    or r.obligations
                    or r.anchor not in ("start", "awareness")
                ):
                    continue
                step = self.steps.get(r.step)
                w = self.window(r)
                if step is None or step.action != action or w is None or not self.applies(r):
                    continue
                dues.append((0.0 if r.anchor == "start" else aware) + w)
            out[anchor] = min(dues, default=aware)
        return out

    def planned_anchor(self, name: str) -> float:
        if name == "start":
            return 0.0
        if name == "awareness":
            return float(self.scenario.truth.awareness)
        return self.planned[name]

    # ── credit ──────────────────────────────────────────────────────────────────────────
    def credit(self, done: float, due: float, window: float) -> float:
        """Full credit up to ``due``, then linear to nothing at due + grace (see Timing)."""
        late = done - due
        if late <= EPSILON:
            return 1.0
        t = self.plan.timing
        grace = max(window * t.grace_factor, float(t.min_grace))
        if grace <= 0:
            return 0.0
        return max(0.0, 1.0 - late / grace)


def severity_rank(severity: str) -> int:
    """0 for critical … 3 for low: a larger number is a lower severity."""
    return SEVERITIES.index(severity)


def ceil_minutes(t: float) -> int:
    return math.ceil(t - EPSILON)
