"""The Improvement Plan: corrective actions, each with an owner, a due date and a status.

The article: "Action items with owners and deadlines. Track action items to completion."
HSEEP's Appendix A is the same list. Items come from two places: every plan step the team
did late, missed or broke, and every hot-wash lesson. The owner is the role whose step it
was (the plan step's role, else the role that took the rule's decisions, else the role the
article gives that work),
named after the person who played it when the roster or play says who. Due dates count
from the exercise date and come sooner the worse the capability was rated.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from typing import Any

from drillbook.reports.planlink import step_role
from drillbook.reports.records import ImprovementItem
from drillbook.scenarios.actions import ROLE_TITLES
from drillbook.scoring.scorecard import RuleResult, Scorecard
from drillbook.simulator.events import Kind
from drillbook.simulator.journal import Event

# Days from the exercise to the due date, by the capability's rating in force.
DUE_DAYS = {"U": 14, "M": 30, "S": 60, "P": 90}
LESSON_DAYS = 60  # a lesson that names no capability: the "some challenges" horizon

# Who does this kind of work, from the article's role descriptions: the Incident Commander
# classifies, escalates and runs the process; the Technical Lead diagnoses and fixes; the
# Communications Lead talks to the client, regulators and media; the Data Lead assesses the
# impact and preserves evidence; on-call detects and escalates; legal advises on obligations.
CAPABILITY_OWNERS = {
    "detection": "on_call",
    "classification": "incident_commander",
    "escalation": "incident_commander",
    "coordination": "incident_commander",
    "containment": "technical_lead",
    "investigation": "technical_lead",
    "diagnosis": "technical_lead",
    "remediation": "technical_lead",
    "evidence": "data_lead",
    "impact": "data_lead",
    "notification": "communications_lead",
    "communication": "communications_lead",
    "public": "communications_lead",
    "regulatory": "legal_advisor",
    "legal": "legal_advisor",
    "learning": "incident_commander",
    "review": "incident_commander",
}
DEFAULT_OWNER = "incident_commander"  # the role that "manages the process"

ORIGIN = {
    "late": "late step",
    "missed": "missed step",
    "violated": "broken rule",
    "pending": "open work: due after the end of play",
}


def rule_owner(rule: RuleResult, roles_by_seq: dict[int, str], plan: Any = None) -> str:
    """The role whose step the rule is: the plan's, else who took it, else who does that work."""
    role = step_role(plan, rule.id)
    if role:
        return role
    for seq in rule.decisions:
        if seq in roles_by_seq:
            return roles_by_seq[seq]
    return CAPABILITY_OWNERS.get(rule.capability, DEFAULT_OWNER)


def owner_text(role: str | None, people: dict[str, str]) -> tuple[str | None, str]:
    """(person, what a reader sees): ``Priya (Technical Lead)`` or just ``Technical Lead``."""
    if role is None:
        return None, "Exercise sponsor"
    title = ROLE_TITLES.get(role, role)
    person = people.get(role)
    return person, f"{person} ({title})" if person else title


def corrective_action(rule: RuleResult) -> str:
    """What to do about a step that went wrong, in the imperative a plan owner acts on."""
    if rule.status == "late":
        when = f" (due {rule.due}, done {rule.done})" if rule.due and rule.done else ""
        return (
            f"Get “{rule.title}” done inside its window{when}: rehearse the step and "
            "make clear who starts it."
        )
    if rule.status == "pending":
        due = f" by {rule.due}" if rule.due else ""
        return (
            f"Finish “{rule.title}”{due}: play ended before it was due, so it is open work, "
            "not yet a finding."
        )
    if rule.status == "missed":
        due = f" (due {rule.due})" if rule.due else ""
        # the scorer's own sentence when it has one ("1 of 2 covered"): a partly done step
        # must not read as "not done" beside a scorecard that says otherwise
        said = rule.detail.strip().rstrip(".") if rule.detail else ""
        what = f"in this exercise: {said}" if said else "it was not done in this exercise"
        if rule.credit > 0 and not said:
            what = "it was only partly done in this exercise"
        return (
            f"Make sure “{rule.title}” happens in full{due}: {what}; give "
            "the step an owner and a place on the checklist."
        )
    detail = f" {rule.detail[:1].upper()}{rule.detail[1:].rstrip('.')}." if rule.detail else ""
    return f"Stop “{rule.title}” from being broken again.{detail}"


