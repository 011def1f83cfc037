"""The bundled library: every scenario is valid and lint-clean; authoring commands work."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.authoring.graph import build, to_dot, to_mermaid
from drillbook.authoring.lint import lint
from drillbook.scenarios import library, load
from drillbook.scenarios.actions import INCIDENT_TYPES

from drillbook.cli import main

BUNDLED = library.bundled()


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_scenario_is_valid_and_lint_clean(path: Path):
    loaded = load(path)
    errors = [
        str(f.placed_in(loaded.document.positions))
        for f in lint(loaded.scenario)
        if f.level == "error"
    ]
    assert errors == []


def test_library_covers_every_incident_type():
    covered = {t for p in BUNDLED for t in load(p).scenario.types}
    assert covered == set(INCIDENT_TYPES)
    assert len(BUNDLED) >= 8


def test_validate_and_lint_commands_pass_on_the_library(capsys):
    assert main(["validate", *map(str, BUNDLED)]) == 0
    assert main(["lint", *map(str, BUNDLED)]) == 0
    assert "0 error(s)" in capsys.readouterr().out


def test_lint_exits_non_zero_on_errors(tmp_path, capsys):
    text = library.resolve(library.FLAGSHIP).read_text().replace('at: "+4:00"', 'at: "+400:00"')
    text = "\n".join(ln for ln in text.splitlines() if not ln.startswith("client:"))
    bad = tmp_path / "late.yaml"
    bad.write_text(text)
    assert main(["lint", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "error: inject 'reporter-call' can never be delivered" in err
    assert err.startswith(f"{bad}:")


def test_graph_shows_branches_in_both_formats(capsys):
    s = load(library.resolve(library.FLAGSHIP)).scenario
    g = build(s)
    assert g.has_edge("option:client-duty-manager/honour", "inject:honour-cost")
    assert g.has_edge("action:contain", "inject:containment-confirmed")
    mermaid = to_mermaid(s)
    assert mermaid.startswith("flowchart LR")
    assert "answered 'cancel-refund'" in mermaid
    dot = to_dot(s)
    assert dot.startswith('digraph "airline-pricing-0347"') and dot.rstrip().endswith("}")
    assert main(["graph", library.FLAGSHIP, "--format", "dot"]) == 0
    assert capsys.readouterr().out == dot


def test_new_scaffold_passes_validate_and_lint(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "my-drill"]) == 0
    path = tmp_path / "my-drill.yaml"
    loaded = load(path)
    assert loaded.scenario.id == "my-drill"
    assert lint(loaded.scenario) == []
    assert (tmp_path / "scenario.schema.json").exists()
    assert loaded.path.read_text().startswith(
        "# yaml-language-server: $schema=./scenario.schema.json"
    )
    assert main(["new", "my-drill"]) == 2  # never overwrites without --force
    assert "already exists" in capsys.readouterr().err


def test_new_refuses_a_bad_id(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "My Drill"]) == 2
    assert "'My Drill' is not an id; expected lower-case letters" in capsys.readouterr().err


def test_list_shows_each_scenario(capsys, tmp_path):
    assert main(["list", "--db", str(tmp_path / "none.db")]) == 0
    out = capsys.readouterr().out
    for path in BUNDLED:
        assert load(path).scenario.id in out
    assert "types:" in out and "draws on:" in out


def test_list_names_incident_types_the_register_has_not_seen(tmp_path, capsys):
    journal = tmp_path / "flagship.jsonl"
    db = tmp_path / "register.db"
    assert main(["run", "--journal", str(journal)]) == 0
    assert main(["register", "add", str(journal), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["list", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.startswith("Not exercised"))
    # the flagship exercised data and performance today; the other four are due
    assert set(line.split(": ", 1)[1].split(", ")) == {
        "fairness",
        "safety",
        "security",
        "reputational",
    }


def test_a_not_branch_is_labelled_as_one():
    """The flagship's reporter's call comes only if legal was *not* consulted: the graph's
    edge must say "not", or it tells the author the opposite of what the branch waits for."""
    from drillbook.scenarios import load

    g = build(load(library.resolve(library.FLAGSHIP)).scenario)
    labels = [d["label"] for a, _b, d in g.edges(data=True) if a == "action:consult"]
    assert any(label.startswith("not (consult done") for label in labels), labels
    assert "not (" in to_mermaid(load(library.resolve(library.FLAGSHIP)).scenario)
