"""The response plan as a to-do list: which steps the plan requires, who may take each, when
a step is ready, and the parameters a person following the plan gives it.

Built once per scenario, plan, client and team model and shared by every run (a run copies
only the task list). The plan decides the order (its ``steps``), the duty (a step's
``roles``), the prerequisites (a step's ``after`` and the precedence rules) and the content
(a step's ``params`` and ``where``); the scenario's truth decides what a person who has seen
the evidence concludes; the team model decides who can reach which source and who knows
which system.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from drillbook.readiness.containment import guide
from drillbook.readiness.team import TeamModel
from drillbook.scenarios.actions import params_of, parse_action
from drillbook.scenarios.model import Question, Scenario
from drillbook.scenarios.references import action_problems
from drillbook.scoring.client import ClientProfile
from drillbook.scoring.plan import CadenceRule, GuardRule, PrecedenceRule, ResponsePlan, Step
from drillbook.simulator.commands import Decide

if TYPE_CHECKING:
    from drillbook.readiness.autopilot import Autopilot
    from drillbook.readiness.duties import Seat

_DECISIONS_KEPT = 4096  # distinct decisions remembered (a few dozen per plan and team)
REVIEW_AFTER = 3 * 1440  # the review is booked three days after resolution
ITEM_DUE = 7 * 1440  # action items fall due a week after they are set
UPDATE_AHEAD = 15  # minutes: a status update is started up to this long before it is due
# What the spokesperson says, in any scenario: nothing scores its wording, and a statement
# written for one story (the flagship's "sales stopped; refunds") read oddly in the others.
STATEMENT = (
    "We found an error in one of our automated systems and have stopped the harm it was "
    "doing; we are putting it right for those affected and will say more as we learn it."
)
_EVENTFUL = ("investigate",)
NEVER = object()  # what a task waits for that will never be known (``Playbook.waits_for``)


@dataclass
class Task:
    """One step of the plan on a run's to-do list: who may take it, with what, once what holds."""

    step: str
    action: str
    roles: list[str]
    params: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    needs: tuple[str, ...] = ()  # facts that must hold before it can start
    claimed: bool = False
    done: bool = False
    # the fact it was last found waiting for (None: not looked at yet; see ``waits_for``)
    waits: object = field(default=None, compare=False, repr=False)

    def fresh(self) -> Task:
        """A copy for one run, with its own parameters: the fields copied as one dict, not
        passed through ``__init__`` (``dataclasses.replace``, then the constructor, were a
        visible share of starting a run). Only a plan's template is copied, never played:
        its claimed, done and waits are the defaults."""
        twin = object.__new__(Task)
        twin.__dict__ = {**self.__dict__, "params": dict(self.params)}
        return twin


