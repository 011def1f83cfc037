"""Client profiles: the article's per-client customisation of the general response plan.

"Your general incident response plan provides the framework. For each client, customize it
with client-specific details": notification contacts and channels, client-specific severity
criteria, rollback procedures, regulatory obligations, contractual SLAs. A profile can
tighten (or relax) any rule's window per severity; the scorer applies those overrides.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import annotations``):
# pydantic would otherwise compile and evaluate each field's annotation string, a quarter
# of making a model, and every command makes ~100 of them (see tests/test_model_annotations.py).
from pathlib import Path
from typing import Any

from drillbook.formats.offsets import Offset
from drillbook.formats.validation import validate
from drillbook.formats.yamlsource import read
from drillbook.scenarios.actions import Severity
from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    # Validators built on first use, not at import: a nested class's own validator is rarely
    # used (its parent's holds it), and building each at import was a visible share of start-up.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Contact(_Model):
    role: str
    name: str = ""
    channel: str = ""
    hours: str = ""


class SLA(_Model):
    """A contractual commitment the scorer enforces: the plan rule it binds, and for a timed
    rule (a deadline, coverage or cadence) the window that replaces the plan's."""

    name: str
    text: str = ""
    rule: str | None = Field(None, description="Plan rule id this SLA binds (required).")
    within: Offset | None = None


class Commitment(_Model):
    """A contractual term the plan has no rule to score (change control, availability): shown
    to the team, never scored. A term with a clock or a rule belongs under ``sla``."""

    name: str
    text: str = ""


class ClientObligation(_Model):
    id: str
    regime: str
    description: str = ""


class ClientProfile(_Model):
    id: str
    name: str
    summary: str = ""
    contacts: list[Contact] = Field(default_factory=list)
    severity_criteria: dict[Severity, list[str]] = Field(default_factory=dict)
    rollback: str = ""
    windows: dict[str, dict[Severity, Offset]] = Field(
        default_factory=dict, description="rule id → severity → window, overriding the plan."
    )
    sla: list[SLA] = Field(
        default_factory=list, description="Each names the plan rule it binds (and a window)."
    )
    commitments: list[Commitment] = Field(
        default_factory=list, description="Terms no plan rule scores; shown, never scored."
    )
    obligations: list[ClientObligation] = Field(default_factory=list)
    reporting: str = ""


def load_client(path: str | Path) -> ClientProfile:
    """Read and validate a client profile; problems come back placed (file:line:col)."""
    return validate(ClientProfile, read(path))


def client_for(scenario_path: str | Path, scenario: Any) -> ClientProfile | None:
    """The client profile a scenario names (``client:``, relative to the scenario file)."""
    name = getattr(scenario, "client", None)
    if not name:
        return None
    from drillbook.scenarios.library import client_path

    return load_client(client_path(scenario_path, name) or Path(scenario_path).parent / name)
