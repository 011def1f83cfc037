"""Attack transcripts: the cheapest ways a team that is not ready could try to score as one.

Each generator builds a transcript (the same shape as the bundled ones) from a scenario's own
data — its roles, sources, candidate causes, obligations, meters, questions — and its model
team, never from anything written per scenario. Each docstring names the cheat it models, in
the words of issue 9. A generator that cannot apply to a scenario raises
:class:`NotApplicable` with the reason (say, only one regulator's clock applies).

Fields the scorer's rewrite adds to the scenario format (the truth naming which remediation
options fix the root cause, a verdict on each option of a question) are read when present,
with ``getattr(..., None)``, and a stated fallback otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from scenarios.actions import (
    INCIDENT_TYPES,
    Audience,
    ContainMethod,
    EvidenceItem,
    RemediationOption,
    UpdateAudience,
    parse_action,
)
from scenarios.conditions import All, AnyOf, Done
from scenarios.model import Scenario
from scenarios.transcript import Decision, Transcript
from scoring.client import ClientProfile
from scoring.decisions import plan_step
from scoring.plan import ResponsePlan

AUDIENCES: tuple[str, ...] = Audience.__args__  # type: ignore[attr-defined]
UPDATE_AUDIENCES: tuple[str, ...] = UpdateAudience.__args__  # type: ignore[attr-defined]
METHODS: tuple[str, ...] = ContainMethod.__args__  # type: ignore[attr-defined]
EVIDENCE: tuple[str, ...] = EvidenceItem.__args__  # type: ignore[attr-defined]
OPTIONS: tuple[str, ...] = RemediationOption.__args__  # type: ignore[attr-defined]
# Where the rewritten truth may name the remediation options that fix the root cause.
FIX_FIELDS: tuple[str, ...] = ("fixes", "fixed_by", "remedies", "remediations", "fix_options")
WORST_FIRST: tuple[str, ...] = ("harmful", "poor")
SPAM_HOURS = 13


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

    One the truth does not name, when it names fixes. While it names none: where the model
    team fixes the data or the code (a pipeline fix, a patch, a rollback, a feature), a
    retrain of the model leaves the cause in place (the issue's "tested" retrain for a stale
    feed); where its fix is to the model itself (a retrain, a threshold), a data-pipeline fix
    changes something that was never broken.
    """
    used = {params(d)["option"] for d in c.model.decisions if kind(d) == "remediate"}
    fixes = named_fixes(c)
    if fixes is not None:
        return next(o for o in OPTIONS if o not in fixes and o not in used)
    return "pipeline_fix" if used & {"retrain", "threshold"} else "retrain"


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


# ── the attacks ─────────────────────────────────────────────────────────────────────────
def blind(c: Case) -> Transcript:
    """A blind script at +0:00: every step of the plan clicked before any inject is read.

    Acknowledge, escalate and assign every role, classify critical with every type, preserve
    every evidence item, take the system offline, notify every audience, claim every
    obligation id, diagnose every candidate cause (the true one last, the worst case for a
    scorer that judges the last word), a tested patch, verify, resolve, review, two action
    items, final report, close. Each by the role the plan gives it.
    """
    s = c.scenario
    r = lambda action, **w: role_for(c, action, **w)  # noqa: E731
    out = [
        decision(0, r("acknowledge"), "acknowledge"),
        decision(0, r("escalate"), "escalate", to="incident_commander"),
    ]
    out += [
        decision(0, r("assign_role"), "assign_role", assign=role)
        for role in s.role_ids
        if role not in ("on_call", "incident_commander")
    ]
    out.append(
        decision(0, r("classify"), "classify", severity="critical", types=list(INCIDENT_TYPES))
    )
    out.append(decision(0, r("preserve_evidence"), "preserve_evidence", items=list(EVIDENCE)))
    out.append(decision(0, r("contain"), "contain", method="take_offline"))
    out += [decision(0, r("notify", audience=a), "notify", audience=a) for a in AUDIENCES]
    out.append(
        decision(
            0,
            r("assess_regulatory"),
            "assess_regulatory",
            obligations=[o.id for o in s.truth.obligations],
        )
    )
    causes = sorted((x.id for x in s.truth.causes), key=lambda x: x == s.truth.root_cause)
    out += [decision(0, r("diagnose"), "diagnose", root_cause=x) for x in causes]
    out += [
        decision(0, r("remediate"), "remediate", option="patch", tested=True),
        decision(0, r("verify_fix"), "verify_fix"),
        decision(0, r("resolve"), "resolve"),
        decision(0, r("schedule_review"), "schedule_review", when=0),
        decision(
            0, r("add_action_item"), "add_action_item", text="Lessons", owner="IC", due=336 * 60
        ),
        decision(
            0, r("add_action_item"), "add_action_item", text="Runbook", owner="IC", due=336 * 60
        ),
        decision(0, r("final_report"), "final_report"),
        decision(0, r("close"), "close"),
    ]
    return transcript(c, out, "Attack: blind script at +0:00")


