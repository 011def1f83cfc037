"""Build the After-Action Report / Improvement Plan from a journal and its Scorecard.

The journal says what happened (injects, decisions, notes, lessons, who played); the
Scorecard says how it measured up against the plan. This module joins the two into the
:class:`~reports.records.AAR` that every format prints. It computes no score of its own:
ratings, verdicts and impact figures are the scorer's, worded for a reader.
"""

from __future__ import annotations

from typing import Any

from drillbook.formats.offsets import fmt_duration, fmt_offset
from drillbook.reports import findings as fnd
from drillbook.reports.exercise import Exercise
from drillbook.reports.headline import headline_meters
from drillbook.reports.improvement import improvement_plan
from drillbook.reports.planlink import drives_impact, impact_actions
from drillbook.reports.records import (
    AAR,
    CapabilityAnalysis,
    CapabilityRating,
    CapabilityRef,
    DecisionRow,
    EvaluatorNote,
    ExecutiveSummary,
    ImpactFigure,
    Lesson,
    LogVerdict,
    Objective,
    Overview,
    Participant,
)
from drillbook.reports.timeline import marks
from drillbook.scenarios.actions import ROLE_TITLES, describe
from drillbook.scenarios.model import Meter, Scenario
from drillbook.scoring.scorecard import RATING_TEXT, ImpactLine, Scorecard
from drillbook.simulator.events import Kind
from drillbook.simulator.journal import Event
from drillbook.simulator.meters import render_value

_STATUS_WORD = {
    "met": "met",
    "late": "late",
    "missed": "missed",
    "violated": "broke",
    "not_applicable": "n/a",
    "pending": "pending",
}


def build_aar(ex: Exercise) -> AAR:
    """The whole report as one record (see :mod:`reports.records`)."""
    from drillbook.formats.version import VERSION as __version__

    card, scenario, events = ex.scorecard, ex.scenario, ex.events
    all_findings = fnd.all_findings(card)
    notes = _notes(scenario, events)
    return AAR(
        generated_by=f"drillbook {__version__}",
        overview=_overview(ex),
        summary=_summary(ex, all_findings),
        timeline=marks(scenario, card, events),
        timeline_end=ex.end,
        capabilities=_capabilities(card, all_findings, notes, events),
        decisions=decision_log(ex),
        general_notes=[
            n for n in notes if not n.capability or n.capability not in card.capabilities
        ],
        lessons=_lessons(card, scenario, events),
        improvement_plan=improvement_plan(card, events, ex.people, ex.date, ex.plan),
        participants=_participants(scenario, events, ex.people),
    )


def _overview(ex: Exercise) -> Overview:
    s, card, header = ex.scenario, ex.scorecard, ex.header
    ended = [e for e in ex.events if e["type"] == Kind.RUN_ENDED]
    caps = card.capabilities
    return Overview(
        scenario=s.id,
        title=s.title,
        summary=" ".join(s.summary.split()),
        incident_types=list(s.types),
        date=ex.date.isoformat(),
        story_start=s.start_label,
        played_to=fmt_offset(ex.end),
        played_for=fmt_duration(ex.end),
        ended=bool(ended),
        end_reason=str(ended[-1].get("reason", "")) if ended else "play has not ended",
        practice=ex.practice,
        kind="Practice run" if ex.practice else "Official exercise",
        client=ex.client_name or card.client,
        plan=card.plan,
        severity=card.severity,
        mode=str(header.get("mode", "")),
        seed=int(header.get("seed") or 0),
        objectives=[
            Objective(
                text=o.text,
                capabilities=[
                    CapabilityRef(
                        id=c,
                        title=caps[c].title if c in caps else c,
                        rating=caps[c].rating if c in caps else None,
                    )
                    for c in o.capabilities
                ],
            )
            for o in s.objectives
        ],
        based_on=s.based_on.title if s.based_on else None,
        journal=str(ex.journal.path),
        journal_sha256=ex.sha256,
        scenario_changed=(
            "The scenario file changed after this exercise was played; this report was "
            "written against the file as it is now (--accept-changed-scenario), so injects "
            "and scoring may differ from what the team saw."
            if ex.scenario_changed
            else None
        ),
    )