class Playbook:
    def __init__(
        self,
        scenario: Scenario,
        plan: ResponsePlan,
        client: ClientProfile | None,
        team: TeamModel,
    ) -> None:
        self.scenario, self.plan, self.team = scenario, plan, team
        truth = scenario.truth
        self.severity = truth.severity
        self.revealing = set(truth.revealed_by) or {s.id for s in scenario.sources}
        self.public_after = set(truth.public_after or [])
        self.questions: dict[str, Question] = {
            i.id: i.question
            for i in scenario.injects
            if i.question is not None and any(o.verdict for o in i.question.options)
        }
        self.sources = {s.id: s for s in scenario.sources}
        in_play = set(scenario.role_ids)
        named = {o.id for o in client.obligations} if client else set()
        self.obligations = [o for o in truth.obligations if o.applies or o.id in named]
        required, before = self._required(plan)
        self.steps: list[Step] = [s for s in plan.steps if s.id in required]
        self.template: list[Task] = []
        for step in self.steps:
            roles = [r for r in (step.roles or scenario.role_ids) if r in in_play]
            needs = tuple(f"done:{a}" for a in step.after if a in required)
            needs += tuple(f"done:{b}" for b in before.get(step.id, ()) if b in required)
            self.template += self._tasks(step, roles, needs)
        self.every = self._cadence(plan)
        self.delays = sorted({float(i.delay) for i in scenario.injects if i.when and i.delay})
        self.familiar = self._familiar_people(team)
        self.containment = guide(scenario)
        self.contain_task = next((t for t in self.template if t.action == "contain"), None)
        # role, decision data → the command ``decision`` made of it (None: not a valid one)
        self._decisions: dict[tuple[str, str], Decide | None] = {}

    # ── built once ─────────────────────────────────────────────────────────────────────
    def _required(self, plan: ResponsePlan) -> tuple[set[str], dict[str, list[str]]]:
        types = set(self.scenario.truth.types)
        required: set[str] = set()
        before: dict[str, list[str]] = {}
        for rule in plan.rules:
            kinds = getattr(rule, "only_for_types", [])
            if kinds and not set(kinds) & types:
                continue
            windows = getattr(rule, "windows", None)
            if windows and self.severity not in windows and not isinstance(rule, CadenceRule):
                continue
            if isinstance(rule, PrecedenceRule):
                for after in rule.after:
                    before.setdefault(after, []).append(rule.before)
                required.update([rule.before, *rule.after])
                continue
            step = getattr(rule, "step", None)
            if step:
                required.add(step)
            if isinstance(rule, GuardRule):
                required.update(rule.requires_before)
        # A step the plan puts before a required one is the plan's too (escalating, before
        # the Incident Commander activates the team).
        steps = {s.id: s for s in plan.steps}
        grown = True
        while grown:
            more = {a for sid in required if sid in steps for a in steps[sid].after} - required
            required |= more
            grown = bool(more)
        return required, before

    def _tasks(self, step: Step, roles: list[str], needs: tuple[str, ...]) -> list[Task]:
        base = {**step.params, **{k: v[0] if isinstance(v, list) and k != "items" else v
                                  for k, v in step.where.items()}}  # fmt: skip
        t = self.scenario.truth
        make = lambda **kw: Task(step.id, step.action, roles, {**base, **kw}, needs=needs)  # noqa: E731
        a = step.action
        if a == "assign_role":
            lead = "incident_commander"
            return [make(assign=r) for r in self.scenario.role_ids if r != lead]
        if a == "notify" and step.id == "notify-other":
            return [
                make(
                    audience=o.audience,
                    **({"regulator": o.id} if o.audience == "regulator" else {}),
                )
                for o in self.obligations
            ]
        if a == "investigate":
            out = []
            for src in self.scenario.sources:
                allowed = [r for r in roles if r in src.access]
                if allowed:
                    out.append(Task(step.id, a, allowed, {"source": src.id}, src.id, needs))
            return out
        if a == "classify":
            return [make(severity=t.severity, types=list(t.types))]
        if a == "assess_regulatory":
            return [make(obligations=[o.id for o in self.obligations])]
        if a == "diagnose":
            return [replace(make(root_cause=t.root_cause), needs=(*needs, "evidence"))]
        if a in ("test_fix", "remediate"):
            option = t.fixes[0] if t.fixes else base.get("option", "patch")
            return [replace(make(option=option), needs=(*needs, "cause"))]
        if a == "assess_impact" and "fairness" in t.types:
            return [make(disaggregated=True)]
        if a in ("consult", "public_statement"):
            extra = {"spokesperson": roles[0], "message": STATEMENT}
            return [replace(make(**(extra if a == "public_statement" else {})),
                            needs=(*needs, "public"))]  # fmt: skip
        if a == "status_update":
            return []  # on the cadence, from classification (see ``after``)
        if a == "add_action_item":
            return [make(), make()]
        return [make()]

    def _cadence(self, plan: ResponsePlan) -> float | None:
        for rule in plan.rules:
            if isinstance(rule, CadenceRule):
                every = rule.every.get(self.severity)
                return float(every) if every else None
        return None

    def _familiar_people(self, team: TeamModel) -> set[str]:
        """People who know a system the revealing sources belong to."""
        covering = {s.id for s in team.systems if set(s.sources) & self.revealing}
        covering |= {s.id for s in team.systems if not s.sources}
        return {p.id for p in team.people if set(p.knows) & covering}

    # ── per run ────────────────────────────────────────────────────────────────────────
    def tasks(self) -> list[Task]:
        return [t.fresh() for t in self.template]

    def decision(self, role: str, data: dict[str, Any]) -> Decide | None:
        """The command for ``role`` taking the decision ``data`` (None: its parameters are not
        valid). The same few dozen decisions recur in every run: each is validated, checked
        against the scenario and its parameters dumped once, here, instead of once per run,
        and the command (immutable; the engine copies its parameters) is the same one each
        time (a decision that fails the scenario's checks is left for the engine to refuse)."""
        key = (role, repr(data))
        known = self._decisions.get(key, False)
        if known is False:
            try:
                action = parse_action(data)
            except ValueError:
                known = None
            else:
                ok = not action_problems(self.scenario, role, action)
                known = Decide(role, action, checked=ok, params=params_of(action))
            if len(self._decisions) >= _DECISIONS_KEPT:
                self._decisions.clear()
            self._decisions[key] = known
        return known

    def can_reach(self, source: str, role: str, person: str | None) -> bool:
        if role not in self.sources[source].access:
            return False
        cred = self.team.access.get(source)
        if cred is None or cred.credentials == "known":
            return True
        return cred.credentials == "held" and person in cred.by

    def knows(self, person: str | None, facts: dict[str, float]) -> bool:
        return person in self.familiar

    @staticmethod
    def waits_for(task: Task, facts: dict[str, float]) -> object:
        """What ``task`` waits for before it can start, given what the team knows or has done
        (``facts``): a fact not yet among them (``NEVER``: none will do), or None — it can
        start. Facts are only ever added, so a task cannot start before that one is known:
        a kick looks again only then, instead of at every new fact."""
        if task.step == "update-team" and "done:resolve" in facts:
            return NEVER  # resolved: no more updates
        if task.action == "acknowledge":
            return None if "alerted" in facts else "alerted"
        for need in task.needs:
            if need not in facts:
                return need
        return None

    def params(self, task: Task, pilot: Autopilot, seat: Seat) -> dict[str, Any] | None:
        p = dict(task.params)
        now = math.ceil(pilot.now)
        if task.action == "escalate" and p.get("to") == seat.role:
            return None  # the Incident Commander took the page: there is no one to escalate to
        if task.action == "assign_role":
            first = pilot.seats[p["assign"]].candidates[:1]
            if first:
                p["person"] = first[0]
        if task.action == "diagnose" and not self.knows(seat.person, pilot.facts):
            wrong = [c.id for c in self.scenario.truth.causes if c.id != p["root_cause"]]
            if (
                wrong
                and not task.params.get("second")
                and pilot.rng.random() < self.team.diagnosis.wrong_cause
            ):
                p["root_cause"] = wrong[pilot.rng.randrange(len(wrong))]
        if task.params.get("again"):  # containing again: another method (readiness.containment)
            familiar = self.knows(seat.person, pilot.facts)
            wrong = self.team.diagnosis.wrong_cause
            method = self.containment.next_method(pilot.tried, familiar, wrong, pilot.rng)
            if method is None:
                return None
            p = {"method": method}
        if task.action == "schedule_review":
            p["when"] = now + REVIEW_AFTER
        if task.action == "add_action_item":
            p["due"] = now + ITEM_DUE
        p.pop("second", None)
        return {"action": task.action, **p}

    def after(self, task: Task, data: dict[str, Any], pilot: Autopilot, seat: Seat) -> None:
        """What a decision sets going: the cadence, a second look after a wrong cause."""
        a = task.action
        if a == "diagnose":
            if data["root_cause"] == self.scenario.truth.root_cause:
                pilot.facts.setdefault("cause", pilot.now)
            else:
                again = replace(
                    task,
                    params={**task.params, "second": True},
                    claimed=False,
                    done=False,
                    waits=None,
                )
                pilot.tasks.append(again)
        if a == "contain":
            pilot.tried.append(str(data["method"]))
            pilot.in_force = str(data["method"])
            pilot.containing_again = False
        if a == "classify" and self.every and "update-team" in {s.id for s in self.plan.steps}:
            self._next_update(pilot, pilot.now + self.every)
        if a == "status_update" and data.get("audience") == "response_team" and self.every:
            self._next_update(pilot, pilot.now + self.every)  # the next: an interval on
        if a == "investigate":
            src = self.sources[str(data["source"])]
            for k in range(int(src.jitter) + 1):
                pilot.wake(pilot.now + float(src.minutes) + k)
        pilot.wake_after(self.delays)

    def _next_update(self, pilot: Autopilot, due: float) -> None:
        """Put the update due at ``due`` on the list ahead of time, as a team that keeps to
        its cadence does: a quarter of the interval early (at most ``UPDATE_AHEAD``), so the
        time it takes to write lands before the gap runs out. The next is due one interval
        after the update is sent; should this one not go out by then, one is due an
        interval after ``due`` all the same."""
        step = self.plan.step("update-team")
        if step is None or due > pilot.end or self.every is None:
            return
        every = self.every
        pilot.next_update = due

        def ahead() -> None:
            if pilot.next_update != due or "done:resolve" in pilot.facts:
                return  # an update went out meanwhile (it set the next), or all is resolved
            roles = [r for r in step.roles if r in pilot.seats]
            pilot.tasks.append(Task(step.id, step.action, roles, {"audience": "response_team"}))
            pilot.at(due, overdue)
            pilot.kick()

        def overdue() -> None:
            if pilot.next_update == due:  # not sent in time: the one after is due anyway
                self._next_update(pilot, due + every)

        pilot.at(max(pilot.now, due - min(UPDATE_AHEAD, every / 4)), ahead)

    def answer_task(self, inject: str, question: Question, to: list[str]) -> Task:
        sound = next((o for o in question.options if o.verdict == "sound"), question.options[0])
        roles = [question.role] if question.role in to else []
        roles += [r for r in to if r not in roles]
        return Task("answer", "answer", roles, {"inject": inject, "option": sound.id})

    @staticmethod
    def pulled_in(action: str, data: dict[str, Any], roles: list[str]) -> list[str]:
        """The roles a decision brings into the response (as ``scoring.knowledge`` has it)."""
        if action == "escalate":
            return [str(data.get("to"))]
        if action == "assign_role":
            return [str(data.get("assign"))]
        if action in ("notify", "status_update") and data.get("audience") == "response_team":
            return roles
        if action == "consult" and data.get("with") == "legal_advisor":
            return ["legal_advisor"]
        return []