def clairvoyant(c: Case) -> Transcript:
    """The model team's decisions moved to +0:00, before the first alert reaches anyone.

    Answers stay at their own time: the engine refuses an answer to a question not yet asked.
    """
    out = [d if kind(d) == "answer" else at(d, 0) for d in c.model.decisions]
    return transcript(c, out, "Attack: clairvoyant model team")


def guess_all(c: Case) -> Transcript:
    """The model team, but diagnosing every candidate cause in turn, the true one last, three
    minutes apart from the model's own diagnosis time: guessing until one sticks."""
    d0 = first(c, "diagnose")
    truth = c.scenario.truth.root_cause
    causes = [x.id for x in c.scenario.truth.causes if x.id != truth] + [truth]
    guesses = [changed(at(d0, d0.at + 3 * i), root_cause=x) for i, x in enumerate(causes)]
    out = [d for d in c.model.decisions if d is not d0] + guesses
    return transcript(c, out, "Attack: guess every cause")


def placeholder(c: Case) -> Transcript:
    """The model team plus placeholders at its own times: ``classify low`` with the form's
    first type and an assessment claiming no obligation; the model's considered answers three
    hours later ("corrected at +3:00")."""
    cls, reg = first(c, "classify"), first(c, "assess_regulatory")
    out = [at(d, d.at + 180) if d is cls or d is reg else d for d in c.model.decisions]
    out += [changed(cls, severity="low", types=[INCIDENT_TYPES[0]]), changed(reg, obligations=[])]
    return transcript(c, out, "Attack: placeholder, corrected later")


def spam(c: Case) -> Transcript:
    """The model team plus a status update to every update audience and a notice to every
    audience, every minute for the first 13 hours from its acknowledgement: noise as cover."""
    start = int(first(c, "acknowledge").at) + 1
    end = min(start + SPAM_HOURS * 60, int(c.scenario.ends))
    roles_u = {a: role_for(c, "status_update", audience=a) for a in UPDATE_AUDIENCES}
    roles_n = {a: role_for(c, "notify", audience=a) for a in AUDIENCES}
    out = list(c.model.decisions)
    for minute in range(start, end):
        out += [decision(minute, roles_u[a], "status_update", audience=a) for a in UPDATE_AUDIENCES]
        out += [decision(minute, roles_n[a], "notify", audience=a) for a in AUDIENCES]
    return transcript(c, out, "Attack: updates and notices every minute")


def solo(c: Case) -> Transcript:
    """The on-call engineer does every step alone: no escalation, no team activated. Answers
    only to questions that reach on-call (nobody else is there to hear the rest)."""
    out: list[Decision] = []
    for d in c.model.decisions:
        if kind(d) in ("assign_role", "escalate"):
            continue
        if kind(d) == "answer":
            inj = c.scenario.inject(params(d)["inject"])
            if inj is None or "on_call" not in inj.to:
                continue
        out.append(by(d, "on_call"))
    return transcript(c, out, "Attack: on-call does everything")


def ineffective_containment(c: Case) -> Transcript:
    """The model team, but containing with a method the meters say leaves the harm running
    (a rate limit while $14 tickets keep selling)."""
    method, _ = ineffective_method(c)
    out = [changed(d, method=method) if kind(d) == "contain" else d for d in c.model.decisions]
    return transcript(c, out, f"Attack: ineffective containment ({method})")


def wrong_fix(c: Case) -> Transcript:
    """The model team, but the fix is one that does not address the root cause, declared
    tested (a "tested" retrain for a stale data feed); verify and resolve as usual."""
    option = wrong_option(c)
    out = [
        changed(d, option=option, tested=True) if kind(d) == "remediate" else d
        for d in c.model.decisions
    ]
    return transcript(c, out, f"Attack: wrong fix ({option})")


