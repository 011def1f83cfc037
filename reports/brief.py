"""The pack handed out before play: the players' Situation Manual and the facilitator's handbook.

HSEEP keeps the two apart for a reason: a player who has read the MSEL is no longer being
exercised. So the Situation Manual is built from an explicit allow-list of what players
may know — scope, objectives, their roles and briefs, the opening situation (the summary and
the story clock), ground rules — and never touches injects, sources or the truth. Everything
else goes into the Controller/Evaluator handbook: the MSEL with timings and conditions, the
branches, expected actions, the sources and who can reach them, the truth, the questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drillbook.formats.offsets import fmt_duration, fmt_offset
from drillbook.scenarios.conditions import Chosen, describe, leaves
from drillbook.scenarios.model import Inject, Scenario
from drillbook.simulator.meters import render_value

GROUND_RULES = (
    "This is a no-fault exercise: it tests the plan, the tools and the hand-offs, not the people.",
    "Play in role. Decide as you would on a real night, with the people, access and tools you "
    "would really have.",
    "Time runs on the story clock, which may run faster than real time and may be paused. "
    "A decision counts from the moment it is recorded.",
    "Information reaches you through your console: pages, calls, e-mails, chat, dashboards, the "
    "news. Ask for what you would look up in real life; a source your role cannot reach will "
    "say so.",
    "Give the reason for each decision. The decision log and the after-action report use it.",
    "The facilitator may pause play, move or add events, and has the last word on what happened "
    "in the story.",
    "After play, a hot wash collects what worked, what did not and what to change.",
)


@dataclass(frozen=True)
class RoleBrief:
    id: str
    title: str
    brief: str


@dataclass(frozen=True)
class SituationManual:
    """What every player may read before play, and nothing more."""

    scenario: str
    title: str
    story_start: str
    play_length: str
    situation: str
    phases: list[tuple[str, str]]
    objectives: list[tuple[str, list[str]]]
    roles: list[RoleBrief]
    ground_rules: tuple[str, ...] = GROUND_RULES


def situation_manual(s: Scenario) -> SituationManual:
    return SituationManual(
        scenario=s.id,
        title=s.title,
        story_start=s.start_label,
        play_length=f"up to {fmt_offset(s.ends)} on the story clock ({fmt_duration(s.ends)})",
        situation=" ".join(s.summary.split()),
        phases=[(p.title, p.description) for p in s.phases],
        objectives=[(o.text, list(o.capabilities)) for o in s.objectives],
        roles=[RoleBrief(r.id, s.role_title(r.id), " ".join(r.brief.split())) for r in s.roles],
    )


@dataclass(frozen=True)
class MselRow:
    """One line of the Master Scenario Events List."""

    inject: str
    when: str  # "+0:06 (Tue 03:53)" or the condition in words
    conditional: bool
    phase: str
    channel: str
    sender: str
    to: list[str]
    title: str
    body: str
    attachments: list[str]
    question: str | None
    options: list[str]
    expects: list[str]


@dataclass(frozen=True)
class Branch:
    """A fork in the story: what makes it happen and which inject it brings."""

    trigger: str
    leads_to: str
    title: str


@dataclass(frozen=True)
class SourceRow:
    id: str
    title: str
    kind: str
    delay: str
    access: list[str]
    shows: str
    refusal: str


@dataclass(frozen=True)
class Handbook:
    """The Controller/Evaluator handbook: everything the players must not see."""

    sitman: SituationManual
    incident_types: list[str]
    msel: list[MselRow]
    branches: list[Branch]
    harm_model: list[str]
    sources: list[SourceRow]
    severity: str
    true_types: list[str]
    root_cause: str
    causes: list[tuple[str, str, bool]]
    obligations: list[dict[str, str]]
    awareness: str
    discussion: list[str]
    based_on: list[str] = field(default_factory=list)
    # the scenario's named conditions, each defined once here and shown by name elsewhere
    conditions: list[tuple[str, str]] = field(default_factory=list)


def _when(s: Scenario, inj: Inject) -> str:
    if inj.at is not None:
        return f"{fmt_offset(inj.at)} ({s.story_time(inj.at)})"
    delay = f", then {fmt_duration(inj.delay)} later" if inj.delay else ""
    return f"when {describe(inj.when)}{delay}"


def _msel(s: Scenario) -> list[MselRow]:
    phases = {p.id: p.title for p in s.phases}
    timed = sorted((i for i in s.injects if i.at is not None), key=lambda i: i.at or 0)
    rows = []
    for inj in [*timed, *(i for i in s.injects if i.at is None)]:
        q = inj.question
        rows.append(
            MselRow(
                inject=inj.id,
                when=_when(s, inj),
                conditional=inj.at is None,
                phase=phases.get(inj.phase or "", inj.phase or ""),
                channel=inj.channel,
                sender=inj.sender,
                to=[s.role_title(r) for r in inj.to],
                title=inj.title,
                body=" ".join(inj.body.split()),
                attachments=[a.title for a in inj.attachments],
                question=(q.prompt + (f" (for {s.role_title(q.role)})" if q.role else ""))
                if q
                else None,
                options=[f"{o.id}: {o.label}" for o in q.options] if q else [],
                expects=list(inj.expects),
            )
        )
    return rows


def _branches(s: Scenario) -> list[Branch]:
    out = []
    for inj in s.injects:
        if inj.when is None:
            continue
        picks = [leaf for leaf in leaves(inj.when) if isinstance(leaf, Chosen)]
        trigger = describe(inj.when)
        if picks:
            trigger = "; ".join(
                f"the answer '{p.chosen.option}' to {p.chosen.inject}" for p in picks
            ) + (f" — full condition: {trigger}" if len(leaves(inj.when)) > len(picks) else "")
        out.append(Branch(trigger=trigger, leads_to=inj.id, title=inj.title))
    return out


def _harm_model(s: Scenario) -> list[str]:
    lines = []
    for m in s.meters:
        if m.derived:
            lines.append(f"{m.label}: {m.derived.of} × {m.derived.factor:g}")
            continue
        cap = f", never above {render_value(m, m.cap)}" if m.cap is not None else ""
        parts = [f"{m.label}: from {render_value(m, m.initial)} at {m.rate:g}/min{cap}"]
        parts += [f"{r.rate:g}/min when {describe(r.when)}" for r in m.rates]
        lines.append("; ".join(parts) + " (the last rule that holds wins)" * bool(m.rates))
    return lines


def handbook(s: Scenario) -> Handbook:
    t = s.truth
    return Handbook(
        sitman=situation_manual(s),
        incident_types=list(s.types),
        msel=_msel(s),
        branches=_branches(s),
        conditions=[(name, describe(cond)) for name, cond in s.conditions.items()],
        harm_model=_harm_model(s),
        sources=[
            SourceRow(
                id=src.id,
                title=src.title,
                kind=src.kind,
                delay=fmt_duration(src.minutes)
                + (f" (+ up to {fmt_duration(src.jitter)})" if src.jitter else ""),
                access=[s.role_title(r) for r in src.access],
                shows=" ".join(src.shows.split()),
                refusal=" ".join(src.refusal.split()),
            )
            for src in s.sources
        ],
        severity=t.severity,
        true_types=list(t.types),
        root_cause=t.root_cause,
        causes=[(c.id, c.label, c.id == t.root_cause) for c in t.causes],
        obligations=[
            {
                "id": o.id,
                "regime": o.regime,
                "applies": "applies" if o.applies else "does not apply",
                "clock": f"{fmt_duration(o.clock)} after {o.starts}" if o.clock else "no clock",
                "audience": o.audience,
                "description": " ".join(o.description.split()),
            }
            for o in t.obligations
        ],
        awareness=fmt_offset(t.awareness),
        discussion=list(s.discussion),
        based_on=[
            x
            for x in (
                s.based_on.title if s.based_on else "",
                " ".join(s.based_on.summary.split()) if s.based_on else "",
                s.based_on.reference if s.based_on else "",
            )
            if x
        ],
    )
