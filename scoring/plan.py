"""The response plan as data: what the scorer measures a team against.

A plan is YAML, read and validated like a scenario (positions, duplicate keys, friendly
errors). It says what the article's plan says, in a form a program can check: severity levels,
roles, phases, the *steps* of the plan (each one action of the action contract, with the
plan's own words), the *rules* that time and judge those steps, the timing-credit curve, the
HSEEP thresholds and how readiness rolls up. Every rule carries the sentence it comes from
(``source``), so a facilitator can defend a score by pointing at the plan.

Cross-references (a rule naming an unknown step, a precedence cycle, a capability with no
rules) are checked by :mod:`scoring.planchecks`, which places each problem in the file.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import annotations``):
# pydantic would otherwise compile and evaluate each field's annotation string, a quarter
# of making a model, and every command makes ~100 of them (see tests/test_model_annotations.py).
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from drillbook.data import path as bundled_path
from drillbook.formats.validation import validate
from drillbook.formats.yamlsource import InputError, read
from drillbook.scenarios.actions import ACTION_NAMES, Audience, Role, Severity
from drillbook.scenarios.model import check_id as _slug
from drillbook.scoring.rules import (  # noqa: F401 - the plan format's names, imported from here by its readers
    RULE_KINDS,
    Anchor,
    CadenceRule,
    CoverageRule,
    DeadlineRule,
    GuardRule,
    JudgementRule,
    MatchRule,
    PrecedenceRule,
    Rule,
    Scalar,
    Window,
    Windows,
    _Model,
)
from drillbook.scoring.scorecard import Rating
from pydantic import BeforeValidator, Field, field_validator

DEFAULT_PLAN_PATH = bundled_path("plans", "default.yaml")


class SeverityLevel(_Model):
    """A severity level: how fast the response starts and who must be told."""

    title: str
    response: Window = Field(description="When the response must start, after awareness.")
    tell: list[Audience] = Field(default_factory=list, description="Who must be told.")
    source: str = ""


class PlanRole(_Model):
    """A role of the plan. ``duties`` are the kinds of work it carries (``communications``),
    which steps may name instead of roles and scenarios may give to roles of their own."""

    id: Role
    title: str
    duties: list[str] = Field(default_factory=list, description="Duty kinds (ids) it carries.")
    duty: str = ""
    not_duty: str = Field(
        "", description="What the role does not do (said when it takes such a step anyway)."
    )
    source: str = ""


class PlanPhase(_Model):
    id: str
    title: str
    source: str = ""
    _slug = field_validator("id")(_slug)


class Capability(_Model):
    """A group of rules scored and rated together (an HSEEP core capability)."""

    title: str
    weight: float = Field(1.0, gt=0, description="Its share of the readiness score.")
    source: str = ""


class Step(_Model):
    """One step of the plan: the action that performs it, and the plan's words for it.

    ``where`` narrows the action by its parameters (``notify`` to the client is its own step).
    ``after`` lists the steps the plan puts before this one; with the precedence rules they
    make the plan's precedence graph. ``params`` are the parameters the plan's timeline
    (the counterfactual) uses when the team never took the step.
    """

    id: str
    title: str
    phase: str
    action: str
    where: dict[str, Scalar | list[Scalar]] = Field(default_factory=dict)
    role: Role | None = Field(None, description="Who does it on the plan's timeline.")
    roles: list[Role] = Field(
        default_factory=list,
        description="Who may take it (the plan's duties); anyone else earns reduced credit. "
        "None listed (and no duties): anyone.",
    )
    duties: list[str] = Field(
        default_factory=list,
        description="Kinds of role that may take it (a plan role's duties, or a duty a "
        "scenario gives its own roles), besides the roles listed.",
    )
    after: list[str] = Field(default_factory=list)
    text: str = ""
    params: dict[str, Any] = Field(default_factory=dict)
    _slug = field_validator("id")(_slug)

    @field_validator("action")
    @classmethod
    def _action(cls, v: str) -> str:
        if v not in ACTION_NAMES:
            raise ValueError(f"'{v}' is not an action; expected one of: {', '.join(ACTION_NAMES)}")
        return v


class Timing(_Model):
    """Credit is 1 up to the deadline, then falls linearly to 0 at deadline + grace.

    ``grace = max(window × grace_factor, min_grace)``: a short window still leaves some room,
    a long one decays over a proportionate time.
    """

    grace_factor: float = Field(2.0, ge=0)
    min_grace: Window = 30
    source: str = ""


class Ratings(_Model):
    """HSEEP ratings from a 0–100 score: at least P, else at least S, else at least M, else U."""

    P: float = Field(90, ge=0, le=100)
    S: float = Field(70, ge=0, le=100)
    M: float = Field(40, ge=0, le=100)
    source: str = ""

    def rate(self, score: float) -> Rating:
        if score >= self.P:
            return "P"
        if score >= self.S:
            return "S"
        if score >= self.M:
            return "M"
        return "U"


class Rollup(_Model):
    """How rule credits become capability scores, and capability scores readiness."""

    readiness: Literal["capabilities", "rules"] = Field(
        "capabilities",
        description="Weighted mean of capability scores, or of every applicable rule's credit.",
    )
    violation_caps_rating: Rating | None = Field(
        "M",
        description="A capability with a rule violated outright (credit 0: a broken guard or "
        "precedence, a wrong answer) is rated no better than this.",
    )
    missed_clock_caps_rating: Rating | None = Field(
        "M",
        description="A capability in which a notification clock of an obligation was missed "
        "(late or never) is rated no better than this.",
    )
    overall_caps: dict[Rating, Rating] = Field(
        default_factory=lambda: {"U": "M", "M": "S"},
        description="Overall readiness is rated no better than the value while any capability "
        "is rated the key (a U in containment is not hidden by the mean).",
    )
    several_caps: dict[Rating, Rating] = Field(
        default_factory=lambda: {"M": "M"},
        description="Overall readiness is rated no better than the value while two or more "
        "capabilities are rated the key or worse (major challenges in several places are major "
        "challenges overall).",
    )
    missed_clock_caps_overall: Rating | None = Field(
        "S", description="Overall readiness is rated no better than this after a missed clock."
    )
    source: str = ""


class Discipline(_Model):
    """What a decision must be besides on time: by the right role, and not noise."""

    wrong_role_credit: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of a step's credit when a role the plan does not give it to takes it.",
    )
    noise_cost: float = Field(
        5.0,
        ge=0,
        description="Points of its capability's score lost per noise decision: one made before "
        "the team could know, a notice with no reason, a message far beyond the cadence.",
    )
    message_slack: int = Field(
        10,
        ge=0,
        description="Messages to one audience allowed beyond the updates the cadence asks for "
        "over the plan's open period; any more are noise.",
    )
    source: str = ""


def _as_text(value: Any) -> Any:
    """``version: 2`` and ``date: 2025-04-01`` as people write them, kept as text."""
    if isinstance(value, int | float | date) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, date) else str(value)
    return value


Text = Annotated[str, BeforeValidator(_as_text)]


class Criteria(_Model):
    """The questions that decide a severity level (printed on the on-call card)."""

    questions: list[str] = Field(default_factory=list)
    source: str = ""


class ChangeEntry(_Model):
    """One version of the plan in its changelog: what changed, and the lessons behind it."""

    version: Text
    date: Text = Field("", description="When this version came into force (YYYY-MM-DD).")
    changes: list[str] = Field(default_factory=list, description="What changed, in words.")
    items: list[int] = Field(
        default_factory=list,
        description="Register improvement items (ids) whose lessons this version carries.",
    )


class ResponsePlan(_Model):
    """A response plan: the article's, bundled as the default, or an organisation's own.

    ``version`` and ``changelog`` are optional (a plan without them is version "" and means
    what it always meant): they let the register tell an exercise scored against one version
    from one scored against the next.
    """

    id: str
    title: str
    version: Text = Field("", description='The plan\'s version, e.g. "2" or "2025.2".')
    changelog: list[ChangeEntry] = Field(
        default_factory=list, description="One entry per version, newest last."
    )
    source: str = ""
    criteria: Criteria = Field(default_factory=Criteria)
    severities: dict[Severity, SeverityLevel]
    roles: list[PlanRole] = Field(default_factory=list)
    phases: list[PlanPhase] = Field(min_length=1)
    capabilities: dict[str, Capability] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)
    rules: list[Rule] = Field(min_length=1)
    timing: Timing = Field(default_factory=Timing)
    ratings: Ratings = Field(default_factory=Ratings)
    rollup: Rollup = Field(default_factory=Rollup)
    discipline: Discipline = Field(default_factory=Discipline)
    _slug = field_validator("id")(_slug)

    def role(self, role_id: str) -> PlanRole | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def rule(self, rule_id: str) -> Any:
        return next((r for r in self.rules if r.id == rule_id), None)

    @property
    def label(self) -> str:
        """How people name this plan: ``default v2`` (or ``default`` when unversioned)."""
        return f"{self.id} v{self.version}" if self.version else self.id


def _kind_problems(doc: Any) -> list[Any]:
    """An unknown or missing rule kind, placed on the kind itself (pydantic would point at
    the whole rule and list tags in its own words)."""
    rules = doc.data.get("rules") if isinstance(doc.data, dict) else None
    if not isinstance(rules, list):
        return []
    out = []
    kinds = ", ".join(RULE_KINDS)
    for i, raw in enumerate(rules):
        if not isinstance(raw, dict):
            continue
        if "kind" not in raw:
            out.append(
                doc.positions.problem(
                    ("rules", i), f"rules[{i}]: 'kind' is missing; expected one of: {kinds}"
                )
            )
        elif raw["kind"] not in RULE_KINDS:
            out.append(
                doc.positions.problem(
                    ("rules", i, "kind"),
                    f"rules[{i}].kind: unknown rule kind '{raw['kind']}'; expected one of: {kinds}",
                )
            )
    return out


def load_plan(path: str | Path) -> ResponsePlan:
    """Read, validate and cross-check one response plan; every problem comes back placed."""
    from drillbook.scoring.planchecks import check

    doc = read(path, reuse=True)
    kinds = _kind_problems(doc)
    if kinds:
        raise InputError(kinds)
    plan = validate(ResponsePlan, doc, reuse=True)
    problems = [doc.positions.problem(p, msg, key=key) for p, msg, key in check(plan)]
    if problems:
        raise InputError(problems)
    return plan


def default_plan() -> ResponsePlan:
    """The bundled plan: the article's "Building an AI Incident Response Plan"."""
    return load_plan(DEFAULT_PLAN_PATH)


def rule_actions(plan: ResponsePlan, types: list[str] | None = None) -> dict[str, set[str]]:
    """Rule id → the actions that exercise it (for ``drillbook lint``).

    With ``types`` (a scenario's incident types), rules limited to other types are left out:
    a performance scenario owes no chance to run a disaggregated fairness analysis.
    """
    out: dict[str, set[str]] = {}
    for rule in plan.rules:
        if types is not None and rule.only_for_types and not set(rule.only_for_types) & set(types):
            continue
        step_ids: list[str] = []
        if isinstance(rule, JudgementRule):
            out[rule.id] = {"answer"}
            continue
        if isinstance(rule, PrecedenceRule):
            step_ids = [rule.before, *rule.after]
        else:
            step_ids = [rule.step, *getattr(rule, "requires_before", [])]
        out[rule.id] = {s.action for sid in step_ids if (s := plan.step(sid)) is not None}
    return out
