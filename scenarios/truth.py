"""The scenario's ground truth: what scoring compares the team's view against, never shown
to players — the severity, the causes, and the obligations with their clocks.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import annotations``):
# pydantic would otherwise compile and evaluate each field's annotation string, a quarter
# of making a model, and every command makes ~100 of them (see tests/test_model_annotations.py).
from typing import Literal

from drillbook.formats.offsets import Offset
from drillbook.scenarios.base import _Model, _slug
from drillbook.scenarios.vocabulary import IncidentType, RemediationOption, Severity
from pydantic import Field, field_validator, model_validator

Trigger = Literal["start", "awareness", "classification", "resolution"]


class Cause(_Model):
    id: str
    label: str
    _slug = field_validator("id")(_slug)


class StoryTrigger(_Model):
    """A clock that starts from the story rather than from the team's own steps: when an
    inject arrives (a regulator's request), when the root cause is known, or at a set time."""

    delivered: str | None = Field(None, description="Starts when this inject is delivered.")
    diagnosed: Literal[True] | None = Field(
        None, description="Starts when the team diagnoses the true root cause."
    )
    at: Offset | None = Field(None, description="Starts at this point of the story (a date).")

    @model_validator(mode="after")
    def _one(self) -> "StoryTrigger":
        given = [k for k in ("delivered", "diagnosed", "at") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "a story trigger names exactly one of 'delivered' (an inject), 'diagnosed: true' "
                f"or 'at' (an offset); this one has {', '.join(given) or 'none'}"
            )
        return self

    def words(self) -> str:
        """How the handbook says when the clock starts."""
        from drillbook.formats.offsets import fmt_offset

        if self.delivered is not None:
            return f"delivery of {self.delivered}"
        if self.diagnosed:
            return "diagnosis of the root cause"
        return f"the story's {fmt_offset(self.at or 0)}"


class FollowUp(_Model):
    """A further report an obligation requires, with a clock of its own (an updated report
    ten days after the first; a final report within a month of the notice)."""

    id: str
    clock: Offset = Field(description="Deadline after ``from``.")
    from_: Literal["trigger", "notice"] = Field(
        "trigger",
        alias="from",
        description="Counted from the obligation's trigger, or from the notice before it.",
    )
    description: str = ""
    _slug = field_validator("id")(_slug)


class Amendment(_Model):
    """An amended report the obligation requires when its notice was incomplete: given
    before the team had diagnosed the true root cause."""

    clock: Offset = Field(description="Deadline after the diagnosis of the root cause.")
    description: str = ""


class Obligation(_Model):
    """A regulatory or contractual clock that the team must recognise (or rule out)."""

    id: str
    regime: str = Field(description="e.g. 'GDPR Art. 33', 'US DOT 14 CFR 399.88'.")
    description: str = ""
    applies: bool = Field(True, description="False for a plausible obligation that does not apply.")
    trigger: Trigger | StoryTrigger = Field(
        "awareness",
        description="When the clock starts: start, awareness, classification, resolution, or "
        "from the story: {delivered: INJECT}, {diagnosed: true}, {at: OFFSET}.",
    )
    clock: Offset | None = Field(None, description="Deadline after the trigger; none if no clock.")
    follow_ups: list[FollowUp] = Field(
        default_factory=list, description="Further reports, each with its own clock."
    )
    amend: Amendment | None = Field(
        None,
        description="A notice given before the root cause was diagnosed is incomplete: an "
        "amended report (action amend) is due within this clock of the diagnosis.",
    )

    @property
    def starts(self) -> str:
        """When the clock starts, in words (the handbook's): ``awareness``, ``delivery of …``."""
        return self.trigger if isinstance(self.trigger, str) else self.trigger.words()

    audience: Literal["regulator", "affected_individuals", "client", "public"] = "regulator"
    recipient: str = Field(
        "",
        description="Whom the notice goes to (e.g. 'Data Protection Commission'). A notice to a "
        "regulator serves this obligation only if it names its id, regime or recipient, or no one.",
    )
    _slug = field_validator("id")(_slug)


class Truth(_Model):
    """Ground truth, never shown to players: what scoring compares the team's view against."""

    severity: Severity
    types: list[IncidentType] = Field(min_length=1)
    root_cause: str
    causes: list[Cause] = Field(min_length=2, description="Candidates, including the true one.")
    obligations: list[Obligation] = Field(default_factory=list)
    awareness: Offset = Field(0, description="When the organisation is deemed aware (clocks).")
    revealed_by: list[str] = Field(
        default_factory=list,
        description="Sources (their finding) or injects (their delivery) that reveal the root "
        "cause in play; a diagnosis before one of them reached the team is a guess. None listed: "
        "any finding.",
    )
    fixes: list[RemediationOption] = Field(
        default_factory=list,
        description="Remediation options that address the root cause; none listed: any option.",
    )
    public_after: list[str] | None = Field(
        None,
        description="Injects whose delivery makes the incident public; a public statement before "
        "is premature. Absent: not judged; an empty list: the story never goes public.",
    )
    disaggregation_from: list[str] = Field(
        default_factory=list,
        description="Sources or injects that carry the group-level data a disaggregated impact "
        "assessment needs (fairness incidents); none listed: any finding.",
    )
