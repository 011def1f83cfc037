"""``register add-simulation``: modelled readiness beside exercised readiness (issue 13, 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def simulation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real, small simulation document, as `drillbook simulate --json` writes it."""
    from drillbook.cli import main

    out = tmp_path_factory.mktemp("sim") / "night.json"
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(
            ["simulate", "airline-pricing-0347", "--team", "article-agency", "--runs", "6",
             "--executor", "inline", "--json"]
        )  # fmt: skip
    assert code == 0
    out.write_text(buffer.getvalue(), encoding="utf-8")
    return out


def test_a_simulation_is_kept_once_and_shows_in_the_trend(cli, simulation, tmp_path):
    db = tmp_path / "r.db"
    code, out, _ = cli("register", "--db", db, "add-simulation", simulation, "--on", "2026-11-20")
    assert code == 0 and "Simulation #1" in out and "article-agency" in out
    code, out, _ = cli("register", "--db", db, "add-simulation", simulation)
    assert code == 0 and "not added again" in out
    code, md, _ = cli("register", "--db", db, "trend", "--format", "md", "--as-of", "2026-12-01")
    assert code == 0
    median = json.loads(simulation.read_text(encoding="utf-8"))["summary"]["readiness"]["median"]
    assert "## Modelled readiness" in md
    assert f"| 2026-Q4 | article-agency | 1 | 6 | {median:.1f} |" in md
    code, _, _ = cli(
        "register", "--db", db, "trend", "--as-of", "2026-12-01", "-o", tmp_path / "t.html"
    )
    assert code == 0
    assert "Modelled readiness" in (tmp_path / "t.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("doc", "said"),
    [
        ("not json", "not JSON"),
        ('{"scenario": "x"}', "summary: missing"),
        ('{"scenario": "x", "title": "t", "seed": 0, "team": {"id": "a"}, "summary": {"runs": 3,'
         ' "ratings": {"P": 2}, "readiness": {"median": 1, "p5": 0, "p95": 2}}}', "summary.ratings.P"),
        ('{"scenario": "x", "title": "t", "seed": 0, "team": {"id": "a"}, "summary": {"runs": 3,'
         ' "ratings": {}, "readiness": {"median": 140, "p5": 0, "p95": 2}}}', "summary.readiness.median"),
        ('{"scenario": "x", "title": "t", "seed": 0, "team": {"id": "a"}, "summary": {"runs": 0.5,'
         ' "ratings": {}, "readiness": {"median": 1, "p5": 0, "p95": 2}}}', "summary.runs"),
        ('{"scenario": "x", "title": "t", "seed": NaN, "team": {"id": "a"}, "summary": {}}', "NaN"),
    ],
)  # fmt: skip
def test_a_document_that_is_not_a_simulation_is_one_line(cli, tmp_path, doc, said):
    bad = tmp_path / "bad.json"
    bad.write_text(doc, encoding="utf-8")
    db = tmp_path / "r.db"
    code, _, err = cli("register", "--db", db, "add-simulation", bad)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert str(bad) in line and said in line
