"""The kinds of rule a response plan holds, and the plain types every part of a plan uses.

Split from :mod:`scoring.plan` so the plan file's format reads in two parts: what a plan says
(severities, roles, steps, timing, ratings — ``plan``) and how its rules judge a run (here).
Each rule kind is evaluated by :mod:`scoring.timed` or :mod:`scoring.judged`.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import annotations``):
# pydantic would otherwise compile and evaluate each field's annotation string, a quarter
# of making a model, and every command makes ~100 of them (see tests/test_model_annotations.py).
from typing import Annotated, Any, Literal

from drillbook.formats.offsets import OFFSET_PATTERN, parse_offset
from drillbook.scenarios.actions import IncidentType, Role, Severity
from drillbook.scenarios.model import check_id as _slug
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator

Anchor = Literal[
    "start", "awareness", "acknowledgement", "classification", "containment", "resolution"
]
RULE_KINDS: tuple[str, ...] = (
    "deadline",
    "precedence",
    "cadence",
    "match",
    "guard",
    "coverage",
    "judgement",
)
Scalar = str | int | float | bool


def _window(value: Any) -> int:
    """A length of time: ``"+H:MM"`` or whole minutes. Reworded from offsets: not a moment."""
    try:
        return parse_offset(value)
    except ValueError:
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
            raise ValueError(f"{value} is negative; expected a duration of 0 or more") from None
        shown = f'"{value}"' if isinstance(value, str) else repr(value)
        raise ValueError(
            f'{shown} is not a duration; expected "+H:MM" (quoted) or whole minutes'
        ) from None


Window = Annotated[
    int,
    BeforeValidator(_window),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": OFFSET_PATTERN},
                {"type": "integer", "minimum": 0},
            ],
            "description": 'A duration: "+H:MM" (quoted) or whole minutes.',
        }
    ),
]
Windows = dict[Severity, Window]


class _Model(BaseModel):
    # Validators built on first use, not at import: a nested class's own validator is rarely
    # used (its parent's holds it), and building each at import was a visible share of start-up.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class _Rule(_Model):
    id: str
    title: str
    capability: str
    weight: float = Field(1.0, gt=0)
    source: str = ""
    only_for_types: list[IncidentType] = Field(
        default_factory=list,
        description="Applies only when the scenario's true incident types include one of these.",
    )
    _slug = field_validator("id")(_slug)


class _Timed(_Rule):
    step: str
    where: dict[str, Scalar | list[Scalar]] = Field(
        default_factory=dict, description="Only actions of the step with these parameters count."
    )
    anchor: Anchor = "awareness"
    windows: Windows = Field(default_factory=dict, description="Per true severity; none: n/a.")


class DeadlineRule(_Timed):
    """The step within a window after an anchor."""

    kind: Literal["deadline"]
    time_param: str | None = Field(
        None, description="The step takes place at this offset parameter (a review's `when`)."
    )
    obligations: bool = Field(
        False, description="Windows are the clocks of the scenario's obligations that apply."
    )
    undue_delay: Windows = Field(
        default_factory=dict,
        description="With obligations: the window for an obligation that has no clock of its own "
        '("without undue delay"), per true severity; none: such obligations are not timed.',
    )


class CoverageRule(_Timed):
    """Every role, every value, or enough occurrences of a step, each within the window."""

    kind: Literal["coverage"]
    roles: list[Role] = Field(default_factory=list)
    param: str | None = None
    values: list[str] = Field(default_factory=list)
    count: int | None = Field(None, ge=1)
    future_param: str | None = Field(
        None, description="An occurrence counts only if this offset lies after it (a due date)."
    )


class PrecedenceRule(_Rule):
    """Step ``before`` must come before the first of the ``after`` steps."""

    kind: Literal["precedence"]
    before: str
    after: list[str] = Field(min_length=1)


ANCHORS: tuple[str, ...] = Anchor.__args__  # type: ignore[attr-defined]


def _cadence_from(value: Any) -> str | int:
    """An anchor's name, or a duration after the rule's start: one message for both."""
    if isinstance(value, str) and value.strip() in ANCHORS:
        return value.strip()
    try:
        return parse_offset(value)
    except ValueError:
        shown = f'"{value}"' if isinstance(value, str) else repr(value)
        raise ValueError(
            f"{shown} is neither an anchor nor a duration; expected one of "
            + ", ".join(ANCHORS)
            + ', or "+H:MM" after the start'
        ) from None


CadenceFrom = Annotated[
    str | int,
    BeforeValidator(_cadence_from),
    WithJsonSchema(
        {
            "anyOf": [
                {"enum": list(Anchor.__args__)},  # type: ignore[attr-defined]
                {"type": "string", "pattern": OFFSET_PATTERN},
                {"type": "integer", "minimum": 0},
            ],
            "description": 'An anchor, or a duration after the rule\'s start ("+24:00").',
        }
    ),
]


class CadencePhase(_Model):
    """From an anchor on, or a duration after the rule's ``start``, the cadence changes:
    "every 4 hours after containment", "every 4 hours after the first day" (``from:
    "+24:00"``). ``every`` is one duration for every severity, or one per severity (a
    severity with none keeps the cadence in force before it)."""

    from_: CadenceFrom = Field(alias="from")
    every: Window | Windows

    def every_at(self, severity: str) -> int | None:
        return self.every if isinstance(self.every, int) else self.every.get(severity)


class CadenceRule(_Rule):
    """The step at least every N (per true severity) from one anchor until another; the
    cadence may change along the way (``cadence``: hourly for the first day, every four hours
    after containment)."""

    kind: Literal["cadence"]
    step: str
    where: dict[str, Scalar | list[Scalar]] = Field(
        default_factory=dict, description="Only actions of the step with these parameters count."
    )
    every: Windows = Field(
        default_factory=dict,
        description="From ``start``, per true severity. Written as {} (and only then): no "
        "cadence of the plan's own, the rule applies where a client's SLA sets the interval.",
    )
    cadence: list[CadencePhase] = Field(
        default_factory=list,
        description="Later cadences, each from an anchor on (in force once the anchor is "
        "reached, the last reached wins).",
    )
    start: Anchor = "classification"
    until: Anchor = "resolution"


class MatchRule(_Rule):
    """What the team settled on (its last such decision) against the scenario's truth."""

    kind: Literal["match"]
    step: str
    compare: Literal["severity", "root_cause", "obligations"]
    over: list[float] = Field(
        default_factory=list, description="Credit when 1, 2, 3 levels above the true severity."
    )
    under: list[float] = Field(
        default_factory=list, description="Credit when 1, 2, 3 levels below the true severity."
    )
    missed_cost: float = Field(1.0, ge=0, description="Credit lost for missing every obligation.")
    extra_cost: float = Field(0.25, ge=0, description="Credit lost for claiming every other one.")
    superseded_cost: float = Field(
        0.25,
        ge=0,
        description="Credit lost for each wrong answer the team gave before the one it settled "
        "on: a guess, or a placeholder, is not a considered answer.",
    )


class GuardRule(_Rule):
    """A forbidden sequence: the step without its prerequisites, or a second value of a param."""

    kind: Literal["guard"]
    step: str
    requires_before: list[str] = Field(default_factory=list)
    single: str | None = None
    single_actor: bool = Field(
        False,
        description="With single: the role that takes the step counts too (one person speaks).",
    )
    only_when_public: bool = Field(
        False,
        description="The step is premature before the scenario's story is public "
        "(truth.public_after).",
    )


class JudgementRule(_Rule):
    """Answers to inject questions whose options carry a verdict (sound / poor / harmful).

    One result per judged question, under the capability the question (or the answer) bears
    on; ``capability`` is the one used when the scenario names none."""

    kind: Literal["judgement"]
    poor: float = Field(0.4, ge=0, le=1, description="Credit for a poor answer.")
    superseded_cost: float = Field(0.25, ge=0, description="Lost per answer changed from.")


Rule = Annotated[
    DeadlineRule
    | CoverageRule
    | PrecedenceRule
    | CadenceRule
    | MatchRule
    | GuardRule
    | JudgementRule,
    Field(discriminator="kind"),
]