def impact_figure(line: ImpactLine, scenario: Scenario) -> ImpactFigure:
    """One meter's actual value against the plan's counterfactual, formatted as players saw it."""
    meter = impact_meter(line, scenario)
    diff = line.actual - line.counterfactual
    if abs(diff) < 1e-9:
        diff_text = "the same as on the plan's timeline"
    else:
        more = "more" if diff > 0 else "less"
        diff_text = f"{render_value(meter, abs(diff))} {more} than on the plan's timeline"
    return ImpactFigure(
        meter=line.meter,
        label=line.label,
        actual=line.actual,
        counterfactual=line.counterfactual,
        actual_text=render_value(meter, line.actual),
        counterfactual_text=render_value(meter, line.counterfactual),
        difference_text=diff_text,
    )


def cost_sentence(impact: list[ImpactFigure], shown: list[Meter]) -> str | None:
    """ "Your response cost $X; on the plan's timeline, $Y." for the headline meters among
    ``shown`` (the meters of ``impact``, in its order)."""
    figures = {f.meter: f for f in impact}
    meters, as_cost = headline_meters([m for m in shown if m.id in figures])
    if not meters:
        return None
    if as_cost:
        f = figures[meters[0].id]
        return (
            f"Your response cost {f.actual_text}; on the plan's timeline, {f.counterfactual_text}."
        )
    return (
        " ".join(
            f"{f.label}: {f.actual_text} with your response; on the plan's timeline, "
            f"{f.counterfactual_text}."
            for f in (figures[m.id] for m in meters)
        )
        or None
    )


def impact_meter(line: ImpactLine, scenario: Scenario) -> Meter:
    """The scenario's meter for an impact line, or one rebuilt from what the line recorded."""
    return scenario.meter(line.meter) or Meter(
        id=line.meter, label=line.label, unit=line.unit, format=line.format
    )


def _summary(ex: Exercise, findings: list[Any]) -> ExecutiveSummary:
    card, scenario = ex.scorecard, ex.scenario
    actions = impact_actions(scenario)
    impact = [impact_figure(line, scenario) for line in card.impact.values()]
    return ExecutiveSummary(
        readiness=round(card.readiness, 1),
        rating=card.rating,
        rating_text=RATING_TEXT[card.rating],
        computed_readiness=card.computed_readiness,
        capped_by=card.rating_capped_by,
        pending=[r.title for r in card.rules if r.status == "pending"],
        capabilities=[
            CapabilityRating(
                id=c.id,
                title=c.title,
                score=round(c.score, 1),
                rating=c.rating,
                rating_text=RATING_TEXT[c.rating],
                computed_rating=c.computed_rating,
                overridden=c.override is not None,
                note=c.override.note if c.override else "",
            )
            for c in card.capabilities.values()
        ],
        findings=fnd.top_findings(
            card, findings, lambda rule: drives_impact(ex.plan, rule, actions)
        ),
        impact=impact,
        cost_sentence=cost_sentence(
            impact, [impact_meter(line, scenario) for line in card.impact.values()]
        ),
    )


def _when(scenario: Scenario, sim: float) -> tuple[str, str]:
    return fmt_offset(sim), scenario.story_time(sim)


def _notes(scenario: Scenario, events: list[Event]) -> list[EvaluatorNote]:
    out = []
    for e in events:
        if e["type"] != Kind.EVALUATOR_NOTE:
            continue
        at, story = _when(scenario, float(e["sim"]))
        out.append(
            EvaluatorNote(
                at=at,
                story=story,
                text=str(e.get("text") or ""),
                capability=e.get("capability") or None,
                about=e.get("about") or None,
            )
        )
    return out


def _capabilities(
    card: Scorecard, findings: list[Any], notes: list[EvaluatorNote], events: list[Event]
) -> list[CapabilityAnalysis]:
    lessons: dict[str, list[str]] = {}
    for e in events:
        if e["type"] == Kind.LESSON and e.get("capability"):
            lessons.setdefault(str(e["capability"]), []).append(str(e.get("text") or ""))
    out = []
    for c in card.capabilities.values():
        mine = [f for f in findings if f.capability == c.id]
        out.append(
            CapabilityAnalysis(
                id=c.id,
                title=c.title,
                score=round(c.score, 1),
                rating=c.rating,
                rating_text=RATING_TEXT[c.rating],
                computed_rating=c.computed_rating,
                override_rating=c.override.rating if c.override else None,
                override_note=c.override.note if c.override else "",
                strengths=[f for f in mine if f.kind == "strength"],
                improvements=[f for f in mine if f.kind == "improvement"],
                notes=[n for n in notes if n.capability == c.id],
                lessons=lessons.get(c.id, list(c.lessons)),
            )
        )
    return out


