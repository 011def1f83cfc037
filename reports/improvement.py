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
        return (
            f"Make sure “{rule.title}” happens{due}: it was not done in this exercise; give "
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
        role = CAPABILITY_OWNERS.get(capability or "", DEFAULT_OWNER)
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
    return items
