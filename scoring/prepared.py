"""What the scorer knows before it reads a journal: the scenario, the plan and the client.

Everything here is a pure function of those three (frozen) objects — which rules apply at the
true severity, each rule's window with the client's overrides, who carries which duty, the
plan's anchors and diagnosis on its timeline, the precedence order and critical path, the
message budget. The facilitator's console scores after every decision and the readiness
simulation scores thousands of runs of one scenario; each used to work all of it out again,
rule by rule, from the plan's lists. :func:`prepared` builds it once per triple and keeps the
last few (by identity: an entry keeps its three objects alive, so an ``id`` is never reused
while it stands). Per-run facts (the journal's decisions) live in ``scoring.context``.
"""

from __future__ import annotations

from typing import Any

from drillbook.scenarios.conditions import params_match
from drillbook.scenarios.model import Obligation, Scenario
from drillbook.scoring.client import ClientProfile
from drillbook.scoring.plan import DeadlineRule, ResponsePlan, Step

# Parameters by which a step speaks of the client: told (audience), consulted (with).
CLIENT_PARAMS = ("audience", "with")
# The decision that sets each anchor the team controls (its first occurrence).
ANCHOR_ACTIONS: dict[str, str] = {
    "acknowledgement": "acknowledge",
    "classification": "classify",
    "containment": "contain",
    "resolution": "resolve",
}


def about_client(where: dict[str, Any]) -> bool:
    """Whether a step's (or rule's) filter speaks of the client (told, updated, consulted)."""
    return any(
        v == "client" or (isinstance(v, list) and "client" in v)
        for k, v in where.items()
        if k in CLIENT_PARAMS
    )


