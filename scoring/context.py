"""What the scorer knows about one run: the decisions, the clock, the anchors, the windows.

Built once per ``score`` call from the journal's events, then read by every rule. Decisions
are indexed by action so each rule looks only at its own (no scan of the whole journal per
rule); anchors and windows are resolved once, with the client profile's overrides applied.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from drillbook.scenarios.actions import SEVERITIES
from drillbook.scenarios.conditions import params_match
from drillbook.scenarios.model import Obligation, Scenario
from drillbook.scoring.acts import Act, counted
from drillbook.scoring.client import ClientProfile
from drillbook.scoring.effects import Effect, containment_effects
from drillbook.scoring.knowledge import Knowledge
from drillbook.scoring.plan import Anchor, ResponsePlan, Step
from drillbook.scoring.prepared import (
    ANCHOR_ACTIONS,
    CLIENT_PARAMS,  # noqa: F401 - re-exported: where the plan's timeline reads it
    Prepared,
    about_client,
    plan_step,  # noqa: F401 - re-exported: where the decision log and tests have read it
    prepared,
)
from drillbook.simulator.events import EPSILON, Kind

# What evaluators say in a journal: ratings, notes and hot-wash lessons (the scorer's
# ``_evaluator`` reads them; ``build`` lists them in its one pass).
EVALUATED = frozenset({Kind.RATING, Kind.EVALUATOR_NOTE, Kind.LESSON})


@dataclass
class RunContext:
    """One run, as every rule of the plan needs to see it."""

    scenario: Scenario
    plan: ResponsePlan
    client: ClientProfile | None
    acts: list[Act]  # every decision, in journal order (the decision log's)
    end: float  # the end of play, or the last event of a run still in progress
    final: bool  # the run has ended: a step not taken is missed, not pending
    seed: int
    knowledge: Knowledge = field(default_factory=Knowledge)
    effects: dict[int, Effect] = field(default_factory=dict)  # contain seq → what it did
    by_action: dict[str, list[Act]] = field(default_factory=dict)  # decisions that count
    steps: dict[str, Step] = field(default_factory=dict)
    planned: dict[str, float] = field(default_factory=dict)  # anchor → on the plan's timeline
    memo: dict[Any, Any] = field(default_factory=dict)  # lookups repeated within this one call
    # (index in the journal, line) of what evaluators said (``EVALUATED``), in journal order
    evaluated: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    # the scenario, plan and client as every rule reads them (shared by every run of them)
    prep: Prepared | None = None
    # ``prep``, never None once made: the rules ask through it hundreds of times a score, and
    # a property that asserts it is set cost a call each time
    _p: Prepared = field(init=False, repr=False, compare=False)
    # (step id, id of a filter of the plan's own or 0) → what ``of_step`` found
    _of_step: dict[tuple[str, int], list[Act]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    # seq → what ``correct`` says of the decision (asked by several rules and the anchors)
    _right: dict[int, tuple[bool, str]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _anchors: dict[str, float] = field(  # see ``anchor``
        init=False, repr=False, compare=False, default_factory=dict
    )
    # id of a decision → (the decision, what ``role_credit`` says of it)
    _shares: dict[int, tuple[Act, tuple[float, str]]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        if self.prep is None:
            self.prep = prepared(self.scenario, self.plan, self.client)
        self._p = self.prep

    @classmethod
    def build(
        cls,
        scenario: Scenario,
        plan: ResponsePlan,
        events: list[dict[str, Any]],
        client: ClientProfile | None,
        *,
        own_history: bool = False,
    ) -> RunContext:
        """``own_history``: ``events`` is a live session's own history (see
        :func:`~scoring.effects.containment_effects`)."""
        end = 0.0
        final = False
        seed = 0
        started, ended, decided = Kind.RUN_STARTED, Kind.RUN_ENDED, Kind.DECISION
        decisions: list[dict[str, Any]] = []
        contains: list[dict[str, Any]] = []
        evaluated: list[tuple[int, dict[str, Any]]] = []
        said = EVALUATED
        # one pass: the end of play, the seed, the decisions (the containments among them)
        # and what evaluators said, for every reader after (no other walk of the journal)
        for i, e in enumerate(events):
            kind = e.get("type")
            if kind == decided:
                decisions.append(e)
                if e.get("action") == "contain":
                    contains.append(e)
            elif kind == started:
                seed = int(e.get("seed") or 0)
            elif kind == ended:
                final = True
            elif kind in said:
                evaluated.append((i, e))
            sim = float(e.get("sim", 0.0))
            if sim > end:
                end = sim
        knowledge = Knowledge.build(scenario, events)
        acts: list[Act] = []
        tests: set[str] = set()  # fix options tried outside production so far
        for e in decisions:
            act = counted(scenario, knowledge, e, tests)
            acts.append(act)
            if act.known and act.action == "test_fix":
                tests.add(str(act.params.get("option")))
        prep = prepared(scenario, plan, client)
        ctx = cls(scenario, plan, client, acts, end, final, seed, knowledge, prep=prep)
        ctx.evaluated = evaluated
        ctx.effects = containment_effects(
            scenario, events, end, seed, own_history=own_history, contains=contains
        )
        for a in acts:
            if a.known:
                ctx.by_action.setdefault(a.action, []).append(a)
        ctx.steps = prep.steps
        ctx.planned = prep.planned
        return ctx

    # ── the scenario's truth ────────────────────────────────────────────────────────────
    @property
    def severity(self) -> str:
        return self.scenario.truth.severity

    def applies(self, rule: Any) -> bool:
        """A rule limited to some incident types applies only when the truth has one."""
        return self._p.applies(rule)

    def obligations(self) -> list[Obligation]:
        """Obligations that bind this run: the scenario's that apply, plus any the client's
        profile names (a client-specific obligation applies to this client)."""
        return list(self._p.obligations)

    # ── decisions ───────────────────────────────────────────────────────────────────────
    def of_step(self, step_id: str, where: dict[str, Any] | None = None) -> list[Act]:
        """The team's decisions that perform a step (in journal order).

        Asked again and again by the rules (a deadline, its cadence, the plan's timeline),
        so kept for this call when ``where`` is none or a filter of the plan's own (whose
        ``id`` stays its own for as long as the plan: a filter made for the question is not
        kept). The list returned is the one kept: callers read it and never change it."""
        prep = self._p
        if not where:
            key: tuple[str, int] | None = (step_id, 0)
        elif prep.owns(where):
            key = (step_id, id(where))
        else:
            key = None
        memo = self._of_step
        if key is not None and (known := memo.get(key)) is not None:
            return known
        action, filters = prep.step_filters(step_id, where, key)
        acts = self.by_action.get(action, ())
        if not filters:  # ``params_match`` with an empty filter holds: not asked
            found = list(acts)
        elif len(filters) == 1:
            one = filters[0]
            found = [a for a in acts if params_match(a.params, one)]
        else:
            own, extra = filters
            found = [
                a for a in acts if params_match(a.params, own) and params_match(a.params, extra)
            ]
        if key is not None:
            memo[key] = found
        return found

    def first(self, action: str) -> Act | None:
        acts = self.by_action.get(action)
        return acts[0] if acts else None

    def first_correct(self, action: str) -> Act | None:
        return next((a for a in self.by_action.get(action, ()) if self.correct(a)[0]), None)

    def resolution(self) -> Act | None:
        """The resolution of record: the first ``resolve`` after a verified fix that addresses
        the root cause. Declaring the incident resolved earlier resolves nothing."""
        return self.first_correct("resolve")

    # ── what a decision got right ───────────────────────────────────────────────────────
    def correct(self, act: Act) -> tuple[bool, str]:
        """Whether a decision is right on what the scenario's truth and meters say, and why
        not. Deadline rules time the first *correct* decision of their step."""
        known = self._right.get(act.seq)
        if known is None:
            known = self._right[act.seq] = self._correct(act)
        return known

    def _correct(self, act: Act) -> tuple[bool, str]:
        truth = self.scenario.truth
        p = act.params
        if act.action == "classify":
            declared = str(p.get("severity"))
            if severity_rank(declared) > severity_rank(truth.severity):
                return False, f"under-classified: {declared}, the truth is {truth.severity}"
        elif act.action == "diagnose":
            if p.get("root_cause") != truth.root_cause:
                return False, f"wrong cause: {p.get('root_cause')}"
        elif act.action == "assess_regulatory":
            missed = sorted({o.id for o in self.obligations()} - set(p.get("obligations") or []))
            if missed:
                return False, f"missed {', '.join(missed)}"
        elif act.action == "contain":
            effect = self.effects.get(act.seq)
            if effect is not None and not effect.effective:
                return False, effect.note
        elif act.action in ("remediate", "test_fix"):
            if truth.fixes and p.get("option") not in truth.fixes:
                return False, f"{p.get('option')} does not address the root cause"
            diagnosed = [a for a in self.by_action.get("diagnose", ()) if a.seq < act.seq]
            if not any(self.correct(a)[0] for a in diagnosed):
                return False, "a guess: the root cause had not been found"
        elif act.action == "verify_fix":
            fixes = [a for a in self.by_action.get("remediate", ()) if a.seq < act.seq]
            if not any(self.correct(a)[0] for a in fixes):
                why = "no fix had been deployed" if not fixes else "the fix does not address it"
                return False, f"verification fails: {why}"
        elif act.action == "resolve":
            checks = [a for a in self.by_action.get("verify_fix", ()) if a.seq < act.seq]
            if not any(self.correct(a)[0] for a in checks):
                return False, "nothing resolved: no verified fix before it"
        return True, ""

    # ── a scenario with no outside client ───────────────────────────────────────────────
    def about_client(self, where: dict[str, Any]) -> bool:
        """Whether a step's (or rule's) filter speaks of the client (told, updated, consulted)."""
        return about_client(where)

    def absent_client(self, rule: Any) -> bool:
        """A rule (or a step) about the client, in a scenario where nobody takes its place."""
        return self._p.absent_client(rule)

    def duties_of(self, role: str) -> set[str]:
        """What a role at this table carries: itself, the duties the scenario gives it (plan
        roles or duty kinds), and the duty kinds of every plan role among them."""
        return set(self._p.duties_of(role))

    def seats_for(self, duty: str) -> list[str]:
        """The roles in play that carry ``duty`` (a plan role or a duty kind), table order."""
        return self._p.seats_for(duty)

    def takes(self, step: Step, role: str) -> bool:
        """Whether the plan gives ``step`` to ``role`` (directly or by a duty it carries)."""
        return self._p.takes(step, role)

    def role_credit(self, act: Act) -> tuple[float, str]:
        """The share of a step's credit the deciding role earns, and what the plan says.

        The plan's duties say who takes each step; a step taken by another role still counts,
        at the plan's reduced credit, with a verdict that names whose duty it was. A role of
        the scenario's own takes the steps of the duties the scenario gives it.

        Kept for this call by the decision (a deadline, a coverage, a cadence and the
        plan's timeline ask of the same one); the entry holds the decision, so its ``id``
        is not reused while the entry stands."""
        kept = self._shares.get(id(act))
        if kept is not None and kept[0] is act:
            return kept[1]
        share = self._share(act)
        self._shares[id(act)] = (act, share)
        return share

    def _share(self, act: Act) -> tuple[float, str]:
        return self._p.role_share(self._p.step_for(act.action, act.params), act.role)

    def step_of(self, act: Act) -> Step | None:
        """The plan step a decision performs: the first whose filter it fits."""
        return self._p.step_for(act.action, act.params)

    # ── windows and anchors ─────────────────────────────────────────────────────────────
    def window(self, rule: Any, table: dict[str, int] | None = None) -> int | None:
        """The rule's window at the true severity: the client's ``windows`` entry, else an SLA
        naming the rule (any severity), else the plan's; None when the rule does not apply."""
        return self._p.window(rule, table)

    def anchor(self, name: Anchor | str) -> float:
        """When an anchor counts from: the team's first such decision, but never later than
        the plan's time for it (a step not taken counts from the plan's time).

        The cap keeps "doing a step later never raises the score" true: classifying four
        hours late must not shrink the updates owed since classification, nor resolving late
        push the review's deadline out. Early, the team's own time counts: "immediately upon
        classification" means upon the team's classification.

        Kept for this call by name (every deadline, coverage and cadence rule asks it).
        """
        known = self._anchors.get(name)
        if known is None:
            known = self._anchors[name] = self._anchor(name)
        return known

    def _anchor(self, name: Anchor | str) -> float:
        if name == "start":
            return 0.0
        if name == "awareness":
            return float(self.scenario.truth.awareness)
        if name == "resolution":
            first = self.resolution()
        elif name == "containment":  # a containment that stopped the harm
            first = self.first_correct("contain")
        else:
            first = self.first(ANCHOR_ACTIONS[name])
        planned = self.planned[name]
        return min(first.sim, planned) if first else planned

    # ── clocks that start from the story ────────────────────────────────────────────────
    def diagnosis(self) -> Act | None:
        """The team's first diagnosis of the true root cause (with the evidence for it)."""
        return self.first_correct("diagnose")

    def planned_diagnosis(self) -> float | None:
        """When the plan has the root cause diagnosed: its earliest diagnosis deadline."""
        return self._p.planned_diagnosis

    def clock_start_diagnosed(self) -> float | None:
        """A clock that runs from the diagnosis starts at the team's diagnosis, but never later
        than the plan's (a team that never names the cause does not stop the clock)."""
        found = self.diagnosis()
        planned = self.planned_diagnosis()
        times = [t for t in (found.sim if found else None, planned) if t is not None]
        return min(times, default=None)

    def clock_start(self, ob: Obligation) -> float | None:
        """When an obligation's clock starts in this run (None: its trigger never happened)."""
        trigger = ob.trigger
        if isinstance(trigger, str):
            return self.anchor(trigger)
        if trigger.delivered is not None:
            return self.knowledge.delivered_sim.get(trigger.delivered)
        if trigger.diagnosed:
            return self.clock_start_diagnosed()
        return float(trigger.at or 0)

    def planned_clock_start(self, ob: Obligation) -> float | None:
        """The same on the plan's timeline: a scheduled inject at its time, one that waits on
        a condition when it reached this team, the diagnosis at the plan's deadline."""
        trigger = ob.trigger
        if isinstance(trigger, str):
            return self.planned_anchor(trigger)
        if trigger.delivered is not None:
            inj = self.scenario.inject(trigger.delivered)
            if inj is not None and inj.at is not None:
                return float(inj.at)
            return self.knowledge.delivered_sim.get(trigger.delivered)
        if trigger.diagnosed:
            return self.planned_diagnosis()
        return float(trigger.at or 0)

    def planned_anchor(self, name: str) -> float:
        return self._p.planned_anchor(name)

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
