"""What the attack generators are built from: a scenario's own data, read generically.

The roles the plan gives each step, the obligations that bind a run, the containment
methods a harm meter's rules leave running, the remediation options that do not fix the root
cause, the worst answer to a question. Fields the scorer's rewrite adds to the scenario
format (the truth's ``fixes``, an option's ``verdict``, a question's ``capability``) are read
with ``getattr(..., None)`` and a stated fallback, so the suite runs on either format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from drillbook.scenarios.actions import (
    Audience,
    ContainMethod,
    EvidenceItem,
    RemediationOption,
    UpdateAudience,
    parse_action,
)
from drillbook.scenarios.conditions import All, AnyOf, Done
from drillbook.scenarios.model import Scenario
from drillbook.scenarios.transcript import Decision, Transcript
from drillbook.scoring.client import ClientProfile
from drillbook.scoring.context import plan_step
from drillbook.scoring.plan import ResponsePlan

AUDIENCES: tuple[str, ...] = Audience.__args__  # type: ignore[attr-defined]
UPDATE_AUDIENCES: tuple[str, ...] = UpdateAudience.__args__  # type: ignore[attr-defined]
METHODS: tuple[str, ...] = ContainMethod.__args__  # type: ignore[attr-defined]
EVIDENCE: tuple[str, ...] = EvidenceItem.__args__  # type: ignore[attr-defined]
OPTIONS: tuple[str, ...] = RemediationOption.__args__  # type: ignore[attr-defined]
# Where the rewritten truth may name the remediation options that fix the root cause.
FIX_FIELDS: tuple[str, ...] = ("fixes", "fixed_by", "remedies", "remediations", "fix_options")
WORST_FIRST: tuple[str, ...] = ("harmful", "poor")


class NotApplicable(Exception):
    """The attack has nothing to attack in this scenario (the message says why)."""


@dataclass(frozen=True)
class Case:
    """What a generator reads: the scenario, its model team, the plan, the client profile."""

    scenario: Scenario
    model: Transcript
    plan: ResponsePlan
    client: ClientProfile | None


# ── building blocks ─────────────────────────────────────────────────────────────────────
def decision(at: float, role: str, action: str, **params: Any) -> Decision:
    return Decision(at=float(at), role=role, action=parse_action({"action": action, **params}))


def params(d: Decision) -> dict[str, Any]:
    return d.action.model_dump(mode="json", by_alias=True, exclude_none=True)


def changed(d: Decision, **update: Any) -> Decision:
    """``d`` with some parameters replaced (the action is validated again)."""
    return d.model_copy(update={"action": parse_action({**params(d), **update})})


def at(d: Decision, minutes: float) -> Decision:
    return d.model_copy(update={"at": float(minutes)})


def by(d: Decision, role: str) -> Decision:
    return d.model_copy(update={"role": role})


def kind(d: Decision) -> str:
    return d.action.action


def transcript(c: Case, decisions: Iterable[Decision], title: str) -> Transcript:
    """A transcript for ``c``'s scenario, in time order (stable: ties keep the given order)."""
    ordered = sorted(decisions, key=lambda d: d.at)
    return replace(c.model, decisions=ordered, title=title, file="", document=None)


def first(c: Case, action: str) -> Decision:
    found = [d for d in c.model.decisions if kind(d) == action]
    if not found:
        raise NotApplicable(f"the model team never takes '{action}'")
    return found[0]


def role_for(c: Case, action: str, **where: Any) -> str:
    """The role the plan gives the step this decision would perform (if it is in play)."""
    steps = [s for s in c.plan.steps if s.action == action]
    step = plan_step(steps, {"action": action, **where})
    in_play = c.scenario.role_ids
    if step is not None and step.role in in_play:
        return step.role
    return "incident_commander" if "incident_commander" in in_play else in_play[0]


def applicable_obligations(c: Case) -> list[Any]:
    """The obligations that bind this run: the scenario's that apply and the client's own."""
    named = {o.id for o in c.client.obligations} if c.client else set()
    return [o for o in c.scenario.truth.obligations if o.applies or o.id in named]


def named_fixes(c: Case) -> set[str] | None:
    """The remediation options the truth names as fixing the root cause, if it names any."""
    for name in FIX_FIELDS:
        value = getattr(c.scenario.truth, name, None)
        if value:
            items = value if isinstance(value, list | tuple | set) else [value]
            return {str(getattr(v, "option", None) or getattr(v, "id", None) or v) for v in items}
    return None


def wrong_option(c: Case) -> str:
    """A remediation option that does not fix the root cause.

    Where the model team fixes the data or the code (a pipeline fix, a patch, a rollback, a
    feature), a retrain of the model, which leaves the cause in place (the issue's "tested"
    retrain for a stale feed); where its fix is to the model itself (a retrain, a threshold),
    a data-pipeline fix, which changes something that was never broken. If the truth names
    that option among its ``fixes``, the first option it does not name instead.
    """
    used = {params(d)["option"] for d in c.model.decisions if kind(d) == "remediate"}
    guess = "pipeline_fix" if used & {"retrain", "threshold"} else "retrain"
    fixes = named_fixes(c)
    if fixes is None or guess not in fixes:
        return guess
    return next(o for o in OPTIONS if o not in fixes and o not in used)


def contain_rate(rules: list[Any], method: str) -> float | None:
    """The rate the last rule naming ``contain`` by ``method`` sets; None if no rule names it.

    A rule names it when a ``done: contain`` leaf (outside any ``not``) matches the method.
    """

    def names(cond: Any) -> bool:
        if isinstance(cond, Done):
            wanted = cond.where.get("method")
            wanted = wanted if isinstance(wanted, list) else [wanted]
            return cond.done == "contain" and ("method" not in cond.where or method in wanted)
        if isinstance(cond, All | AnyOf):
            return any(names(x) for x in (cond.all if isinstance(cond, All) else cond.any))
        return False  # a leaf of another kind, or a ``not`` (containment there is inverted)

    hits = [r.rate for r in rules if names(r.when)]
    return hits[-1] if hits else None


def harm_meter(s: Scenario) -> Any:
    """The harm the incident does: the first base meter that runs from the start and that
    containment is meant to stop (a rule of it names ``contain``)."""
    for m in s.meters:
        if (
            m.derived is None
            and m.rate > 0
            and any(contain_rate(m.rates, x) is not None for x in METHODS)
        ):
            return m
    return None


def ineffective_method(c: Case) -> tuple[str, str]:
    """A containment method that leaves the harm running, and why (from the meter's rules)."""
    meter = harm_meter(c.scenario)
    if meter is None:
        raise NotApplicable("no meter records a harm that containment stops")
    used = {params(d)["method"] for d in c.model.decisions if kind(d) == "contain"}
    unnamed = [m for m in METHODS if m not in used and contain_rate(meter.rates, m) is None]
    if unnamed:
        return unnamed[0], f"no rule of {meter.id} names {unnamed[0]}: the rate is unchanged"
    leaky = [(contain_rate(meter.rates, m) or 0.0, m) for m in METHODS if m not in used]
    rate, method = max(leaky)
    if rate <= 0:
        raise NotApplicable(f"every containment method stops {meter.id}")
    return method, f"{meter.id} still accrues {rate:g}/min after {method}"


def worse_answer(question: Any, chosen: str) -> str:
    """The option to give instead of the model team's: the worst by verdict, else the first."""
    others = [o for o in question.options if o.id != chosen]
    for verdict in WORST_FIRST:
        for o in others:
            if getattr(o, "verdict", None) == verdict:
                return o.id
    return others[0].id
