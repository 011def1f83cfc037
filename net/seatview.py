"""The scenario as a seat receives it: what its screens show, never the answers.

A joined console needs a :class:`Scenario` to build its screens from (titles, the story clock,
roles and briefs, the sources it may investigate, the cause candidates and obligations its
forms offer, the discussion questions). The facilitator's seat gets the whole scenario. Every
other seat gets a redacted document, validated on arrival as a scenario of its own, in which:

- **withheld entirely**: the MSEL (every inject — a seat learns of an inject only when it is
  delivered to it), the meters, the true root cause, severity and incident types, which
  obligations apply and their clocks, awareness, what reveals the cause, the right fixes,
  when the story goes public, what a source shows and how long it takes, the story the
  exercise is based on and the client profile;
- **placeholders** where the format requires a value (severity, incident types, root cause,
  one inject at the end of play, which no seat runs): fixed values that carry nothing of this scenario;
- **kept**: id, title, summary, start, end of play, roles with their briefs, phases,
  objectives, each source's id, kind and title, the cause candidates, each obligation's id,
  regime and description, and the discussion questions.
"""

from __future__ import annotations

from typing import Any

from drillbook.scenarios.loader import LoadedScenario
from drillbook.scenarios.model import Scenario

WITHHELD = "withheld"


def scenario_document(scenario: Scenario, *, full: bool) -> dict[str, Any]:
    """The scenario for a seat: all of it (``full``, the facilitator) or the redacted view."""
    if full:
        return scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    roles = scenario.role_ids
    truth = scenario.truth
    return {
        "id": scenario.id,
        "title": scenario.title,
        "summary": scenario.summary,
        "types": ["performance"],
        "start": scenario.start,
        "ends": scenario.ends,
        "roles": [r.model_dump(mode="json") for r in scenario.roles],
        "phases": [p.model_dump(mode="json") for p in scenario.phases],
        "objectives": [o.model_dump(mode="json") for o in scenario.objectives],
        "truth": {
            "severity": "low",
            "types": ["performance"],
            "root_cause": WITHHELD,
            "causes": [c.model_dump(mode="json") for c in truth.causes],
            "obligations": [
                {"id": o.id, "regime": o.regime, "description": o.description}
                for o in truth.obligations
            ],
        },
        "sources": [
            {"id": s.id, "kind": s.kind, "title": s.title, "shows": "", "access": roles}
            for s in scenario.sources
        ],
        "injects": [
            {
                "id": WITHHELD,
                "at": scenario.ends,
                "to": [roles[0]],
                "channel": "chat",
                "title": WITHHELD,
            }
        ],
        "discussion": list(scenario.discussion),
    }


def scenario_from_document(doc: Any) -> Scenario:
    """A seat's scenario from the host's document (raises ``ValueError`` if it is not one)."""
    return Scenario.model_validate(doc)


def seat_loaded(scenario: Scenario, origin: str) -> LoadedScenario:
    """A ``LoadedScenario`` for a joined console: there is no file, only the host (``origin``)."""
    from pathlib import Path

    from drillbook.formats.yamlsource import Document, Positions

    return LoadedScenario(scenario, Document(None, Positions(origin)), Path(origin))
