"""The action vocabulary as plain data: names, parameters, the closed sets their values come from.

A scenario names actions (``actions:`` of a source, ``done:`` of a condition, ``where:`` keys
and values) and roles, but never validates one: that is a transcript's or a journal's
business. So the scenario model, its references check and ``drillbook validate`` read the
vocabulary here, and :mod:`scenarios.actions` builds its 27 pydantic models on top of the same
names. Importing this module builds no model (creating those classes was a fifth of
``validate``'s own start-up). ``tests/scenarios/test_vocabulary.py`` holds the two to each
other: every action, every parameter and every closed set of values here is the model's.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from drillbook.formats.offsets import fmt_offset
from pydantic import AfterValidator, WithJsonSchema

DefaultRole = Literal[
    "on_call",
    "incident_commander",
    "technical_lead",
    "communications_lead",
    "data_lead",
    "legal_advisor",
]
# The article's six roles: the default plan's, and every scenario's unless it declares its own.
ROLES: tuple[str, ...] = DefaultRole.__args__  # type: ignore[attr-defined]
_ROLE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def check_role_id(v: str) -> str:
    """A role is any id a scenario declares (``government_affairs``, ``ceo``); whether it is
    in play is checked against the scenario, where the whole file is known."""
    if not isinstance(v, str) or not _ROLE_ID.match(v):
        raise ValueError(
            f"'{v}' is not a role id; expected lower-case letters, digits, '-' or '_' "
            f"(the article's roles: {', '.join(ROLES)})"
        )
    return v


Role = Annotated[
    str,
    AfterValidator(check_role_id),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[a-z0-9][a-z0-9_-]*$",
            "patternErrorMessage": "not a role id; expected lower-case letters, digits, '-' or '_'",
            "examples": list(ROLES),
            "description": "A role in play: one the scenario declares (the article's six by "
            "default).",
        }
    ),
]

ROLE_TITLES: dict[str, str] = {
    "on_call": "On-call engineer",
    "incident_commander": "Incident Commander",
    "technical_lead": "Technical Lead",
    "communications_lead": "Communications Lead",
    "data_lead": "Data Lead",
    "legal_advisor": "Legal Advisor",
}

Severity = Literal["critical", "high", "medium", "low"]
SEVERITIES: tuple[str, ...] = Severity.__args__  # type: ignore[attr-defined]
IncidentType = Literal["performance", "fairness", "safety", "security", "data", "reputational"]
INCIDENT_TYPES: tuple[str, ...] = IncidentType.__args__  # type: ignore[attr-defined]

ContainMethod = Literal[
    "take_offline", "fallback", "human_review", "block_inputs", "rollback", "rate_limit"
]
EvidenceItem = Literal["logs", "model_outputs", "data_snapshot", "monitoring"]
Audience = Literal[
    "response_team", "leadership", "client", "regulator", "affected_individuals", "public"
]
UpdateAudience = Literal["response_team", "leadership", "client"]
RemediationOption = Literal["rollback", "retrain", "threshold", "feature", "pipeline_fix", "patch"]
ConsultWith = Literal["legal_advisor", "client", "leadership"]
Amended = Literal["notify", "public_statement", "status_update", "final_report"]

# Each action's parameters (as a file writes them: ``with``, not ``with_``) beyond ``action``,
# ``rationale`` and ``re``, in the model's field order, each with the closed set its values
# come from: a ``Literal`` alias, ``bool``, or None where any text, number or time goes (an id
# the scenario declares, a message, an offset).
ACTION_PARAMETERS: dict[str, dict[str, Any]] = {
    "acknowledge": {},
    "escalate": {"to": None},
    "assign_role": {"assign": None, "person": None},
    "classify": {"severity": Severity, "types": IncidentType},
    "contain": {"method": ContainMethod},
    "preserve_evidence": {"items": EvidenceItem},
    "notify": {"audience": Audience, "message": None, "regulator": None},
    "status_update": {"audience": UpdateAudience, "message": None},
    "assess_regulatory": {"obligations": None},
    "investigate": {"source": None},
    "diagnose": {"root_cause": None},
    "assess_impact": {"affected": None, "disaggregated": bool, "notes": None},
    "test_fix": {"option": RemediationOption},
    "remediate": {"option": RemediationOption, "tested": bool},
    "verify_fix": {},
    "remediate_harm": {"measure": None},
    "consult": {"with": ConsultWith},
    "public_statement": {"spokesperson": None, "message": None},
    "lift_containment": {"method": ContainMethod},
    "amend": {"of": Amended, "audience": Audience, "regulator": None, "message": None},
    "resolve": {},
    "schedule_review": {"when": None},
    "final_report": {"to": Literal["client"]},
    "add_action_item": {"text": None, "owner": None, "due": None},
    "close": {},
    "answer": {"inject": None, "option": None},
    "note": {"text": None},
}
# In the order of the action models (``scenarios.actions.ACTION_MODELS``): forms and lists show it.
ACTION_NAMES: tuple[str, ...] = tuple(ACTION_PARAMETERS)
# What every action may carry beside its parameters (the decision log's "why", the inject answered).
COMMON_FIELDS: tuple[str, ...] = ("rationale", "re")


def closed_values(action: str, key: str) -> list[Any] | None:
    """The values parameter ``key`` of ``action`` can take if they are a closed set (a
    ``Literal`` or a yes/no), else None; None too for a key the action does not have."""
    kind = ACTION_PARAMETERS[action].get(key)
    if kind is None:
        return None
    if kind is bool:
        return [True, False]
    return list(kind.__args__)


# Actions that change the system under incident: evidence must be preserved before them.
SYSTEM_CHANGES: frozenset[str] = frozenset({"contain", "remediate", "lift_containment"})


# Parameters that carry a person's own words: quoted whole, never cut to fit a summary.
_WORDS = ("message", "text", "notes", "measure")
_OFFSETS = ("when", "due")  # offsets in minutes, shown as a player writes them
_UNSHOWN = ("rationale", "re")


def describe(action: str, params: dict[str, Any]) -> str:
    """A decision as a person reads it, on screen and in the report alike:
    ``notify (audience=client) — “Pricing paused, refunds follow.”``, offsets as ``+48:00``."""
    parts = []
    for k, v in params.items():
        if k in _WORDS or k in _UNSHOWN:
            continue
        if k in _OFFSETS and isinstance(v, int | float) and not isinstance(v, bool):
            v = fmt_offset(v)
        elif isinstance(v, list):
            v = ", ".join(map(str, v)) or "none"
        parts.append(f"{k}={v}")
    text = action.replace("_", " ") + (f" ({'; '.join(parts)})" if parts else "")
    return text + "".join(f" — “{params[k]}”" for k in _WORDS if params.get(k))
