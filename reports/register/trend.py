"""The trend report: readiness over time, what has not been rehearsed, what keeps happening.

The article asks for quarterly tabletop exercises "varied across incident types" and a
register that shows "are certain types of incidents recurring?". This module answers those
from the register alone: readiness per quarter, per capability and per incident type; the
incident types no official exercise has covered in the last four quarters; the real
incident types that recur; and the improvement items still open or overdue. Practice runs
are left out unless asked for, as evaluators expect of an official record.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from drillbook.reports.register.store import connect
from drillbook.scenarios.vocabulary import INCIDENT_TYPES


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _index(label: str) -> int:
    year, q = label.split("-Q")
    return int(year) * 4 + int(q) - 1


def last_quarters(today: date, n: int = 4) -> list[str]:
    """The quarter ``today`` is in and the ``n - 1`` before it, oldest first."""
    now = _index(quarter_of(today))
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(now - n + 1, now + 1)]


@dataclass(frozen=True)
class QuarterRow:
    quarter: str
    exercises: int
    readiness: float  # mean, one decimal
    plan: str = ""  # with --by-plan: the plan version these exercises were scored against


@dataclass(frozen=True)
class ModelledRow:
    """Modelled readiness in one quarter: the simulations added for it, per team model."""

    quarter: str
    team: str
    simulations: int
    runs: int
    readiness: float  # mean of the simulations' medians, one decimal
    low: float  # the lowest 5th percentile among them
    high: float  # the highest 95th percentile among them


@dataclass(frozen=True)
class PlanVersionRow:
    """One version of a plan the register's exercises were scored against, and what it
    changed: its changelog entry and the improvement items closed into it."""

    plan: str
    version: str
    label: str  # "default v2"
    exercises: int
    readiness: float
    quarters: list[str]
    in_force_from: str
    changes: list[str]
    items: list[sqlite3.Row]
    files: int = 1  # distinct plan files scored as this version (>1: edited, not re-versioned)


@dataclass(frozen=True)
class CapabilityTrend:
    capability: str
    title: str
    scores: dict[str, float]  # quarter → mean score
    exercises: int


@dataclass(frozen=True)
class TypeRow:
    incident_type: str
    exercises: int
    readiness: float | None
    last_exercised: str | None
    incidents: int


@dataclass(frozen=True)
class Trend:
    today: str
    client: str | None
    include_practice: bool
    exercises: int
    quarters: list[QuarterRow]
    capabilities: list[CapabilityTrend]
    types: list[TypeRow]
    untested: list[str]  # incident types with no exercise in the last four quarters
    window: list[str]  # those four quarters
    recurring: list[tuple[str, int, str]]  # (type, real incidents, last opened)
    open_items: int
    overdue_items: list[sqlite3.Row] = field(default_factory=list)
    by_plan: bool = False
    plans: list[PlanVersionRow] = field(default_factory=list)
    modelled: list[ModelledRow] = field(default_factory=list)  # readiness simulations


def _filters(client: str | None, include_practice: bool) -> tuple[str, list[object]]:
    where, args = ["1 = 1"], []
    if not include_practice:
        where.append("e.practice = 0")
    if client:
        where.append("lower(coalesce(e.client, '')) = ?")
        args.append(client.lower())
    return " AND ".join(where), args


def trend(
    conn: sqlite3.Connection,
    *,
    today: date,
    client: str | None = None,
    include_practice: bool = False,
    by_plan: bool = False,
) -> Trend:
    where, args = _filters(client, include_practice)
    rows = conn.execute(
        f"""SELECT e.id, e.held_on, e.readiness, e.plan, e.plan_version, e.plan_digest
              FROM exercises e
             WHERE {where} ORDER BY e.held_on, e.id""",
        args,
    ).fetchall()
    by_quarter: dict[tuple[str, str], list[float]] = {}
    for r in rows:
        key = (quarter_of(date.fromisoformat(r["held_on"])), _label(r) if by_plan else "")
        by_quarter.setdefault(key, []).append(r["readiness"])
    quarters = [
        QuarterRow(q, len(v), round(sum(v) / len(v), 1), plan)
        for (q, plan), v in sorted(by_quarter.items())
    ]
    caps: dict[str, dict[str, list[float]]] = {}
    titles: dict[str, str] = {}
    for r in conn.execute(
        f"""SELECT c.capability, c.title, c.score, e.held_on FROM capability_results c
              JOIN exercises e ON e.id = c.exercise_id WHERE {where}""",
        args,
    ):
        q = quarter_of(date.fromisoformat(r["held_on"]))
        caps.setdefault(r["capability"], {}).setdefault(q, []).append(r["score"])
        titles.setdefault(r["capability"], r["title"])
    capabilities = [
        CapabilityTrend(
            capability=cap,
            title=titles[cap],
            scores={q: round(sum(v) / len(v), 1) for q, v in sorted(per.items())},
            exercises=sum(len(v) for v in per.values()),
        )
        for cap, per in caps.items()
    ]
    window = last_quarters(today)
    first_day = _first_day(window[0])
    types: list[TypeRow] = []
    untested: list[str] = []
    incident_args: list[object] = []
    incident_where = "1 = 1"
    if client:
        incident_where = "lower(coalesce(client, '')) = ?"
        incident_args = [client.lower()]
    real = {
        r["incident_type"]: (r["n"], r["last"])
        for r in conn.execute(
            f"""SELECT incident_type, count(*) AS n, max(opened) AS last FROM incidents
                 WHERE {incident_where} GROUP BY incident_type""",
            incident_args,
        )
    }
    for t in INCIDENT_TYPES:
        r = conn.execute(
            f"""SELECT count(*) AS n, avg(e.readiness) AS readiness, max(e.held_on) AS last,
                       sum(e.held_on >= ? AND e.held_on <= ?) AS recent
                  FROM exercises e JOIN exercise_types t ON t.exercise_id = e.id
                 WHERE t.incident_type = ? AND {where}""",
            [first_day.isoformat(), today.isoformat(), t, *args],
        ).fetchone()
        types.append(
            TypeRow(
                incident_type=t,
                exercises=r["n"],
                readiness=round(r["readiness"], 1) if r["readiness"] is not None else None,
                last_exercised=r["last"],
                incidents=real.get(t, (0, None))[0],
            )
        )
        if not r["recent"]:
            untested.append(t)
    recurring = sorted(
        ((t, n, last) for t, (n, last) in real.items() if n >= 2), key=lambda x: (-x[1], x[0])
    )
    item_where, item_args = where, list(args)
    open_items = conn.execute(
        f"""SELECT count(*) FROM improvement_items i JOIN exercises e ON e.id = i.exercise_id
             WHERE i.status = 'open' AND {item_where}""",
        item_args,
    ).fetchone()[0]
    overdue = conn.execute(
        f"""SELECT i.*, e.scenario, e.held_on FROM improvement_items i
              JOIN exercises e ON e.id = i.exercise_id
             WHERE i.status = 'open' AND i.due < ? AND {item_where} ORDER BY i.due, i.id""",
        [today.isoformat(), *item_args],
    ).fetchall()
    return Trend(
        today=today.isoformat(),
        client=client,
        include_practice=include_practice,
        exercises=len(rows),
        quarters=quarters,
        capabilities=capabilities,
        types=types,
        untested=untested,
        window=window,
        recurring=recurring,
        open_items=int(open_items),
        overdue_items=list(overdue),
        by_plan=by_plan,
        plans=plan_versions(conn, rows),
        modelled=modelled(conn, client),
    )


def modelled(conn: sqlite3.Connection, client: str | None = None) -> list[ModelledRow]:
    """Modelled readiness per quarter and team model, from the simulations added."""
    where, args = "1 = 1", []
    if client:
        where, args = "lower(coalesce(client, '')) = ?", [client.lower()]
    groups: dict[tuple[str, str], list[sqlite3.Row]] = {}
    for r in conn.execute(
        f"SELECT * FROM simulations WHERE {where} ORDER BY held_on, id", args
    ).fetchall():
        key = (quarter_of(date.fromisoformat(r["held_on"])), r["team"])
        groups.setdefault(key, []).append(r)
    return [
        ModelledRow(
            quarter=q,
            team=team,
            simulations=len(rs),
            runs=sum(r["runs"] for r in rs),
            readiness=round(sum(r["readiness"] for r in rs) / len(rs), 1),
            low=min(r["readiness_p5"] for r in rs),
            high=max(r["readiness_p95"] for r in rs),
        )
        for (q, team), rs in sorted(groups.items())
    ]


def _label(row: sqlite3.Row) -> str:
    return f"{row['plan']} v{row['plan_version']}" if row["plan_version"] else row["plan"]


def plan_versions(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[PlanVersionRow]:
    """The plan versions of these exercises in the order they were first used, each with
    the readiness scored against it and what it changed."""
    groups: dict[tuple[str, str], list[sqlite3.Row]] = {}
    for r in rows:
        groups.setdefault((r["plan"], r["plan_version"]), []).append(r)
    out: list[PlanVersionRow] = []
    for (plan, version), members in groups.items():
        kept = conn.execute(
            "SELECT * FROM plan_versions WHERE plan = ? AND version = ?", (plan, version)
        ).fetchone()
        items = conn.execute(
            """SELECT i.*, e.scenario, e.held_on FROM improvement_items i
                 JOIN exercises e ON e.id = i.exercise_id
                WHERE i.plan_change = 1 AND i.plan_version = ? AND e.plan = ?
                ORDER BY i.closed_on, i.id""",
            (version, plan),
        ).fetchall()
        scores = [m["readiness"] for m in members]
        files = len({m["plan_digest"] for m in members if m["plan_digest"]}) or 1
        out.append(
            PlanVersionRow(
                plan=plan,
                version=version,
                label=_label(members[0]),
                exercises=len(members),
                readiness=round(sum(scores) / len(scores), 1),
                quarters=sorted({quarter_of(date.fromisoformat(m["held_on"])) for m in members}),
                in_force_from=kept["in_force_from"] if kept else "",
                changes=json.loads(kept["changes"]) if kept else [],
                items=list(items),
                files=files,
            )
        )
    return out


def _first_day(quarter: str) -> date:
    i = _index(quarter)
    return date(i // 4, (i % 4) * 3 + 1, 1)


def untested_types(db_path: str | Path | None, today: date) -> list[str]:
    """Incident types no official exercise covered in the last four quarters (for `list`)."""
    conn = connect(db_path, create=False)
    try:
        return trend(conn, today=today).untested
    finally:
        conn.close()
