"""Exercises in the register: one row per run (by the run id in its journal's header; by the
journal's SHA-256 for journals older than run ids), with every score.

Adding is idempotent: the same run added twice is one exercise, and the second ``add`` says
so instead of counting it again. An exercise brings its Improvement Plan with
it, so corrective actions are tracked from the moment the exercise is on record.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from drillbook.formats.yamlsource import InputError, Problem
from drillbook.reports.exercise import Exercise
from drillbook.reports.records import ImprovementItem
from drillbook.reports.register.store import transaction
from drillbook.scenarios.vocabulary import ROLE_TITLES


@dataclass(frozen=True)
class Added:
    """What ``add`` did: the exercise's id, and whether it was new."""

    id: int
    created: bool
    items: int


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def team_of(ex: Exercise) -> str:
    """Who played, in the scenario's role order: "Sam (On-call engineer), Priya (…)"."""
    order = {r: i for i, r in enumerate(ex.scenario.role_ids)}
    return ", ".join(
        f"{person} ({ROLE_TITLES.get(role, role)})"
        for role, person in sorted(ex.people.items(), key=lambda kv: order.get(kv[0], 99))
    )


def add_exercise(conn: sqlite3.Connection, ex: Exercise, items: list[ImprovementItem]) -> Added:
    """Record ``ex`` and its improvement items in one transaction (or find it recorded)."""
    if not ex.journal.ended:
        raise InputError(
            [
                Problem(
                    str(ex.journal.path),
                    0,
                    0,
                    "play has not ended; end the exercise before adding it to the register",
                )
            ]
        )
    card = ex.scorecard
    with transaction(conn):
        row = conn.execute(
            "SELECT id FROM exercises WHERE run_id = ? OR journal_sha256 = ?",
            (ex.run_id, ex.sha256),
        ).fetchone()
        if row is not None:
            n = conn.execute(
                "SELECT count(*) FROM improvement_items WHERE exercise_id = ?", (row["id"],)
            ).fetchone()[0]
            return Added(int(row["id"]), False, int(n))
        cur = conn.execute(
            """INSERT INTO exercises (journal_sha256, run_id, journal_path, scenario, title,
                   held_on, team, client, practice, plan, readiness, rating, added_at,
                   plan_version, plan_digest)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                ex.sha256,
                ex.run_id,
                str(ex.journal.path.resolve()),
                ex.scenario.id,
                ex.scenario.title,
                ex.date.isoformat(),
                team_of(ex),
                ex.client_name,
                int(ex.practice),
                card.plan,
                card.readiness,
                card.rating,
                now_text(),
                ex.plan_version,
                ex.plan_digest,
            ),
        )
        exercise_id = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO exercise_types (exercise_id, incident_type) VALUES (?, ?)",
            [(exercise_id, t) for t in dict.fromkeys(ex.scenario.types)],
        )
        conn.executemany(
            """INSERT INTO capability_results
                   (exercise_id, capability, title, score, rating, computed_rating)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [
                (exercise_id, c.id, c.title, c.score, c.rating, c.computed_rating)
                for c in card.capabilities.values()
            ],
        )
        conn.executemany(
            """INSERT INTO rule_results (exercise_id, rule, capability, status, credit, late_by)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [(exercise_id, r.id, r.capability, r.status, r.credit, r.late_by) for r in card.rules],
        )
        insert_items(conn, exercise_id, items)
        if ex.plan is not None:
            keep_plan_version(conn, ex.plan, ex.plan_digest)
    return Added(exercise_id, True, len(items))


def keep_plan_version(conn: sqlite3.Connection, plan: Any, digest: str) -> None:
    """Remember a plan version and its changelog entry (the first file seen with it)."""
    entry = next((c for c in plan.changelog if c.version == plan.version), None)
    conn.execute(
        """INSERT OR IGNORE INTO plan_versions
               (plan, version, title, digest, in_force_from, changes, items)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (
            plan.id,
            plan.version,
            plan.title,
            digest,
            entry.date if entry else "",
            json.dumps(entry.changes if entry else []),
            json.dumps(entry.items if entry else []),
        ),
    )


def insert_items(conn: sqlite3.Connection, exercise_id: int, items: list[ImprovementItem]) -> None:
    conn.executemany(
        """INSERT INTO improvement_items (exercise_id, ref, action, capability, rule, origin,
               owner_role, owner, due, status, plan_change)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (
                exercise_id,
                i.ref,
                i.action,
                i.capability,
                i.rule,
                i.origin,
                i.owner_role,
                i.owner,
                i.due,
                i.status,
                int(i.plan_change),
            )
            for i in items
        ],
    )


def list_exercises(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every exercise, oldest first, with how many of its items are still open."""
    return conn.execute(
        """SELECT e.*, group_concat(DISTINCT t.incident_type) AS types,
                  (SELECT count(*) FROM improvement_items i
                    WHERE i.exercise_id = e.id AND i.status = 'open') AS open_items
             FROM exercises e LEFT JOIN exercise_types t ON t.exercise_id = e.id
            GROUP BY e.id ORDER BY e.held_on, e.id"""
    ).fetchall()
