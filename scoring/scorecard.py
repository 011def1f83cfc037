"""The Scorecard: what ``score(scenario, plan, journal)`` returns. A contract, not logic.

Reports, the register, the TUI's facilitator console and ``drillbook score --json`` all read
these records; the scorer is the only thing that builds them. Offsets are shown as
``+H:MM`` strings (``due``, ``done``, ``at``) and kept as minutes beside them for arithmetic.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import annotations``):
# pydantic would otherwise compile and evaluate each field's annotation string, a quarter
# of making a model, and every command makes ~100 of them (see tests/test_model_annotations.py).
from typing import Any, Literal

from drillbook.scoring.status import (  # noqa: F401 - re-exported: the sort order, see .status
    RATING_TEXT,
    RATINGS,
    STATUS_ORDER,
    STATUS_RANK,
    status_rank,
)
from pydantic import BaseModel, ConfigDict, Field

Rating = Literal["P", "S", "M", "U"]
RuleStatus = Literal["met", "late", "missed", "violated", "not_applicable", "pending"]


class _Record(BaseModel):
    # Validators built on first use, not at import: a nested class's own validator is rarely
    # used (its parent's holds it), and building each at import was a visible share of start-up.
    model_config = ConfigDict(frozen=True, defer_build=True)


class RuleResult(_Record):
    """How one rule of the response plan fared in this run."""

    id: str
    capability: str
    kind: str  # deadline | precedence | cadence | match | guard | coverage
    title: str
    status: RuleStatus
    credit: float = Field(ge=0, le=1, description="0–1; 1 is full credit.")
    weight: float = 1.0
    due: str | None = None  # "+H:MM"
    done: str | None = None  # "+H:MM"
    due_min: float | None = None
    done_min: float | None = None
    late_by: float | None = Field(None, description="Minutes after the window (negative: early).")
    detail: str = ""  # one sentence for people: what happened against what was expected
    source: str = ""  # the sentence of the plan this rule comes from
    decisions: list[int] = Field(default_factory=list, description="seq of the actions involved")
    missed_clock: bool = Field(
        False, description="A notification clock of an obligation ran out (late or never)."
    )


class Verdict(_Record):
    """What one decision did for one rule."""

    rule: str
    status: RuleStatus
    credit: float
    late_by: float | None = None
    note: str = ""


class DecisionVerdict(_Record):
    """One line of the decision log."""

    seq: int
    at: str
    sim: float
    role: str
    action: str
    params: dict[str, Any] = Field(default_factory=dict)
    summary: str = ""
    re: str | None = None  # the inject it answered (declared, or inferred)
    rationale: str | None = None
    plan_step: str | None = None
    verdicts: list[Verdict] = Field(default_factory=list)
    counted: bool = Field(True, description="False: it earned nothing whatever its timing.")
    why_not: str = Field(
        "", description="Why it earned nothing or less: 'before the team could know', noise…"
    )


class RatingOverride(_Record):
    rating: Rating
    note: str = ""
    sim: float | None = None


class CapabilityResult(_Record):
    id: str
    title: str
    score: float = Field(ge=0, le=100)
    rating: Rating  # the rating in force: the override if any, else the computed one
    computed_rating: Rating
    override: RatingOverride | None = None
    rules: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # evaluator notes on this capability
    lessons: list[str] = Field(default_factory=list)  # hot-wash lessons on this capability
    computed_score: float | None = Field(
        None, description="The score from the rules alone, before noise and any override."
    )
    noise: int = Field(0, description="Noise decisions charged to this capability.")
    capped_by: list[str] = Field(
        default_factory=list, description="Why the rating is lower than the score's."
    )


class ImpactLine(_Record):
    meter: str
    label: str
    unit: str = ""
    format: str = "count"
    actual: float
    counterfactual: float = Field(
        description="The same scenario with every required step at its deadline."
    )


class Scorecard(_Record):
    scenario: str
    title: str
    plan: str
    client: str | None = None
    severity: str  # the scenario's true severity, which sets the windows
    readiness: float = Field(ge=0, le=100)
    rating: Rating
    computed_readiness: float | None = Field(
        None, description="Readiness from the rules alone, before evaluator overrides."
    )
    computed_rating: Rating | None = None
    rating_capped_by: list[str] = Field(
        default_factory=list, description="Why the overall rating is lower than the score's."
    )
    provisional: bool = Field(
        False, description="Play has not ended: steps not yet due are pending, not missed."
    )
    pending: list[str] = Field(
        default_factory=list, description="Rules whose deadline falls after the end of play."
    )
    capabilities: dict[str, CapabilityResult]
    rules: list[RuleResult]
    decisions: list[DecisionVerdict]
    impact: dict[str, ImpactLine]
    critical_path: list[str] = Field(default_factory=list)

    def rule(self, rule_id: str) -> RuleResult | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def to_json(self) -> dict[str, Any]:
        """Deterministic plain data (``drillbook score --json``)."""
        return self.model_dump(mode="json")