def decision_log(ex: Exercise) -> list[DecisionRow]:
    """Every decision in journal order, with the scorer's verdicts beside it."""
    card, scenario = ex.scorecard, ex.scenario
    verdicts = {d.seq: d for d in card.decisions}
    titles: dict[str, str] = {}
    for e in ex.events:
        if e["type"] == Kind.INJECT_DELIVERED:
            titles.setdefault(str(e["inject"]), str(e.get("title") or ""))
    rows = []
    for e in ex.events:
        if e["type"] != Kind.DECISION:
            continue
        params = dict(e.get("params") or {})
        dv = verdicts.get(int(e["seq"]))
        re_ = (dv.re if dv else None) or params.get("re")
        log_verdicts = []
        for v in dv.verdicts if dv else []:
            rule = card.rule(v.rule)
            late = f" by {fmt_duration(v.late_by)}" if v.status == "late" and v.late_by else ""
            note = f": {v.note}" if v.note else ""
            log_verdicts.append(
                LogVerdict(
                    rule=v.rule,
                    rule_title=rule.title if rule else v.rule,
                    status=v.status,
                    text=f"{_STATUS_WORD[v.status]}{late} — {rule.title if rule else v.rule}{note}",
                )
            )
        if dv and dv.why_not:
            # Why it earned nothing or less, in the scorer's words: "before the team could
            # know", "noise: …", "tested: no test of this fix before it was deployed".
            log_verdicts.insert(
                0,
                LogVerdict(
                    rule="counted" if dv.counted else "noise",
                    rule_title="Earned nothing" if not dv.counted else "Noise",
                    status="violated",
                    text=f"earned nothing — {dv.why_not}"
                    if not dv.counted
                    else f"counts against — {dv.why_not}",
                ),
            )
        worst = min((v.status for v in log_verdicts), key=fnd.STATUS_RANK.get, default=None)
        at, story = _when(scenario, float(e["sim"]))
        role = str(e["role"])
        rows.append(
            DecisionRow(
                seq=int(e["seq"]),
                at=at,
                sim=float(e["sim"]),
                story=story,
                role=role,
                role_title=ROLE_TITLES.get(role, role),
                person=ex.people.get(role),
                inject=re_,
                inject_title=titles.get(re_) if re_ else None,
                decision=describe(str(e["action"]), params),
                rationale=(dv.rationale if dv and dv.rationale else params.get("rationale")),
                verdicts=log_verdicts,
                status=worst,
                plan_step=dv.plan_step if dv else None,
            )
        )
    return rows


def _lessons(card: Scorecard, scenario: Scenario, events: list[Event]) -> list[Lesson]:
    out = []
    for e in events:
        if e["type"] != Kind.LESSON:
            continue
        cap = e.get("capability") or None
        q = e.get("question")
        question = (
            scenario.discussion[q]
            if isinstance(q, int) and 0 <= q < len(scenario.discussion)
            else None
        )
        out.append(
            Lesson(
                capability=cap,
                capability_title=card.capabilities[cap].title
                if cap in card.capabilities
                else (cap or "General"),
                text=str(e.get("text") or ""),
                question=question,
                at=fmt_offset(float(e["sim"])),
            )
        )
    return out


def _participants(
    scenario: Scenario, events: list[Event], people: dict[str, str]
) -> list[Participant]:
    roles = list(scenario.role_ids)
    for e in events:
        if e["type"] == Kind.DECISION and e["role"] not in roles:
            roles.append(str(e["role"]))
    decided = {r: 0 for r in roles}
    received = {r: 0 for r in roles}
    for e in events:
        if e["type"] == Kind.DECISION:
            decided[str(e["role"])] += 1
        elif e["type"] == Kind.INJECT_DELIVERED:
            for r in e.get("to") or ():
                if r in received:
                    received[r] += 1
    return [
        Participant(
            role=r,
            role_title=ROLE_TITLES.get(r, r),
            person=people.get(r),
            decisions=decided[r],
            injects=received[r],
        )
        for r in roles
    ]
