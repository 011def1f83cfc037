"""The action contract: what a player can do, shared by transcripts, the engine, the TUI and scoring.

Each action is a small pydantic model; the ``action`` field is the discriminator. Parameters
sit beside ``at``, ``role`` and ``action`` in a transcript entry, which is why no parameter
reuses those names. Every action may carry a ``rationale`` (the decision log asks "why") and
``re`` (the inject it answers), both optional. The names, parameters and closed sets of
values are :mod:`scenarios.vocabulary`'s (plain data a scenario is checked against without
building these models); the models give them types, and a test holds the two together.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import annotations``):
# pydantic would otherwise compile and evaluate each field's annotation string, a quarter
# of making a model, and every command makes ~100 of them (see tests/test_model_annotations.py).
from functools import cache
from typing import Annotated, Any, Literal

from drillbook.formats.offsets import Offset
from drillbook.scenarios.vocabulary import (  # noqa: F401 - the action contract's names, re-exported
    ACTION_NAMES,
    INCIDENT_TYPES,
    ROLE_TITLES,
    ROLES,
    SEVERITIES,
    SYSTEM_CHANGES,
    Amended,
    Audience,
    ConsultWith,
    ContainMethod,
    DefaultRole,
    EvidenceItem,
    IncidentType,
    RemediationOption,
    Role,
    Severity,
    UpdateAudience,
    check_role_id,
    describe,
)
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class _Action(BaseModel):
    # Built on first use, not at import: ``drillbook validate`` needs the action names and
    # fields but never validates an action, and building 24 validators was a visible share
    # of its start-up.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    rationale: str | None = Field(None, description="Why the decision was taken (decision log).")
    re: str | None = Field(None, description="Id of the inject this action answers.")


class Acknowledge(_Action):
    action: Literal["acknowledge"]


class Escalate(_Action):
    action: Literal["escalate"]
    to: Role


class AssignRole(_Action):
    action: Literal["assign_role"]
    assign: Role
    person: str | None = None


class Classify(_Action):
    action: Literal["classify"]
    severity: Severity
    types: list[IncidentType] = Field(min_length=1)


class Contain(_Action):
    action: Literal["contain"]
    method: ContainMethod


class PreserveEvidence(_Action):
    action: Literal["preserve_evidence"]
    items: list[EvidenceItem] = Field(min_length=1)


class Notify(_Action):
    action: Literal["notify"]
    audience: Audience
    message: str | None = None
    regulator: str | None = None


class StatusUpdate(_Action):
    action: Literal["status_update"]
    audience: UpdateAudience
    message: str | None = None


class AssessRegulatory(_Action):
    action: Literal["assess_regulatory"]
    obligations: list[str] = Field(description="Obligation ids; an empty list means none apply.")


class Investigate(_Action):
    action: Literal["investigate"]
    source: str


class Diagnose(_Action):
    action: Literal["diagnose"]
    root_cause: str


class AssessImpact(_Action):
    action: Literal["assess_impact"]
    affected: int | None = Field(None, ge=0)
    disaggregated: bool | None = None
    notes: str | None = None


class Remediate(_Action):
    action: Literal["remediate"]
    option: RemediationOption
    tested: bool = False


class FixTest(_Action):
    """A fix tried outside production before it is deployed: what backs ``tested: true``."""

    action: Literal["test_fix"]
    option: RemediationOption


class VerifyFix(_Action):
    action: Literal["verify_fix"]


class RemediateHarm(_Action):
    action: Literal["remediate_harm"]
    measure: str


class Consult(_Action):
    action: Literal["consult"]
    with_: ConsultWith = Field(alias="with")


class PublicStatement(_Action):
    action: Literal["public_statement"]
    spokesperson: Role
    message: str


class LiftContainment(_Action):
    """Bring a contained system back (containment is not one-way): the harm may resume."""

    action: Literal["lift_containment"]
    method: ContainMethod | None = Field(
        None, description="The containment lifted; none: every containment in force."
    )


class Amend(_Action):
    """Correct an earlier statement, notice, update or report, naming which kind it was."""

    action: Literal["amend"]
    of: Amended = Field(description="The action whose earlier message this corrects.")
    audience: Audience | None = None
    regulator: str | None = Field(
        None, description="For a notice: the obligation id, regime or recipient it amends."
    )
    message: str | None = None


class Resolve(_Action):
    action: Literal["resolve"]


class ScheduleReview(_Action):
    action: Literal["schedule_review"]
    when: Offset


class FinalReport(_Action):
    action: Literal["final_report"]
    to: Literal["client"] = "client"


class AddActionItem(_Action):
    action: Literal["add_action_item"]
    text: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    due: Offset


class Close(_Action):
    action: Literal["close"]


class Answer(_Action):
    action: Literal["answer"]
    inject: str
    option: str


class Note(_Action):
    action: Literal["note"]
    text: str = Field(min_length=1)


ACTION_MODELS: tuple[type[_Action], ...] = (
    Acknowledge,
    Escalate,
    AssignRole,
    Classify,
    Contain,
    PreserveEvidence,
    Notify,
    StatusUpdate,
    AssessRegulatory,
    Investigate,
    Diagnose,
    AssessImpact,
    FixTest,
    Remediate,
    VerifyFix,
    RemediateHarm,
    Consult,
    PublicStatement,
    LiftContainment,
    Amend,
    Resolve,
    ScheduleReview,
    FinalReport,
    AddActionItem,
    Close,
    Answer,
    Note,
)
ActionParams = Annotated[
    Acknowledge
    | Escalate
    | AssignRole
    | Classify
    | Contain
    | PreserveEvidence
    | Notify
    | StatusUpdate
    | AssessRegulatory
    | Investigate
    | Diagnose
    | AssessImpact
    | FixTest
    | Remediate
    | VerifyFix
    | RemediateHarm
    | Consult
    | PublicStatement
    | LiftContainment
    | Amend
    | Resolve
    | ScheduleReview
    | FinalReport
    | AddActionItem
    | Close
    | Answer
    | Note,
    Field(discriminator="action"),
]


@cache
def _adapter() -> TypeAdapter[Any]:
    return TypeAdapter(ActionParams)


def parse_action(data: dict[str, Any]) -> _Action:
    """Validate one action's name and parameters (raises pydantic's ValidationError)."""
    return _adapter().validate_python(data)


def params_of(action: _Action) -> dict[str, Any]:
    """An action's parameters as plain JSON data, without ``action`` and unset optionals."""
    # Through the union's serializer, which ``parse_action`` has built already: an action's own
    # ``model_dump`` would build a serializer for each of the 27 classes it meets, once each.
    data = _adapter().dump_python(action, mode="json", by_alias=True, exclude_none=True)
    data.pop("action", None)
    return data


ActionModel = _Action
