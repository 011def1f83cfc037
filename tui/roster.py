"""The team roster: who plays which role, read from ``{roles: {on_call: "Name", …}}``.

A facilitator types names on the setup screen or hands over a file prepared in advance; both
end in ``RunSettings.roster`` and so in the journal's header and the report. The file is read
like every other YAML drillbook reads, so a wrong role is reported as ``file:line:col``. This
module imports no Textual: the ``play`` command checks a roster before the app starts.
"""

from __future__ import annotations

from pathlib import Path

from drillbook.formats.validation import validate
from drillbook.formats.yamlsource import InputError, read
from drillbook.scenarios.actions import ROLES
from drillbook.scenarios.model import Scenario
from pydantic import BaseModel, ConfigDict, Field, field_validator


class Roster(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    # Keys are checked by ``load_roster`` rather than typed as ``Role``, so that a wrong role is
    # placed at the key itself and the message lists the roles of this scenario.
    roles: dict[str, str] = Field(description="Role id → the person who plays it.")

    @field_validator("roles")
    @classmethod
    def _named(cls, v: dict[str, str]) -> dict[str, str]:
        for role, person in v.items():
            if not str(person).strip():
                raise ValueError(f"role '{role}' has an empty name; expected a person's name")
        return {r: str(p).strip() for r, p in v.items()}


def load_roster(path: str | Path, scenario: Scenario) -> dict[str, str]:
    """Role → person from a roster file; roles that are not in play are placed errors."""
    doc = read(path)
    roster = validate(Roster, doc)
    in_play = scenario.role_ids
    problems = []
    for role in roster.roles:
        if role in in_play:
            continue
        what = "is not in play in" if role in ROLES else "is not a role of"
        problems.append(
            doc.positions.problem(
                ("roles", role),
                f"role '{role}' {what} '{scenario.id}'; expected one of: {', '.join(in_play)}",
                key=True,
            )
        )
    if problems:
        raise InputError(problems)
    return dict(roster.roles)