def premature_resolve(c: Case) -> Transcript:
    """The model team plus ``resolve`` twenty minutes after its acknowledgement, before any
    fix or verification: declaring victory to shrink what is owed."""
    when = first(c, "acknowledge").at + 20
    fixed = min(d.at for d in c.model.decisions if kind(d) in ("remediate", "verify_fix"))
    if when >= fixed:
        raise NotApplicable("the model team fixes within twenty minutes of acknowledging")
    out = [*c.model.decisions, decision(when, role_for(c, "resolve"), "resolve")]
    return transcript(c, out, "Attack: resolved at once")


CLOSING = ("verify_fix", "resolve", "final_report", "schedule_review", "close")


def out_of_order(c: Case) -> Transcript:
    """The model team, but verify, resolve, final report, review and close all taken a
    minute before its first diagnosis or fix: the paperwork of a finished incident first."""
    early = min(d.at for d in c.model.decisions if kind(d) in ("diagnose", "remediate"))
    moved = max(0.0, early - 1)
    out = [at(d, moved) if kind(d) in CLOSING else d for d in c.model.decisions]
    return transcript(c, out, "Attack: steps out of order")


def one_notice(c: Case) -> Transcript:
    """The model team, but one notice to one regulator standing for every regulator's clock
    (GDPR Art. 33 to the DPC taken to cover the ICO too)."""
    regulators = [o for o in applicable_obligations(c) if o.audience == "regulator"]
    if len(regulators) < 2:
        raise NotApplicable(f"{len(regulators)} applicable obligation(s) to a regulator; needs 2")
    notices = [
        d for d in c.model.decisions if kind(d) == "notify" and params(d)["audience"] == "regulator"
    ]
    dropped = {id(d) for d in notices[1:]}
    out = [d for d in c.model.decisions if id(d) not in dropped]
    return transcript(c, out, "Attack: one notice for all regulators")


def misleading(c: Case) -> Transcript:
    """The model team, every step on time, but every question answered with another option
    (the worst by the scenario's verdicts, where it gives them): the Cruise pattern of 2023,
    a misleading or incomplete account given on schedule."""
    if not any(kind(d) == "answer" for d in c.model.decisions):
        raise NotApplicable("the model team answers no question")
    out = []
    for d in c.model.decisions:
        if kind(d) == "answer":
            p = params(d)
            question = c.scenario.inject(p["inject"]).question  # type: ignore[union-attr]
            d = changed(d, option=worse_answer(question, p["option"]))
        out.append(d)
    return transcript(c, out, "Attack: misleading answers")


ATTACKS: dict[str, Callable[[Case], Transcript]] = {
    "blind": blind,
    "clairvoyant": clairvoyant,
    "guess_all": guess_all,
    "placeholder": placeholder,
    "spam": spam,
    "solo": solo,
    "ineffective_containment": ineffective_containment,
    "wrong_fix": wrong_fix,
    "premature_resolve": premature_resolve,
    "out_of_order": out_of_order,
    "one_notice": one_notice,
    "misleading": misleading,
}
# Cheats over the whole run: each must end M or U overall.
WHOLE_RUN: frozenset[str] = frozenset(
    {"blind", "clairvoyant", "guess_all", "spam", "solo", "out_of_order"}
)
# The capability each attack hits (any of them below P), with readiness below the model's.
HITS: dict[str, tuple[str, ...]] = {
    "guess_all": ("investigation",),
    "placeholder": ("classification", "regulatory"),
    "spam": ("communication",),
    "ineffective_containment": ("containment",),
    "wrong_fix": ("remediation",),
    "premature_resolve": ("remediation",),
    "one_notice": ("regulatory",),
    "misleading": ("communication", "regulatory"),
}


def misleading_hits(c: Case) -> tuple[str, ...]:
    """The capabilities the changed answers bear on, where the options say; else the default."""
    named = set()
    for d in c.model.decisions:
        if kind(d) == "answer":
            question = c.scenario.inject(params(d)["inject"]).question  # type: ignore[union-attr]
            for o in question.options:
                cap = getattr(o, "capability", None)
                if cap:
                    named.add(str(cap))
    return tuple(sorted(named)) or HITS["misleading"]
