"""Real incidents: the article's central incident register, beside the exercises.

"Track all incidents across your portfolio in a central register": type, severity, dates,
impact and lessons. The trend report sets them against the exercises, so a type of
incident that keeps happening but is never rehearsed stands out.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from drillbook.formats.yamlsource import InputError, Problem
from drillbook.reports.register.exercises import now_text
from drillbook.reports.register.store import transaction
from drillbook.scenarios.vocabulary import INCIDENT_TYPES, SEVERITIES


@dataclass(frozen=True)
class Incident:
    incident_type: str
    severity: str
    opened: date
    resolved: date | None = None
    impact: str = ""
    lessons: str = ""
    client: str | None = None


def parse_date(text: str, option: str) -> date:
    """A calendar date as people type it (``2025-03-14``); anything else names the option."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            [Problem(option, 0, 0, f"'{text}' is not a date; expected YYYY-MM-DD")]
        ) from None


def incident_from(
    *,
    incident_type: str,
    severity: str,
    opened: str,
    resolved: str | None = None,
    impact: str = "",
    lessons: str = "",
    client: str | None = None,
) -> Incident:
    """Validate what was typed on the command line; every problem, one line each."""
    problems: list[Problem] = []
    if incident_type not in INCIDENT_TYPES:
        problems.append(
            Problem(
                "--type",
                0,
                0,
                f"unknown incident type '{incident_type}'; expected one of: {', '.join(INCIDENT_TYPES)}",
            )
        )
    if severity not in SEVERITIES:
        problems.append(
            Problem(
                "--severity",
                0,
                0,
                f"unknown severity '{severity}'; expected one of: {', '.join(SEVERITIES)}",
            )
        )
    day_opened = day_resolved = None
    for text, option in ((opened, "--opened"), (resolved, "--resolved")):
        if text is None:
            continue
        try:
            day = parse_date(text, option)
        except InputError as exc:
            problems += exc.problems
            continue
        if option == "--opened":
            day_opened = day
        else:
            day_resolved = day
    if day_opened and day_resolved and day_resolved < day_opened:
        problems.append(
            Problem("--resolved", 0, 0, f"{day_resolved} is before --opened {day_opened}")
        )
    if problems:
        raise InputError(problems)
    assert day_opened is not None
    return Incident(incident_type, severity, day_opened, day_resolved, impact, lessons, client)


def add_incident(conn: sqlite3.Connection, incident: Incident) -> int:
    with transaction(conn):
        cur = conn.execute(
            """INSERT INTO incidents (incident_type, severity, opened, resolved, impact, lessons,
                   client, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                incident.incident_type,
                incident.severity,
                incident.opened.isoformat(),
                incident.resolved.isoformat() if incident.resolved else None,
                incident.impact,
                incident.lessons,
                incident.client,
                now_text(),
            ),
        )
    return int(cur.lastrowid or 0)
