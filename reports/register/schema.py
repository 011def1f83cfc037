"""The register's schema, as numbered migrations kept in ``PRAGMA user_version``.

A register made by an older drillbook is brought up to date when it is opened, one
migration at a time, each in its own transaction with the version bump, so a failure leaves
the file at the last complete version. A register from a newer drillbook is refused rather
than guessed at.
"""

from __future__ import annotations

import sqlite3

from drillbook.formats.yamlsource import InputError, Problem
from drillbook.scenarios.vocabulary import INCIDENT_TYPES, SEVERITIES

_TYPES = ", ".join(f"'{t}'" for t in INCIDENT_TYPES)
_SEVERITIES = ", ".join(f"'{s}'" for s in SEVERITIES)
_RATING = "IN ('P', 'S', 'M', 'U')"

MIGRATIONS: tuple[str, ...] = (
    # 1: exercises with their scores, improvement items, real incidents.
    f"""
    CREATE TABLE exercises (
        id              INTEGER PRIMARY KEY,
        journal_sha256  TEXT NOT NULL UNIQUE,
        journal_path    TEXT NOT NULL,
        scenario        TEXT NOT NULL,
        title           TEXT NOT NULL,
        held_on         TEXT NOT NULL CHECK (date(held_on) = held_on),
        team            TEXT NOT NULL DEFAULT '',
        client          TEXT,
        practice        INTEGER NOT NULL CHECK (practice IN (0, 1)),
        plan            TEXT NOT NULL,
        readiness       REAL NOT NULL CHECK (readiness BETWEEN 0 AND 100),
        rating          TEXT NOT NULL CHECK (rating {_RATING}),
        added_at        TEXT NOT NULL
    );
    CREATE TABLE exercise_types (
        exercise_id     INTEGER NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,
        incident_type   TEXT NOT NULL CHECK (incident_type IN ({_TYPES})),
        PRIMARY KEY (exercise_id, incident_type)
    );
    CREATE TABLE capability_results (
        exercise_id     INTEGER NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,
        capability      TEXT NOT NULL,
        title           TEXT NOT NULL,
        score           REAL NOT NULL,
        rating          TEXT NOT NULL CHECK (rating {_RATING}),
        computed_rating TEXT NOT NULL CHECK (computed_rating {_RATING}),
        PRIMARY KEY (exercise_id, capability)
    );
    CREATE TABLE rule_results (
        exercise_id     INTEGER NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,
        rule            TEXT NOT NULL,
        capability      TEXT NOT NULL,
        status          TEXT NOT NULL,
        credit          REAL NOT NULL,
        late_by         REAL,
        PRIMARY KEY (exercise_id, rule)
    );
    CREATE TABLE improvement_items (
        id              INTEGER PRIMARY KEY,
        exercise_id     INTEGER NOT NULL REFERENCES exercises(id) ON DELETE CASCADE,
        ref             TEXT NOT NULL,
        action          TEXT NOT NULL,
        capability      TEXT,
        rule            TEXT,
        origin          TEXT NOT NULL,
        owner_role      TEXT,
        owner           TEXT NOT NULL,
        due             TEXT NOT NULL CHECK (date(due) = due),
        status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        closed_on       TEXT CHECK (closed_on IS NULL OR date(closed_on) = closed_on)
    );
    CREATE TABLE incidents (
        id              INTEGER PRIMARY KEY,
        incident_type   TEXT NOT NULL CHECK (incident_type IN ({_TYPES})),
        severity        TEXT NOT NULL CHECK (severity IN ({_SEVERITIES})),
        opened          TEXT NOT NULL CHECK (date(opened) = opened),
        resolved        TEXT CHECK (resolved IS NULL OR date(resolved) = resolved),
        impact          TEXT NOT NULL DEFAULT '',
        lessons         TEXT NOT NULL DEFAULT '',
        client          TEXT,
        added_at        TEXT NOT NULL
    );
    """,
    # 2: the trend report and `register items --overdue` filter on these.
    """
    CREATE INDEX exercises_held_on ON exercises(held_on);
    CREATE INDEX improvement_items_open ON improvement_items(status, due);
    CREATE INDEX incidents_type ON incidents(incident_type, opened);
    """,
    # 3: a run is identified by the run id its journal header carries, not by the journal's
    # bytes (a journal touched by a millisecond is still the same run). Rows from journals
    # older than run ids keep NULL and their byte digest as identity.
    """
    ALTER TABLE exercises ADD COLUMN run_id TEXT;
    CREATE UNIQUE INDEX exercises_run_id ON exercises(run_id) WHERE run_id IS NOT NULL;
    """,
    # 4: the plan is a living document. Each exercise keeps the version (and the digest of
    # the file) it was scored against; an improvement item can be a change to the plan, and
    # closing it names the version that carries the change; each version's changelog entry
    # is kept so the trend can say what changed between quarters without the old file.
    """
    ALTER TABLE exercises ADD COLUMN plan_version TEXT NOT NULL DEFAULT '';
    ALTER TABLE exercises ADD COLUMN plan_digest TEXT NOT NULL DEFAULT '';
    ALTER TABLE improvement_items ADD COLUMN plan_change INTEGER NOT NULL DEFAULT 0
        CHECK (plan_change IN (0, 1));
    ALTER TABLE improvement_items ADD COLUMN plan_version TEXT;
    CREATE TABLE plan_versions (
        plan            TEXT NOT NULL,
        version         TEXT NOT NULL,
        title           TEXT NOT NULL,
        digest          TEXT NOT NULL,
        in_force_from   TEXT NOT NULL DEFAULT '',
        changes         TEXT NOT NULL DEFAULT '[]',
        items           TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (plan, version)
    );
    """,
    # 5: an item tracked in a ticketing system keeps that ticket's reference (set when it is
    # closed with `register item close ID --ticket REF`).
    """
    ALTER TABLE improvement_items ADD COLUMN ticket TEXT;
    """,
    # 6: modelled readiness: a readiness simulation (`drillbook simulate --json`) kept beside
    # the exercises, once per document, by the digest of its bytes.
    """
    CREATE TABLE simulations (
        id              INTEGER PRIMARY KEY,
        digest          TEXT NOT NULL UNIQUE,
        scenario        TEXT NOT NULL,
        title           TEXT NOT NULL,
        team            TEXT NOT NULL,
        team_title      TEXT NOT NULL DEFAULT '',
        runs            INTEGER NOT NULL CHECK (runs > 0),
        seed            INTEGER NOT NULL,
        held_on         TEXT NOT NULL CHECK (date(held_on) = held_on),
        client          TEXT,
        readiness       REAL NOT NULL CHECK (readiness BETWEEN 0 AND 100),
        readiness_p5    REAL NOT NULL CHECK (readiness_p5 BETWEEN 0 AND 100),
        readiness_p95   REAL NOT NULL CHECK (readiness_p95 BETWEEN 0 AND 100),
        ratings         TEXT NOT NULL DEFAULT '{}',
        loss_label      TEXT NOT NULL DEFAULT '',
        loss_median     REAL,
        loss_p5         REAL,
        loss_p95        REAL,
        added_at        TEXT NOT NULL
    );
    CREATE INDEX simulations_held_on ON simulations(held_on);
    """,
)
VERSION = len(MIGRATIONS)


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, shown: str = "register") -> int:
    """Bring the register to :data:`VERSION`; returns the version it was at."""
    start = version(conn)
    if start > VERSION:
        raise InputError(
            [
                Problem(
                    shown,
                    0,
                    0,
                    f"register schema version {start} is newer than this drillbook knows "
                    f"({VERSION}); upgrade drillbook",
                )
            ]
        )
    if start == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise InputError(
            [Problem(shown, 0, 0, "is a SQLite file but not a drillbook register (no version)")]
        )
    while True:
        # Re-read the version inside the write lock: another process may have migrated.
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = version(conn)
            if current >= VERSION:
                conn.execute("COMMIT")
                break
            for statement in _statements(MIGRATIONS[current]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {current + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return start


def _statements(script: str) -> list[str]:
    """Split a migration into statements (none of ours has a ';' inside a literal)."""
    return [s.strip() for s in script.split(";") if s.strip()]
