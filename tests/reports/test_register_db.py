"""The register's file: migrations, idempotent adds, transactions that survive a kill."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.reports.aar import build_aar
from drillbook.reports.exercise import Exercise, load_exercise
from drillbook.reports.register import (
    add_exercise,
    add_incident,
    close_item,
    connect,
    incident_from,
    list_exercises,
    list_items,
)
from drillbook.reports.register.schema import MIGRATIONS, VERSION, version


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_migrates_an_empty_file(tmp_path: Path) -> None:
    db = tmp_path / "register.db"
    db.touch()
    conn = connect(db)
    assert version(conn) == VERSION == 6
    assert {"exercises", "improvement_items", "incidents", "capability_results"} <= _tables(conn)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert version(connect(db)) == VERSION  # opening again changes nothing


def test_migrates_a_version_1_register_keeping_its_data(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    old = sqlite3.connect(db, isolation_level=None)
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    old.execute(
        "INSERT INTO incidents (incident_type, severity, opened, added_at) "
        "VALUES ('data', 'high', '2024-01-02', 'x')"
    )
    old.close()
    conn = connect(db)
    assert version(conn) == VERSION
    cols = {r[1] for r in conn.execute("PRAGMA table_info(exercises)")}
    assert {"plan_version", "plan_digest"} <= cols  # old exercises: unversioned plan ('')
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "improvement_items_open" in indexes
    assert conn.execute("SELECT incident_type FROM incidents").fetchall()[0][0] == "data"


def test_refuses_a_newer_register(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    sqlite3.connect(db).execute("PRAGMA user_version = 99")
    with pytest.raises(InputError, match="version 99 is newer"):
        connect(db)


@pytest.mark.parametrize("content", [b"not sqlite at all, just text\n" * 100, None])
def test_refuses_a_file_that_is_not_a_register(tmp_path: Path, content: bytes | None) -> None:
    db = tmp_path / "other.db"
    if content is None:  # a SQLite file of something else
        sqlite3.connect(db).execute("CREATE TABLE songs (title TEXT)")
    else:
        db.write_bytes(content)
    with pytest.raises(InputError, match="not a drillbook register"):
        connect(db)


def test_reading_never_creates_the_file(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "register.db"
    assert list_exercises(connect(db, create=False)) == []
    assert not db.exists() and not db.parent.exists()


def test_reading_an_empty_file_leaves_it_empty(tmp_path: Path) -> None:
    """A 0-byte file is a new database to SQLite: looking must not write tables into it."""
    db = tmp_path / "notes.yaml"
    db.write_bytes(b"")
    assert list_exercises(connect(db, create=False)) == []
    assert db.read_bytes() == b""


def test_the_same_journal_twice_is_one_exercise(weak_exercise: Exercise, tmp_path: Path) -> None:
    conn = connect(tmp_path / "r.db")
    items = build_aar(weak_exercise).improvement_plan
    first = add_exercise(conn, weak_exercise, items)
    again = add_exercise(conn, load_exercise(weak_exercise.journal.path), items)
    assert first.created and not again.created and again.id == first.id
    assert conn.execute("SELECT count(*) FROM exercises").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM improvement_items").fetchone()[0] == len(items)
    row = list_exercises(conn)[0]
    card = weak_exercise.scorecard
    assert (row["readiness"], row["rating"], row["held_on"]) == (
        card.readiness,
        card.rating,
        "2025-02-11",
    )
    assert row["types"].split(",") == ["data", "performance"]
    rules = conn.execute("SELECT count(*) FROM rule_results").fetchone()[0]
    assert rules == len(card.rules)


def test_a_journal_still_in_play_is_refused(model_journal: Path, tmp_path: Path) -> None:
    lines = model_journal.read_text(encoding="utf-8").splitlines(keepends=True)
    open_run = tmp_path / "open.jsonl"
    open_run.write_text("".join(lines[:-1]), encoding="utf-8")  # no run_ended
    ex = load_exercise(open_run)
    with pytest.raises(InputError, match="play has not ended"):
        add_exercise(connect(tmp_path / "r.db"), ex, [])


KILLED_WRITER = textwrap.dedent(
    """
    import sys
    import drillbook.reports.register.exercises as exercises
    from drillbook.reports.aar import build_aar
    from drillbook.reports.exercise import load_exercise
    from drillbook.reports.register import add_exercise, connect

    real = exercises.insert_items

    def insert_then_hang(conn, exercise_id, items):
        real(conn, exercise_id, items)
        print("inside the transaction", flush=True)
        sys.stdin.read()  # wait here until killed

    exercises.insert_items = insert_then_hang
    ex = load_exercise(sys.argv[1])
    add_exercise(connect(sys.argv[2]), ex, build_aar(ex).improvement_plan)
    """
)


def test_a_killed_writer_leaves_the_register_consistent(
    model_exercise: Exercise, weak_journal: Path, tmp_path: Path
) -> None:
    db = tmp_path / "r.db"
    conn = connect(db)
    add_exercise(conn, model_exercise, build_aar(model_exercise).improvement_plan)
    before = [
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("exercises", "improvement_items", "rule_results")
    ]
    conn.close()
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(weak_journal), str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "inside the transaction"
    finally:
        writer.kill()
        writer.wait()
    conn = connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after = [
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("exercises", "improvement_items", "rule_results")
    ]
    assert after == before  # nothing of the half-written exercise
    # and the next writer is not blocked by the dead one
    added = add_exercise(conn, load_exercise(weak_journal), [])
    assert added.created and conn.execute("SELECT count(*) FROM exercises").fetchone()[0] == 2


def test_items_overdue_owner_and_close(weak_exercise: Exercise, tmp_path: Path) -> None:
    conn = connect(tmp_path / "r.db")
    items = build_aar(weak_exercise).improvement_plan
    add_exercise(conn, weak_exercise, items)
    today = date(2025, 3, 1)
    every = list_items(conn, today=today)
    assert len(every) == len(items)
    overdue = list_items(conn, today=today, overdue=True)
    assert [r["ref"] for r in overdue] == [i.ref for i in items if i.due < "2025-03-01"]
    sams = list_items(conn, today=today, owner="SAM")
    assert [r["owner"] for r in sams] == ["Sam (On-call engineer)"]
    by_role = list_items(conn, today=today, owner="technical lead")
    assert by_role and all(r["owner_role"] == "technical_lead" for r in by_role)
    first = every[0]["id"]
    assert (
        close_item(conn, str(first), today=today, shown="r.db")
        == f"Item {first} closed on 2025-03-01."
    )
    assert "already closed" in close_item(conn, str(first), today=today, shown="r.db")
    assert len(list_items(conn, today=today)) == len(items) - 1
    assert len(list_items(conn, today=today, include_closed=True)) == len(items)
    with pytest.raises(InputError, match="no improvement item 9999"):
        close_item(conn, "9999", today=today, shown="r.db")
    with pytest.raises(InputError, match="'x1' is not an item id"):
        close_item(conn, "x1", today=today, shown="r.db")


def test_incidents_are_validated_every_problem_at_once(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        incident_from(incident_type="bias", severity="huge", opened="2025-02-30")
    lines = str(caught.value).splitlines()
    assert lines == [
        "--opened: '2025-02-30' is not a date; expected YYYY-MM-DD",
        "--severity: unknown severity 'huge'; expected one of: critical, high, medium, low",
        "--type: unknown incident type 'bias'; expected one of: performance, fairness, safety, security, data, reputational",
    ]
    with pytest.raises(InputError, match="--resolved: 2025-01-01 is before --opened 2025-02-01"):
        incident_from(
            incident_type="data", severity="low", opened="2025-02-01", resolved="2025-01-01"
        )
    conn = connect(tmp_path / "r.db")
    n = add_incident(
        conn,
        incident_from(
            incident_type="data", severity="low", opened="2025-02-01", impact="i", lessons="l"
        ),
    )
    row = conn.execute("SELECT * FROM incidents WHERE id = ?", (n,)).fetchone()
    assert (row["incident_type"], row["opened"], row["resolved"], row["lessons"]) == (
        "data",
        "2025-02-01",
        None,
        "l",
    )
