"""The Scorecard: what ``score(scenario, plan, journal)`` returns. A contract, not logic.

Reports, the register, the TUI's facilitator console and ``drillbook score --json`` all read
these records; the scorer is the only thing that builds them. Offsets are shown as
``+H:MM`` strings (``due``, ``done``, ``at``) and kept as minutes beside them for arithmetic.

Plain slotted dataclasses, built directly by the scorer: validating a card's ~140 records
through pydantic was an eighth of a score, and nothing outside the scorer makes them from
untrusted input. What pydantic checked (credit 0–1, scores 0–100, the Literal statuses and
ratings, floats where a field says float) the scorer guarantees by construction, and
tests/scoring/test_card_invariants.py proves it over the bundled scenarios and attack scripts.
``to_json`` gives what ``model_dump(mode="json")`` gave, key for key (the goldens compare it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from drillbook.scoring.status import (  # noqa: F401 - re-exported: the sort order, see .status
    RATING_TEXT,
    RATINGS,
    STATUS_ORDER,
    STATUS_RANK,
    status_rank,
)
from pydantic_core import to_jsonable_python

Rating = Literal["P", "S", "M", "U"]
RuleStatus = Literal["met", "late", "missed", "violated", "not_applicable", "pending"]


@dataclass(slots=True)
class RuleResult:
    """How one rule of the response plan fared in this run."""

    id: str
    capability: str
    kind: str  # deadline | precedence | cadence | match | guard | coverage
    title: str
    status: RuleStatus
    credit: float  # 0–1; 1 is full credit
    weight: float = 1.0
    due: str | None = None  # "+H:MM"
    done: str | None = None  # "+H:MM"
    due_min: float | None = None
    done_min: float | None = None
    late_by: float | None = None  # minutes after the window (negative: early)
    detail: str = ""  # one sentence for people: what happened against what was expected
    source: str = ""  # the sentence of the plan this rule comes from
    decisions: list[int] = field(default_factory=list)  # seq of the actions involved
    missed_clock: bool = False  # a notification clock of an obligation ran out (late or never)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "capability": self.capability,
            "kind": self.kind,
            "title": self.title,
            "status": self.status,
            "credit": self.credit,
            "weight": self.weight,
            "due": self.due,
            "done": self.done,
            "due_min": self.due_min,
            "done_min": self.done_min,
            "late_by": self.late_by,
            "detail": self.detail,
            "source": self.source,
            "decisions": list(self.decisions),
            "missed_clock": self.missed_clock,
        }


@dataclass(slots=True)
class Verdict:
    """What one decision did for one rule."""

    rule: str
    status: RuleStatus
    credit: float
    late_by: float | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "status": self.status,
            "credit": self.credit,
            "late_by": self.late_by,
            "note": self.note,
        }


@dataclass(slots=True)
class DecisionVerdict:
    """One line of the decision log."""

    seq: int
    at: str
    sim: float
    role: str
    action: str
    params: dict[str, Any] = field(default_factory=dict)
    summary: str = ""
    re: str | None = None  # the inject it answered (declared, or inferred)
    rationale: str | None = None
    plan_step: str | None = None
    verdicts: list[Verdict] = field(default_factory=list)
    counted: bool = True  # False: it earned nothing whatever its timing
    why_not: str = ""  # why it earned nothing or less: 'before the team could know', noise…

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "sim": self.sim,
            "role": self.role,
            "action": self.action,
            # the journal's own values, as pydantic's JSON mode gave them (tuples as lists)
            "params": to_jsonable_python(self.params),
            "summary": self.summary,
            "re": self.re,
            "rationale": self.rationale,
            "plan_step": self.plan_step,
            "verdicts": [v.to_json() for v in self.verdicts],
            "counted": self.counted,
            "why_not": self.why_not,
        }


@dataclass(slots=True)
class RatingOverride:
    rating: Rating
    note: str = ""
    sim: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"rating": self.rating, "note": self.note, "sim": self.sim}


@dataclass(slots=True)
class CapabilityResult:
    id: str
    title: str
    score: float  # 0–100
    rating: Rating  # the rating in force: the override if any, else the computed one
    computed_rating: Rating
    override: RatingOverride | None = None
    rules: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # evaluator notes on this capability
    lessons: list[str] = field(default_factory=list)  # hot-wash lessons on this capability
    computed_score: float | None = None  # from the rules alone, before noise and any override
    noise: int = 0  # noise decisions charged to this capability
    capped_by: list[str] = field(default_factory=list)  # why the rating is lower than the score's

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "score": self.score,
            "rating": self.rating,
            "computed_rating": self.computed_rating,
            "override": self.override.to_json() if self.override is not None else None,
            "rules": list(self.rules),
            "notes": list(self.notes),
            "lessons": list(self.lessons),
            "computed_score": self.computed_score,
            "noise": self.noise,
            "capped_by": list(self.capped_by),
        }


@dataclass(slots=True)
class ImpactLine:
    meter: str
    label: str
    actual: float
    counterfactual: float  # the same scenario with every required step at its deadline
    unit: str = ""
    format: str = "count"

    def to_json(self) -> dict[str, Any]:
        return {
            "meter": self.meter,
            "label": self.label,
            "unit": self.unit,
            "format": self.format,
            "actual": self.actual,
            "counterfactual": self.counterfactual,
        }


class DecisionLog(Sequence["DecisionVerdict"]):
    """The card's decision log, worked out the first time it is read.

    Readiness, ratings and every rule come without it; only a report, the facilitator's
    console and ``--json`` read it. A readiness simulation scores thousands of nights and
    reads none, and the log was a sixth of a score. The scorer hands it what it needs as they
    were when the card was made (its own copy of the events), so a log read later says what
    a log made at once would have. It reads as the list it stands for (``==`` a list,
    ``len``, indexing, iteration) and pickles as that list.
    """

    __slots__ = ("_items", "_make")

    def __init__(self, make: Callable[[], list[DecisionVerdict]]) -> None:
        self._make: Callable[[], list[DecisionVerdict]] | None = make
        self._items: list[DecisionVerdict] = []

    def _list(self) -> list[DecisionVerdict]:
        make = self._make
        if make is not None:
            self._items = make()
            self._make = None  # and what it held on to goes with it
        return self._items

    @overload
    def __getitem__(self, i: int) -> DecisionVerdict: ...
    @overload
    def __getitem__(self, i: slice) -> list[DecisionVerdict]: ...
    def __getitem__(self, i: int | slice) -> DecisionVerdict | list[DecisionVerdict]:
        return self._list()[i]

    def __len__(self) -> int:
        return len(self._list())

    def __iter__(self) -> Iterator[DecisionVerdict]:
        return iter(self._list())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DecisionLog):
            other = other._list()
        return self._list() == other

    __hash__ = None  # type: ignore[assignment]  # like the list it stands for

    def __repr__(self) -> str:
        return repr(self._list())

    def __reduce__(self) -> tuple[Any, ...]:
        return (list, (self._list(),))


@dataclass(slots=True)
class Scorecard:
    """A run's card. Fields are in the order they read best built by name; ``to_json`` keeps
    the order the JSON has always had."""

    scenario: str
    title: str
    plan: str
    severity: str  # the scenario's true severity, which sets the windows
    readiness: float  # 0–100
    rating: Rating
    capabilities: dict[str, CapabilityResult]
    rules: list[RuleResult]
    decisions: Sequence[DecisionVerdict]  # a list, or the scorer's DecisionLog
    impact: dict[str, ImpactLine]
    client: str | None = None
    computed_readiness: float | None = None  # from the rules alone, before evaluator overrides
    computed_rating: Rating | None = None
    rating_capped_by: list[str] = field(default_factory=list)  # why the overall rating is lower
    provisional: bool = False  # play has not ended: steps not yet due are pending, not missed
    pending: list[str] = field(default_factory=list)  # rules due after the end of play
    critical_path: list[str] = field(default_factory=list)

    def rule(self, rule_id: str) -> RuleResult | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def to_json(self) -> dict[str, Any]:
        """Deterministic plain data (``drillbook score --json``)."""
        return {
            "scenario": self.scenario,
            "title": self.title,
            "plan": self.plan,
            "client": self.client,
            "severity": self.severity,
            "readiness": self.readiness,
            "rating": self.rating,
            "computed_readiness": self.computed_readiness,
            "computed_rating": self.computed_rating,
            "rating_capped_by": list(self.rating_capped_by),
            "provisional": self.provisional,
            "pending": list(self.pending),
            "capabilities": {k: c.to_json() for k, c in self.capabilities.items()},
            "rules": [r.to_json() for r in self.rules],
            "decisions": [d.to_json() for d in self.decisions],
            "impact": {k: m.to_json() for k, m in self.impact.items()},
            "critical_path": list(self.critical_path),
        }