class Prepared:
    """The scenario, plan and client as every rule reads them, worked out once.

    Tables filled on first use (``_windows``, ``_duties``…) are memos of pure functions of
    the three objects, so filling them lazily changes no answer."""

    def __init__(
        self, scenario: Scenario, plan: ResponsePlan, client: ClientProfile | None
    ) -> None:
        self.scenario = scenario
        self.plan = plan
        self.client = client
        self.severity = scenario.truth.severity
        self.aware = float(scenario.truth.awareness)
        self.steps: dict[str, Step] = {s.id: s for s in plan.steps}
        self.fits: dict[str, list[Step]] = {}  # action → its steps, in plan order
        for s in plan.steps:
            self.fits.setdefault(s.action, []).append(s)
        named = {o.id for o in client.obligations} if client else set()
        self.obligations: list[Obligation] = [
            o for o in scenario.truth.obligations if o.applies or o.id in named
        ]
        types = set(scenario.truth.types)
        # the plan's own rules and steps: memos keyed by their ids hold for as long as the plan
        self._own = {id(x) for x in (*plan.rules, *plan.steps)}
        self._wheres = {id(x.where) for x in (*plan.rules, *plan.steps) if hasattr(x, "where")}
        self._applies = {
            id(r): not r.only_for_types or bool(set(r.only_for_types) & types)
            for r in plan.rules
            if hasattr(r, "only_for_types")
        }
        self._windows: dict[tuple[int, int], int | None] = {}
        self._duties: dict[str, set[str]] = {}
        self._seats: dict[str, list[str]] = {}
        self._takes: dict[tuple[str, str], bool] = {}
        self._shares: dict[tuple[str, str], tuple[float, str]] = {}  # see ``role_share``
        self._step_filters: dict[tuple[str, int], tuple[str, tuple[dict[str, Any], ...]]] = {}
        self._absent: dict[int, bool] = {}
        self.planned = self._planned_anchors()
        self.planned_diagnosis = self._planned_diagnosis()
        self.memo: dict[Any, Any] = {}  # other pure lookups of these three (see users)
        self._filtered: dict[str, tuple[str, ...]] = {}  # action → parameters its steps filter
        self._fitted: dict[tuple[Any, ...], Step | None] = {}  # see ``step_for``
        # a decision's summary and plan step's words by its action and parameters (see
        # ``decisions.facts``)
        self.described: dict[tuple[Any, ...], tuple[str, str | None]] = {}

    def step_for(self, action: str, params: dict[str, Any]) -> Step | None:
        """The plan step a decision with these parameters performs (see :func:`plan_step`).

        Kept per action and the values of the parameters its steps filter on: a simulation's
        runs take the same decisions again and again, and a run asks of each decision in
        several rules and its log. ``params_match`` compares values by equality, so values
        equal in the key fit alike; a list (which fits on overlap) is keyed apart from any
        scalar, and a value that cannot be a key (a mapping) is worked out each time."""
        candidates = self.fits.get(action)
        if not candidates:
            return None
        names = self._filtered.get(action)
        if names is None:
            names = tuple(dict.fromkeys(k for s in candidates for k in s.where))
            self._filtered[action] = names
        if not names:
            return candidates[0]
        key = (action, *[_keyed(params.get(k)) for k in names])
        try:
            return self._fitted[key]
        except KeyError:
            pass
        except TypeError:  # unhashable: not kept
            return plan_step(candidates, params)
        if len(self._fitted) >= _FITTED_SIZE:
            self._fitted.clear()
        found = self._fitted[key] = plan_step(candidates, params)
        return found

    def stand_in(self, where: dict[str, Any]) -> dict[str, Any]:
        """With leadership in the client's place, a filter on the client takes leadership too."""
        if not where or self.scenario.no_client != "leadership" or not about_client(where):
            return where
        out = dict(where)
        for k in CLIENT_PARAMS:
            v = out.get(k)
            if v == "client" or (isinstance(v, list) and "client" in v):
                out[k] = [*(v if isinstance(v, list) else [v]), "leadership"]
        return out

    def step_filters(
        self, step_id: str, where: dict[str, Any] | None, key: tuple[str, int] | None
    ) -> tuple[str, tuple[dict[str, Any], ...]]:
        """The action of a step and the filters a decision of it must fit (the step's own and
        ``where``, each with leadership standing in for an absent client; empty ones left
        out): what ``RunContext.of_step`` asks of each decision. Kept by ``key`` (the step
        and the ``id`` of a filter of the plan's own, or 0 for none; None: not kept)."""
        if key is not None and (known := self._step_filters.get(key)) is not None:
            return known
        step = self.steps[step_id]
        filters = tuple(f for f in (self.stand_in(step.where), self.stand_in(where or {})) if f)
        found = (step.action, filters)
        if key is not None:
            self._step_filters[key] = found
        return found

    def owns_rule(self, rule: Any) -> bool:
        """Whether ``rule`` is one of the plan's own rules or steps (an ``id`` that stays its
        own for as long as the plan, so a memo keyed by it holds)."""
        return id(rule) in self._own

    def owns(self, where: dict[str, Any]) -> bool:
        """Whether ``where`` is the filter of one of the plan's own rules or steps."""
        return id(where) in self._wheres

    # ── rules ───────────────────────────────────────────────────────────────────────────
    def applies(self, rule: Any) -> bool:
        """A rule limited to some incident types applies only when the truth has one."""
        known = self._applies.get(id(rule))
        if known is not None:
            return known
        kinds = getattr(rule, "only_for_types", [])
        return not kinds or bool(set(kinds) & set(self.scenario.truth.types))

    def window(self, rule: Any, table: dict[str, int] | None = None) -> int | None:
        """The rule's window at the true severity: the client's ``windows`` entry, else an SLA
        naming the rule (any severity), else the plan's; None when the rule does not apply."""
        key = (id(rule), id(table))
        if key in self._windows:
            return self._windows[key]
        sev = self.severity
        found: int | None = None
        client_set = False
        if self.client:
            own = self.client.windows.get(rule.id, {})
            if sev in own:
                found, client_set = own[sev], True
            else:
                for sla in self.client.sla:
                    if sla.rule == rule.id and sla.within is not None:
                        found, client_set = sla.within, True
                        break
        if not client_set:
            found = (rule.windows if table is None else table).get(sev)
        if id(rule) in self._own and (
            table is None
            or table is getattr(rule, "undue_delay", None)
            or table is getattr(rule, "every", None)
        ):
            self._windows[key] = found  # the table is the rule's own: it lives as long
        return found

    def absent_client(self, rule: Any) -> bool:
        """A rule (or a step) about the client, in a scenario where nobody takes its place."""
        if self.scenario.no_client != "nobody":
            return False
        known = self._absent.get(id(rule))
        if known is None:
            step = self.steps.get(getattr(rule, "step", "") or "")
            wheres = [getattr(rule, "where", {}), step.where if step else {}]
            known = any(about_client(w) for w in wheres)
            if id(rule) in self._own:
                self._absent[id(rule)] = known
        return known

    # ── roles and duties ────────────────────────────────────────────────────────────────
    def duties_of(self, role: str) -> set[str]:
        """What a role at this table carries: itself, the duties the scenario gives it (plan
        roles or duty kinds), and the duty kinds of every plan role among them."""
        out = self._duties.get(role)
        if out is None:
            own = self.scenario.duties_of(role)
            out = set(own)
            for d in own:
                if (planned := self.plan.role(d)) is not None:
                    out |= set(planned.duties)
            self._duties[role] = out
        return out

    def seats_for(self, duty: str) -> list[str]:
        """The roles in play that carry ``duty`` (a plan role or a duty kind), table order."""
        out = self._seats.get(duty)
        if out is None:
            out = self._seats[duty] = [
                r for r in self.scenario.role_ids if duty in self.duties_of(r)
            ]
        return list(out)

    def takes(self, step: Step, role: str) -> bool:
        """Whether the plan gives ``step`` to ``role`` (directly or by a duty it carries)."""
        own = self.steps.get(step.id) is step
        key = (step.id, role)
        known = self._takes.get(key) if own else None
        if known is None:
            wanted = {*step.roles, *step.duties}
            known = not wanted or bool(wanted & self.duties_of(role))
            if own:
                self._takes[key] = known
        return known

    def role_share(self, step: Step | None, role: str) -> tuple[float, str]:
        """The share of ``step``'s credit ``role`` earns and the plan's words when it is not
        the role's duty (see ``RunContext.role_credit``): the plan's and the scenario's
        alone, so kept per step and role (a run's decisions take a few steps from a few
        seats, again and again)."""
        if step is None:
            return _FULL_SHARE
        own = self.steps.get(step.id) is step
        key = (step.id, role)
        known = self._shares.get(key) if own else None
        if known is None:
            known = self._role_share(step, role)
            if own:
                self._shares[key] = known
        return known

    def _role_share(self, step: Step, role: str) -> tuple[float, str]:
        if self.takes(step, role):
            return _FULL_SHARE
        plan = self.plan
        owners = " or ".join(
            [(r.title if (r := plan.role(o)) else o.replace("_", " ")) for o in step.roles]
            + [d.replace("_", " ") for d in step.duties]
        )
        words = f"done by {role}; the plan gives this to the {owners}"
        own = plan.role(role)
        if own and own.not_duty:
            words += f" ({own.not_duty})"
        return plan.discipline.wrong_role_credit, words

    # ── the plan's timeline ─────────────────────────────────────────────────────────────
    def planned_anchor(self, name: str) -> float:
        if name == "start":
            return 0.0
        if name == "awareness":
            return self.aware
        return self.planned[name]

    def _planned_anchors(self) -> dict[str, float]:
        """Each team-set anchor on the plan's timeline: the earliest due of a deadline rule on
        the decision that sets it (timed from start or awareness); awareness if none."""
        aware = self.aware
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

    def _planned_diagnosis(self) -> float | None:
        """When the plan has the root cause diagnosed: its earliest diagnosis deadline."""
        dues = [
            self.planned_anchor(r.anchor) + w
            for r in self.plan.rules
            if isinstance(r, DeadlineRule)
            and not r.obligations
            and (step := self.steps.get(r.step)) is not None
            and step.action == "diagnose"
            and self.applies(r)
            and (w := self.window(r)) is not None
        ]
        return min(dues, default=None)


def plan_step(candidates: list[Step], params: dict[str, Any]) -> Step | None:
    """The first step the decision fits (specific steps come first in a plan), else the
    first step of the same action."""
    for s in candidates:
        if params_match(params, s.where):
            return s
    return candidates[0] if candidates else None


_FULL_SHARE = (1.0, "")  # the whole of a step's credit, no words
_LIST = object()  # marks a list in a ``step_for`` key: no parameter's value is this object
_FITTED_SIZE = 4096


def _keyed(value: Any) -> Any:
    return (_LIST, *value) if isinstance(value, list) else value


_KEPT: list[Prepared] = []  # the last few, newest last
_SIZE = 8


def prepared(scenario: Scenario, plan: ResponsePlan, client: ClientProfile | None) -> Prepared:
    """The :class:`Prepared` of these three objects (by identity), built on first use."""
    for p in reversed(_KEPT):
        if p.scenario is scenario and p.plan is plan and p.client is client:
            return p
    p = Prepared(scenario, plan, client)
    _KEPT[:] = [*_KEPT[-(_SIZE - 1) :], p]
    return p
