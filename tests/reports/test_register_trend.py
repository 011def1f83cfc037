"""Trend figures against values worked out by hand, over exercises across quarters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from drillbook.reports.records import ImprovementItem
from drillbook.reports.register import (
    add_exercise,
    add_incident,
    close_item,
    connect,
    incident_from,
    last_quarters,
    quarter_of,
    trend,
    untested_types,
)
from drillbook.reports.render import render
from reportkit import card_with, exercise_of, play

from drillbook.cli import main

TODAY = date(2025, 3, 1)


def _item(ref: str, due: str) -> ImprovementItem:
    return ImprovementItem(
        ref=ref,
        action=f"Do {ref}",
        capability="containment",
        capability_title="Containment",
        origin="late step",
        owner="Technical Lead",
        owner_role="technical_lead",
        due=due,
    )


# (wall date, practice, readiness, containment score, incident types, client, item due dates)
EXERCISES = [
    ("2024-05-10", False, 40.0, 20.0, None, "Skylark Regional", ["2024-06-01"]),
    ("2024-11-20", False, 60.0, 50.0, ["fairness"], "Acme", ["2024-12-15", "2025-06-01"]),
    ("2024-12-01", False, 80.0, 70.0, None, "Skylark Regional", ["2025-01-01"]),
    ("2025-02-11", True, 90.0, 90.0, ["security"], None, ["2025-02-20"]),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "register.db"
    conn = connect(path)
    first_item = None
    for n, (day, practice, readiness, containment, types, client, dues) in enumerate(EXERCISES):
        journal = play(
            tmp_path / f"e{n}.jsonl", "model", practice=practice, wall=f"{day}T10:00:00Z"
        )
        ex = exercise_of(journal, "model")
        ex = replace(
            ex,
            scorecard=card_with(ex.scorecard, readiness, {"containment": containment}),
            client_name=client,
            scenario=ex.scenario.model_copy(update={"types": types}) if types else ex.scenario,
        )
        add_exercise(conn, ex, [_item(f"IP-{i + 1}", d) for i, d in enumerate(dues)])
        first_item = (
            first_item or conn.execute("SELECT min(id) FROM improvement_items").fetchone()[0]
        )
    close_item(conn, str(first_item), today=TODAY, shown=str(path))  # E1's only item
    for kind, opened, client in [
        ("data", "2024-03-01", None),
        ("data", "2024-08-02", None),
        ("data", "2025-01-10", "Skylark Regional"),
        ("security", "2024-10-01", None),
    ]:
        add_incident(
            conn, incident_from(incident_type=kind, severity="high", opened=opened, client=client)
        )
    conn.close()
    return path


def test_quarters() -> None:
    assert quarter_of(date(2024, 12, 31)) == "2024-Q4" and quarter_of(date(2025, 1, 1)) == "2025-Q1"
    assert last_quarters(TODAY) == ["2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"]


def test_official_trend(db: Path) -> None:
    t = trend(connect(db), today=TODAY)
    assert t.exercises == 3
    assert [(q.quarter, q.exercises, q.readiness) for q in t.quarters] == [
        ("2024-Q2", 1, 40.0),
        ("2024-Q4", 2, 70.0),  # (60 + 80) / 2
    ]
    containment = next(c for c in t.capabilities if c.capability == "containment")
    assert containment.scores == {"2024-Q2": 20.0, "2024-Q4": 60.0}  # (50 + 70) / 2
    types = {r.incident_type: r for r in t.types}
    assert (types["data"].exercises, types["data"].readiness, types["data"].last_exercised) == (
        2,
        60.0,
        "2024-12-01",
    )
    assert (types["fairness"].exercises, types["fairness"].readiness) == (1, 60.0)
    assert (types["security"].exercises, types["security"].incidents) == (0, 1)
    assert t.untested == ["safety", "security", "reputational"]
    assert t.recurring == [("data", 3, "2025-01-10")]
    assert t.open_items == 3  # E2's two and E3's one; E1's was closed
    assert [i["due"] for i in t.overdue_items] == ["2024-12-15", "2025-01-01"]


def test_practice_runs_only_when_asked(db: Path) -> None:
    t = trend(connect(db), today=TODAY, include_practice=True)
    assert [(q.quarter, q.exercises, q.readiness) for q in t.quarters][-1] == ("2025-Q1", 1, 90.0)
    assert t.untested == ["safety", "reputational"]
    assert (t.open_items, len(t.overdue_items)) == (4, 3)


def test_one_clients_trend(db: Path) -> None:
    t = trend(connect(db), today=TODAY, client="skylark regional")
    assert [(q.quarter, q.readiness) for q in t.quarters] == [("2024-Q2", 40.0), ("2024-Q4", 80.0)]
    assert t.untested == ["fairness", "safety", "security", "reputational"]
    assert t.recurring == []  # one data incident for this client


def test_untested_types_for_drillbook_list(db: Path, tmp_path: Path) -> None:
    assert untested_types(db, TODAY) == ["safety", "security", "reputational"]
    # a year on, no official exercise falls in the last four quarters
    assert untested_types(db, date(2026, 1, 15)) == [
        "performance",
        "fairness",
        "safety",
        "security",
        "data",
        "reputational",
    ]
    missing = tmp_path / "none.db"
    assert len(untested_types(missing, TODAY)) == 6 and not missing.exists()


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_trend_document(db: Path, fmt: str) -> None:
    text = render("trend", fmt, t=trend(connect(db), today=TODAY), generated_by="t")
    if fmt == "md":
        assert "| 2024-Q4 | 2 | 70.0 |" in text
        assert "| Containment | 20.0 | 60.0 |" in text
        assert (
            "Not exercised in the last four quarters (2024-Q2 to 2025-Q1): safety, security, reputational."
            in text
        )
        assert "Real incident types that recur: data (3, last 2025-01-10)." in text
        assert "3 open, 2 overdue." in text
    else:
        assert '<td>2024-Q4</td><td class="num">2</td><td class="num">70.0</td>' in text
        assert "<strong>safety, security, reputational</strong>" in text


def test_trend_command(db: Path, capsys) -> None:
    assert main(["register", "--db", str(db), "trend", "--as-of", "2025-03-01"]) == 0
    assert "| 2024-Q2 | 1 | 40.0 |" in capsys.readouterr().out
    assert (
        main(["register", "trend", "--db", str(db), "--as-of", "2025-03-01", "--include-practice"])
        == 0
    )
    assert "| 2025-Q1 | 1 | 90.0 |" in capsys.readouterr().out
    assert main(["register", "trend", "--db", str(db), "--as-of", "1 March"]) == 2
    assert (
        capsys.readouterr().err.strip()
        == "drillbook: --as-of: '1 March' is not a date; expected YYYY-MM-DD"
    )
