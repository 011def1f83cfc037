"""``drillbook register``: what a facilitator types, and what it says back."""

from __future__ import annotations

from pathlib import Path

from drillbook.reports.register import default_db_path

from drillbook.cli import main


def _err_lines(capsys) -> list[str]:
    return capsys.readouterr().err.strip().splitlines()


def test_add_twice_says_it_is_one_exercise(weak_journal: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "r.db"
    assert main(["register", "add", str(weak_journal), "--db", str(db)]) == 0
    first = capsys.readouterr().out.strip()
    assert (
        first.startswith(f"Register: exercise #1 added to {db} with ")
        and "improvement items" in first
    )
    assert main(["register", "add", str(weak_journal), "--db", str(db)]) == 0
    again = capsys.readouterr().out.strip()
    assert again.startswith(f"Register: {db} already holds this journal as exercise #1")
    assert main(["register", "list", "--db", str(db)]) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    assert (
        len(rows) == 2 and "2025-02-11  official" in rows[1] and "airline-pricing-0347" in rows[1]
    )


def test_db_from_the_environment(weak_journal: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    db = tmp_path / "env" / "r.db"
    monkeypatch.setenv("DRILLBOOK_DB", str(db))
    assert default_db_path() == db
    assert main(["register", "add", str(weak_journal)]) == 0
    assert db.exists() and str(db) in capsys.readouterr().out


def test_default_location_is_the_data_directory(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DRILLBOOK_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "drillbook" / "register.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_db_path() == tmp_path / "home" / ".local" / "share" / "drillbook" / "register.db"


def test_items_and_close(weak_journal: Path, tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "r.db")
    main(["register", "add", str(weak_journal), "--db", db])
    capsys.readouterr()
    assert main(["register", "items", "--db", db, "--owner", "sam", "--as-of", "2025-03-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("#1    due 2025-02-25  OVERDUE  Sam (On-call engineer) [detection]")
    assert main(["register", "item", "close", "1", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("Item 1 closed on ")
    assert main(["register", "items", "--db", db, "--owner", "sam"]) == 0
    assert capsys.readouterr().out.strip() == "No open improvement items for sam."
    assert main(["register", "item", "close", "77", "--db", db]) == 2
    assert _err_lines(capsys) == [
        f"drillbook: {db}: no improvement item 77; `drillbook register items` lists them"
    ]


def test_incident_add(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "r.db")
    args = ["register", "incident", "add", "--db", db, "--type", "fairness", "--severity", "high"]
    assert main([*args, "--opened", "2025-01-03", "--impact", "x", "--lessons", "y"]) == 0
    assert capsys.readouterr().out.strip() == f"Incident #1 (fairness, high) recorded in {db}."
    assert main([*args, "--opened", "03/01/2025"]) == 2
    assert _err_lines(capsys) == [
        "drillbook: --opened: '03/01/2025' is not a date; expected YYYY-MM-DD"
    ]


def test_not_a_journal_is_one_line(tmp_path: Path, capsys) -> None:
    bogus = tmp_path / "x.jsonl"
    bogus.write_text('{"type": "note", "sim": 0}\n', encoding="utf-8")
    assert main(["register", "add", str(bogus), "--db", str(tmp_path / "r.db")]) == 2
    assert _err_lines(capsys) == [
        f"drillbook: {bogus}:1:1: not a drillbook journal; expected a 'run_started' event first"
    ]
    assert not (tmp_path / "r.db").exists()  # nothing is created for a bad journal
