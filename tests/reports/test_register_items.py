"""``register items --format csv|json`` for a ticketing system, and ``item close --ticket``
(issue 16, 9)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from drillbook.reports.register.export import FIELDS, _title


@pytest.fixture
def db(cli, weak_journal: Path, tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    assert cli("register", "add", weak_journal, "--db", path)[0] == 0
    return path


def test_items_as_json_carry_what_a_ticket_needs(cli, db):
    code, out, _ = cli("register", "items", "--db", db, "--format", "json", "--as-of", "2025-02-12")
    assert code == 0
    items = json.loads(out)
    assert items and all(list(i) == list(FIELDS) for i in items)
    first = items[0]
    assert first["exercise"] == "airline-pricing-0347 (2025-02-11)"
    assert first["status"] == "open" and first["ticket"] == ""
    assert first["description"].startswith(first["title"].removesuffix("…"))
    assert f"improvement plan item {first['ref']}" in first["description"]
    assert all(len(i["title"]) <= 80 for i in items)


def test_items_as_csv_read_back_as_the_same_records(cli, db, tmp_path):
    out = tmp_path / "items.csv"
    assert cli("register", "items", "--db", db, "--format", "csv", "-o", out)[0] == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    code, text, _ = cli("register", "items", "--db", db, "--format", "json")
    assert code == 0
    assert rows == [{k: str(v) for k, v in i.items()} for i in json.loads(text)]


def test_close_with_a_ticket_keeps_it_and_exports_it(cli, db):
    code, out, _ = cli("register", "item", "close", "1", "--db", db, "--ticket", "OPS-481")
    assert code == 0 and out.startswith("Item 1 closed on ") and "(ticket OPS-481)" in out
    _, text, _ = cli("register", "items", "--db", db, "--all", "--format", "json")
    [closed] = [i for i in json.loads(text) if i["id"] == 1]
    assert (closed["status"], closed["ticket"]) == ("closed", "OPS-481")
    _, listing, _ = cli("register", "items", "--db", db, "--all")
    assert "ticket OPS-481" in listing


@pytest.mark.parametrize("ref", ["", "two\nlines", "x" * 201])
def test_a_ticket_reference_that_is_not_one_line_is_refused(cli, db, ref):
    code, _, err = cli("register", "item", "close", "1", "--db", db, "--ticket", ref)
    assert code == 2 and len(err.splitlines()) == 1
    assert "is not a ticket reference; expected one line" in err
    _, text, _ = cli("register", "items", "--db", db, "--format", "json")
    assert any(i["id"] == 1 and i["status"] != "closed" for i in json.loads(text))


def test_a_long_action_is_cut_at_a_word_for_the_title():
    action = "Rehearse " + "the containment switch " * 6
    title = _title(action)
    assert len(title) <= 80 and title.endswith("…") and not title[:-1].endswith(" ")
