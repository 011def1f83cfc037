"""The response plan as documents people read: the full plan, and the on-call card.

"Your incident response plan is useless if nobody can find it when they need it … a
dedicated page in your team wiki … and a printed copy in the office." The plan the scorer
enforces is the one printed: every window here comes from the rule that times the step,
with the client profile's overrides applied as the scorer applies them, and every item
carries the sentence of the plan it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drillbook.scenarios.actions import ROLE_TITLES, SEVERITIES
from drillbook.scoring.plan import ResponsePlan, Step
from drillbook.scoring.planwords import (
    AUDIENCE_WORDS,
    SEVERITY_TITLES,
    duration,
    rule_text,
    step_rules,
    step_windows,
)

COMMS = (
    ("internal", "Internal communication"),
    ("client", "Client communication"),
    ("regulatory", "Regulatory communication"),
    ("public", "Public communication"),
)


@dataclass(frozen=True)
class RuleLine:
    id: str
    text: str
    source: str
    weight: float = 1.0


@dataclass(frozen=True)
class StepRow:
    id: str
    title: str
    who: list[str]  # role titles that hold the duty; empty: anyone
    windows: dict[str, str]  # severity → "15 min" (client-set ones end in " *")
    anchor: str
    text: str
    rules: list[RuleLine] = field(default_factory=list)
    timed_by: str | None = None  # the rule whose windows the columns show


@dataclass(frozen=True)
class PhaseBlock:
    id: str
    title: str
    source: str
    steps: list[StepRow]


@dataclass(frozen=True)
class SeverityRow:
    id: str
    title: str
    response: str
    tell: list[str]
    source: str
    client_criteria: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RoleRow:
    id: str
    title: str
    duty: str
    not_duty: str
    source: str
    steps: list[str]


@dataclass(frozen=True)
class PlanDoc:
    """Everything ``plan show`` prints, in reading order."""

    id: str
    title: str
    version: str
    source: str
    severities: list[SeverityRow]
    criteria: list[str]
    criteria_source: str
    roles: list[RoleRow]
    on_call: RoleRow | None
    phases: list[PhaseBlock]
    comms: list[tuple[str, list[StepRow]]]
    review: PhaseBlock | None
    changelog: list[Any]
    client: Any = None
    overridden: bool = False  # some window is the client's, not the plan's


def _who(plan: ResponsePlan, step: Step) -> list[str]:
    ids = step.roles or ([step.role] if step.role else [])
    return [(plan.role(r).title if plan.role(r) else ROLE_TITLES.get(r, r)) for r in ids]


def step_row(plan: ResponsePlan, step: Step, client: Any = None) -> StepRow:
    windows, anchor, timed_by = step_windows(plan, step.id, client)
    return StepRow(
        id=step.id,
        title=step.title,
        who=_who(plan, step),
        windows={s: duration(m) + (" *" if own else "") for s, (m, own) in windows.items()},
        anchor=anchor,
        text=step.text,
        rules=[
            RuleLine(r.id, rule_text(r, plan, client), r.source, r.weight)
            for r in step_rules(plan, step.id)
        ],
        timed_by=timed_by,
    )


def comms_group(step: Step) -> str | None:
    """Which part of the communication plan a step belongs to, from what it does."""
    to = step.where.get("audience") or step.where.get("with")
    if step.action == "public_statement":
        return "public"
    if step.action == "assess_regulatory" or to == "legal_advisor":
        return "regulatory"
    if step.action == "notify" and to is None:
        return "regulatory"  # regulators and the people affected: the obligations' audiences
    if to in ("response_team", "leadership"):
        return "internal"
    if to == "client" or step.action in ("final_report", "status_update"):
        return "client"
    return None


def plan_doc(plan: ResponsePlan, client: Any = None) -> PlanDoc:
    """The plan in force (with ``client``'s profile applied) as a document."""
    by_phase: dict[str, list[StepRow]] = {p.id: [] for p in plan.phases}
    comms: dict[str, list[StepRow]] = {k: [] for k, _ in COMMS}
    for step in plan.steps:
        row = step_row(plan, step, client)
        by_phase.setdefault(step.phase, []).append(row)
        group = comms_group(step)
        if group:
            comms[group].append(row)
    phases = [PhaseBlock(p.id, p.title, p.source, by_phase[p.id]) for p in plan.phases]
    roles = [
        RoleRow(
            r.id,
            r.title,
            r.duty,
            r.not_duty,
            r.source,
            [s.title for s in plan.steps if r.id in (s.roles or [s.role])],
        )
        for r in plan.roles
    ]
    criteria = client.severity_criteria if client is not None else {}
    severities = [
        SeverityRow(
            sev,
            level.title,
            duration(level.response),
            [AUDIENCE_WORDS.get(a, a) for a in level.tell],
            level.source,
            list(criteria.get(sev, [])),
        )
        for sev in SEVERITIES
        if (level := plan.severities.get(sev)) is not None
    ]
    overridden = any(w.endswith("*") for ph in phases for s in ph.steps for w in s.windows.values())
    return PlanDoc(
        id=plan.id,
        title=plan.title,
        version=plan.version,
        source=plan.source,
        severities=severities,
        criteria=list(plan.criteria.questions),
        criteria_source=plan.criteria.source,
        roles=roles,
        on_call=next((r for r in roles if r.id == "on_call"), None),
        phases=phases,
        comms=[(title, comms[key]) for key, title in COMMS if comms[key]],
        review=phases[-1] if len(phases) > 1 else None,
        changelog=list(plan.changelog),
        client=client,
        overridden=overridden,
    )


@dataclass(frozen=True)
class PageRow:
    severity: str
    respond: str
    tell: list[str]


@dataclass(frozen=True)
class Card:
    """The one page by the on-call desk."""

    title: str
    plan: str
    criteria: list[str]
    pages: list[PageRow]
    escalate_to: str
    on_call_duty: str
    first_hour: list[StepRow]
    first_phase: str
    severities: list[tuple[str, str]]  # (id, title): the checklist's columns
    client: Any = None


def card(plan: ResponsePlan, client: Any = None) -> Card:
    """The severity questions, who to page at each level, the first phase's checklist."""
    doc = plan_doc(plan, client)
    escalate = next((s for s in plan.steps if s.action == "escalate"), None)
    to = str((escalate.params if escalate else {}).get("to", "incident_commander"))
    to_title = plan.role(to).title if plan.role(to) else ROLE_TITLES.get(to, to)
    on_call = doc.on_call
    duty = (on_call.not_duty or on_call.duty) if on_call else ""
    return Card(
        title=plan.title,
        plan=plan.label,
        criteria=doc.criteria,
        pages=[PageRow(s.title, s.response, s.tell) for s in doc.severities],
        escalate_to=to_title,
        on_call_duty=duty,
        first_hour=doc.phases[0].steps,
        first_phase=doc.phases[0].title,
        severities=[(s.id, SEVERITY_TITLES[s.id]) for s in doc.severities],
        client=client,
    )


def render_plan(template: str, fmt: str, plan: ResponsePlan, client: Any = None) -> str:
    """``plan`` (the document) or ``card`` as HTML or Markdown, with the client applied."""
    from drillbook.formats.version import VERSION as __version__
    from drillbook.reports.render import render
    from drillbook.scoring.planwords import duration as words

    context: dict[str, Any] = (
        {"d": plan_doc(plan, client)} if template == "plan" else {"c": card(plan, client)}
    )
    return render(template, fmt, generated_by=f"drillbook {__version__}", duration=words, **context)


def plan_in_force_markdown(plan_path: str | None, client_path: str | None) -> str:
    """The plan a run is played under (the bundled one when none is named), as Markdown:
    what the TUI's plan screen shows, so it is the plan the run is scored against."""
    from drillbook.formats.yamlsource import InputError
    from drillbook.scoring.files import client_from, plan_from

    plan = plan_from(plan_path)
    client = None
    if client_path:
        try:
            client = client_from(client_path, plan)
        except InputError:  # play checked it; a file changed since is shown without it
            client = None
    return render_plan("plan", "md", plan, client)
