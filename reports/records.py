"""The After-Action Report / Improvement Plan as records: what every output format shows.

:mod:`reports.aar` builds one :class:`AAR` from a journal and its Scorecard; the HTML and
Markdown templates print it and the JSON format *is* it (``model_dump``), so the three can
never disagree on content. Times are kept both as minutes (for drawing) and as the text a
reader sees: the offset ``+1:35`` and the story clock ``Tue 05:22``.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import annotations``):
# pydantic would otherwise compile and evaluate each field's annotation string, a quarter
# of making a model, and every command makes ~100 of them (see tests/test_model_annotations.py).
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT = "drillbook-aar/1"
Status = Literal["met", "late", "missed", "violated", "not_applicable", "pending"]


class _Record(BaseModel):
    # Each record's validator is built when one is first made, not at import: commands that
    # import a record type to read it (the register, the end-of-play step) never build one.
    model_config = ConfigDict(frozen=True, defer_build=True)


class CapabilityRef(_Record):
    id: str
    title: str
    rating: str | None = None


class Objective(_Record):
    text: str
    capabilities: list[CapabilityRef] = Field(default_factory=list)


class Overview(_Record):
    """HSEEP's exercise overview: what was played, when, by whom, under which rules."""

    scenario: str
    title: str
    summary: str
    incident_types: list[str]
    date: str  # the wall date play started (ISO), which is the exercise date
    story_start: str
    played_to: str  # "+H:MM" of the end of play
    played_for: str  # the same as a duration people read
    ended: bool
    end_reason: str
    practice: bool
    kind: str  # "Official exercise" or "Practice run"
    client: str | None = None
    plan: str
    severity: str
    mode: str
    seed: int
    objectives: list[Objective] = Field(default_factory=list)
    based_on: str | None = None
    journal: str
    journal_sha256: str
    # set when the report was written against a scenario file that changed since the run
    # (--accept-changed-scenario): the first page says so
    scenario_changed: str | None = None


class DecisionRef(_Record):
    seq: int
    at: str
    role: str
    role_title: str
    decision: str


class Finding(_Record):
    """A strength or an area for improvement, tied to its rule, decision and plan sentence."""

    kind: Literal["strength", "improvement"]
    capability: str
    capability_title: str
    rule: str
    rule_title: str
    status: Status
    text: str  # one sentence a manager reads
    detail: str = ""  # the scorer's sentence: what happened against what was expected
    due: str | None = None
    done: str | None = None
    decisions: list[DecisionRef] = Field(default_factory=list)
    plan_source: str = ""


class ImpactFigure(_Record):
    meter: str
    label: str
    actual: float
    counterfactual: float
    actual_text: str
    counterfactual_text: str
    difference_text: str


class CapabilityRating(_Record):
    id: str
    title: str
    score: float
    rating: str  # in force: the evaluator's override if any
    rating_text: str
    computed_rating: str
    overridden: bool
    note: str = ""  # the evaluator's note on the rating in force, shown beside it


class ExecutiveSummary(_Record):
    readiness: float
    rating: str
    rating_text: str
    computed_readiness: float | None = None  # from the rules alone, before overrides and caps
    capped_by: list[str] = Field(default_factory=list)  # why the rating is below the score's
    pending: list[str] = Field(default_factory=list)  # titles of steps due after play ended
    capabilities: list[CapabilityRating]
    findings: list[Finding]  # the three that matter most
    impact: list[ImpactFigure]
    cost_sentence: str | None = None  # "Your response cost $X; on the plan's timeline, $Y."


class EvaluatorNote(_Record):
    at: str
    story: str
    text: str
    capability: str | None = None
    about: str | None = None  # a role


class Lesson(_Record):
    capability: str | None
    capability_title: str
    text: str
    question: str | None = None
    at: str


class CapabilityAnalysis(_Record):
    """HSEEP's analysis of one capability: rating (computed and evaluator's), then evidence."""

    id: str
    title: str
    score: float
    rating: str
    rating_text: str
    computed_rating: str
    override_rating: str | None = None
    override_note: str = ""
    strengths: list[Finding] = Field(default_factory=list)
    improvements: list[Finding] = Field(default_factory=list)
    notes: list[EvaluatorNote] = Field(default_factory=list)
    lessons: list[str] = Field(default_factory=list)


class LogVerdict(_Record):
    rule: str
    rule_title: str
    status: Status
    text: str


class DecisionRow(_Record):
    """One line of the decision log: time, inject answered, role, decision, why, verdict, step."""

    seq: int
    at: str
    sim: float
    story: str
    role: str
    role_title: str
    person: str | None = None
    inject: str | None = None
    inject_title: str | None = None
    decision: str
    rationale: str | None = None
    verdicts: list[LogVerdict] = Field(default_factory=list)
    status: Status | None = None  # the worst verdict, for colour
    plan_step: str | None = None


class TimelineMark(_Record):
    """One thing on the timeline's single axis."""

    kind: Literal["inject", "decision", "deadline"]
    at: float  # minutes
    at_text: str
    story: str
    label: str
    lane: str  # "injects", a role id, or "plan"
    status: Status | None = None
    due: float | None = None  # deadlines: when the step was due
    done: float | None = None  # deadlines: when it was done (None: never)
    rule: str | None = None


class ImprovementItem(_Record):
    """One corrective action of the Improvement Plan, tracked to completion in the register."""

    ref: str  # "IP-1", stable within one report
    action: str
    capability: str | None
    capability_title: str
    rule: str | None = None
    origin: str  # "late step", "missed step", "violated rule", "hot-wash lesson", ...
    owner_role: str | None = None
    owner_name: str | None = None
    owner: str  # what a reader sees: "Priya (Technical Lead)"
    due: str  # ISO date
    status: Literal["open", "closed"] = "open"
    plan_change: bool = False  # the lesson changes the response plan itself


class Participant(_Record):
    role: str
    role_title: str
    person: str | None = None
    decisions: int
    injects: int


class AAR(_Record):
    format: str = FORMAT
    generated_by: str
    overview: Overview
    summary: ExecutiveSummary
    timeline: list[TimelineMark]
    timeline_end: float
    capabilities: list[CapabilityAnalysis]
    decisions: list[DecisionRow]
    general_notes: list[EvaluatorNote] = Field(default_factory=list)
    lessons: list[Lesson] = Field(default_factory=list)
    improvement_plan: list[ImprovementItem] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)
