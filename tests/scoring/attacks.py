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

from collections.abc import Callable

from attackparts import (
    AUDIENCES,
    EVIDENCE,
    UPDATE_AUDIENCES,
    Case,
    NotApplicable,
    applicable_obligations,
    at,
    by,
    changed,
    decision,
    first,
    ineffective_method,
    kind,
    params,
    role_for,
    transcript,
    worse_answer,
    wrong_option,
)
from drillbook.scenarios.actions import INCIDENT_TYPES
from drillbook.scenarios.transcript import Decision, Transcript

SPAM_HOURS = 13


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
    """The model team plus a status update and a notice every minute for the first 13 hours
    from its acknowledgement, each minute to the next audience in turn, so every audience
    hears over and over (the issue's 780 updates, "one a minute to every audience"): noise as
    cover, and notices to audiences with no reason to hear."""
    start = int(first(c, "acknowledge").at) + 1
    end = min(start + SPAM_HOURS * 60, int(c.scenario.ends))
    out = list(c.model.decisions)
    for i, minute in enumerate(range(start, end)):
        up = UPDATE_AUDIENCES[i % len(UPDATE_AUDIENCES)]
        note = AUDIENCES[i % len(AUDIENCES)]
        out.append(
            decision(
                minute, role_for(c, "status_update", audience=up), "status_update", audience=up
            )
        )
        out.append(decision(minute, role_for(c, "notify", audience=note), "notify", audience=note))
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
    tested (a "tested" retrain for a stale data feed); verify and resolve as usual. A test of
    the fix before it (``test_fix``, where the model team runs one) tests the wrong fix too:
    the fault is the choice of fix, not a missing test."""
    option = wrong_option(c)
    out = []
    for d in c.model.decisions:
        if kind(d) == "remediate":
            d = changed(d, option=option, tested=True)
        elif kind(d) == "test_fix":
            d = changed(d, option=option)
        out.append(d)
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


def silent(c: Case) -> Transcript:
    """The model team, but no status update to anyone: resolve quickly and let the cadence's
    count be the plan's week, so a few silent hours look like a small share of it."""
    out = [d for d in c.model.decisions if kind(d) != "status_update"]
    if len(out) == len(c.model.decisions):
        raise NotApplicable("the model team sends no status update")
    return transcript(c, out, "Attack: no updates")


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
    "silent": silent,
}
# Cheats over the whole run: each must end M or U overall.
WHOLE_RUN: frozenset[str] = frozenset({"blind", "clairvoyant", "solo", "out_of_order"})
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
    """The capabilities the changed answers bear on, where the questions or their options
    say (``capability``); else communication and regulatory."""
    named: set[str] = set()
    for d in c.model.decisions:
        if kind(d) == "answer":
            question = c.scenario.inject(params(d)["inject"]).question  # type: ignore[union-attr]
            for holder in (question, *question.options):
                cap = getattr(holder, "capability", None)
                if cap:
                    named.add(str(cap))
    return tuple(sorted(named)) or HITS["misleading"]