def improvement_plan(
    card: Scorecard, events: list[Event], people: dict[str, str], on: date, plan: Any = None
) -> list[ImprovementItem]:
    """Corrective actions from late, missed or broken rules, then from hot-wash lessons."""
    roles_by_seq = {int(e["seq"]): str(e["role"]) for e in events if e["type"] == Kind.DECISION}
    items: list[ImprovementItem] = []

    def due(capability: str | None) -> str:
        cap = card.capabilities.get(capability or "")
        days = DUE_DAYS[cap.rating] if cap else LESSON_DAYS
        return (on + timedelta(days=days)).isoformat()

    def title(capability: str | None) -> str:
        cap = card.capabilities.get(capability or "")
        return cap.title if cap else (capability or "General")

    for rule in card.rules:
        if rule.status not in ORIGIN:
            continue
        role = rule_owner(rule, roles_by_seq, plan)
        person, shown = owner_text(role, people)
        items.append(
            ImprovementItem(
                ref=f"IP-{len(items) + 1}",
                action=corrective_action(rule),
                capability=rule.capability,
                capability_title=title(rule.capability),
                rule=rule.id,
                origin=ORIGIN[rule.status],
                owner_role=role,
                owner_name=person,
                owner=shown,
                due=due(rule.capability),
            )
        )
    for e in events:
        if e["type"] != Kind.LESSON or not str(e.get("text") or "").strip():
            continue
        capability = e.get("capability") or None
        role = lesson_owner(str(e["text"]), capability, plan)
        person, shown = owner_text(role, people)
        items.append(
            ImprovementItem(
                ref=f"IP-{len(items) + 1}",
                action=f"Act on the hot-wash lesson: {str(e['text']).strip()}",
                capability=capability,
                capability_title=title(capability),
                origin="hot-wash lesson",
                owner_role=role,
                owner_name=person,
                owner=shown,
                due=due(capability),
                plan_change=bool(e.get("plan_change")),
            )
        )
    items += in_play_items(events, people, on, len(items))
    return items


def in_play_items(
    events: list[Event], people: dict[str, str], on: date, numbered: int
) -> list[ImprovementItem]:
    """Action items the team added during play (``add_action_item``): the improvement plan
    is theirs too. The due offset counts story days from the exercise date (``+48:00`` is two
    days after it); the owner is a role id, a roster name, or a name as typed."""
    by_person = {person: role for role, person in people.items()}
    out = []
    for e in events:
        if e["type"] != "action_taken" or e.get("action") != "add_action_item":
            continue
        params = e.get("params") or {}
        text = str(params.get("text") or "").strip()
        if not text:
            continue
        owner = str(params.get("owner") or "").strip()
        role = owner if owner in ROLE_TITLES else by_person.get(owner)
        person, shown = owner_text(role, people) if role else (owner or None, owner)
        minutes = params.get("due")
        days = math.ceil(float(minutes) / (24 * 60)) if isinstance(minutes, int | float) else 0
        out.append(
            ImprovementItem(
                ref=f"IP-{numbered + len(out) + 1}",
                action=text,
                capability=None,
                capability_title="General",
                origin=f"added in play by {ROLE_TITLES.get(str(e['role']), e['role'])}",
                owner_role=role,
                owner_name=person,
                owner=shown or "Exercise sponsor",
                due=(on + timedelta(days=days or LESSON_DAYS)).isoformat(),
            )
        )
    return out


_WORD = re.compile(r"[a-z]{3,}")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "into",
        "they",
        "their",
        "them",
        "when",
        "what",
        "who",
        "not",
        "was",
        "were",
        "has",
        "have",
        "had",
        "its",
        "are",
        "but",
        "all",
        "any",
        "our",
        "out",
        "can",
        "may",
        "should",
        "must",
        "need",
        "needs",
        "about",
        "before",
        "after",
    ]
)


def _stems(text: str) -> set[str]:
    """Words of a sentence cut to five letters: ``fixes``/``fixed``/``fix`` meet, ``loader``
    and ``loading`` meet — enough to match a lesson to a duty, not a grammar."""
    return {w[:5] for w in _WORD.findall(text.lower()) if w not in _STOP}


def lesson_owner(text: str, capability: str | None, plan: Any = None) -> str:
    """Who owns a hot-wash lesson: the role whose duty in the plan the lesson's words name
    (a lesson about a fix goes to the role that "implements the fix", even when it was filed
    under detection), else the role the plan gives most of that capability's steps, else
    the role the article gives that work. A role whose ``not_duty`` names the work is never
    chosen for it (on-call "doesn't need to fix the problem")."""
    words = _stems(text)
    roles = list(getattr(plan, "roles", None) or [])
    best: tuple[int, str] | None = None
    for r in roles:
        if words & _stems(getattr(r, "not_duty", "") or ""):
            continue
        overlap = len(words & _stems(getattr(r, "duty", "") or ""))
        if overlap and (best is None or overlap > best[0]):
            best = (overlap, r.id)
    if best is not None:
        return best[1]
    counts: dict[str, int] = {}
    for step in getattr(plan, "steps", None) or []:
        rule_caps = {getattr(r, "capability", None) for r in _rules_for(plan, step.id)}
        if capability in rule_caps and getattr(step, "role", None):
            counts[step.role] = counts.get(step.role, 0) + 1
    if counts:
        return max(counts, key=lambda r: counts[r])
    return CAPABILITY_OWNERS.get(capability or "", DEFAULT_OWNER)


def _rules_for(plan: Any, step_id: str) -> list[Any]:
    return [r for r in getattr(plan, "rules", None) or [] if getattr(r, "step", None) == step_id]
