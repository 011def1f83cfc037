"""``drillbook score`` and the scoring parts of ``drillbook run``, driven through ``main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from drillbook.scenarios import library
from drillbook.scoring import default_plan
from drillbook.scoring.plan import DEFAULT_PLAN_PATH
from drillbook.simulator.journal import read_journal
from enginekit import unchain
from scoringkit import position_of

from drillbook.cli import main

ARTICLE = str(library.reference_transcript(library.FLAGSHIP, "article"))
SKYLARK = str(library.LIBRARY_DIR / "clients" / "skylark-regional.yaml")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_run_json_carries_a_deterministic_scorecard(capsys):
    rc, out, _ = _run(capsys, "run", "--json")
    assert rc == 0
    card = json.loads(out)["scorecard"]
    assert {
        "scenario",
        "readiness",
        "rating",
        "capabilities",
        "rules",
        "decisions",
        "impact",
    } <= set(card)
    assert card["scenario"] == "airline-pricing-0347" and card["rating"] in "PSMU"
    assert set(card["capabilities"]["containment"]) >= {"score", "rating"}
    contain = next(r for r in card["rules"] if r["id"] == "contain")
    assert {k: contain[k] for k in ("capability", "status", "due", "done", "credit")} == {
        "capability": "containment",
        "status": "met",
        "due": "+1:06",
        "done": "+0:19",
        "credit": 1.0,
    }
    assert {"at", "role", "action", "verdicts"} <= set(card["decisions"][0])
    assert set(card["impact"]["revenue_lost"]) >= {"actual", "counterfactual"}
    assert _run(capsys, "run", "--json")[1] == out  # the same bytes again


def test_run_summary_adds_readiness_and_the_counterfactual(capsys):
    rc, out, _ = _run(capsys, "run", "-t", ARTICLE)
    assert rc == 0
    assert "Readiness 10.7/100 — U (Unable to be Performed)" in out
    assert (
        "Your response cost $2,100,000; on the plan's timeline it would have cost $736,400." in out
    )


def test_score_reads_a_journal_written_by_run(capsys, tmp_path):
    journal = tmp_path / "story.jsonl"
    assert _run(capsys, "run", "-t", ARTICLE, "--journal", str(journal))[0] == 0
    rc, out, _ = _run(capsys, "score", str(journal))
    assert rc == 0
    assert "Readiness 10.7/100 — U" in out
    assert "client: skylark-regional" in out  # the scenario's own client profile
    assert "contain " in out and "missed" in out
    assert "preserve-evidence-before-changes   violated" in out
    assert "acknowledge-alert                  late      credit 0.00  3 h 24 min late" in out
    assert "on the plan's timeline it would have cost $736,400" in out
    rc, as_json, _ = _run(capsys, "score", str(journal), "--json")
    _, run_json, _ = _run(capsys, "run", "-t", ARTICLE, "--json")
    assert json.loads(as_json) == json.loads(run_json)["scorecard"]


def test_run_records_plan_and_client_and_score_uses_them(capsys, tmp_path):
    strict = tmp_path / "strict.yaml"  # containment within 10 minutes of awareness
    text = DEFAULT_PLAN_PATH.read_text(encoding="utf-8")
    old = 'windows: {critical: "+1:00", high: "+1:00", medium: "+48:00"}'
    assert old in text
    strict.write_text(text.replace(old, 'windows: {critical: "+0:10", high: "+1:00"}'), "utf-8")
    journal = tmp_path / "model.jsonl"
    rc, _, _ = _run(
        capsys, "run", "--plan", str(strict), "--client", SKYLARK, "--journal", str(journal)
    )
    assert rc == 0
    header = read_journal(journal).started
    assert (header["plan"], header["client"]) == (str(strict), SKYLARK)

    def contain(*extra: str) -> str:
        card = json.loads(_run(capsys, "score", str(journal), "--json", *extra)[1])
        return next(r["status"] for r in card["rules"] if r["id"] == "contain")

    assert contain() == "late"  # the plan the run was played under
    assert contain("--plan", str(DEFAULT_PLAN_PATH)) == "met"


def test_a_bad_plan_is_one_placed_line_and_nothing_is_written(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    text = DEFAULT_PLAN_PATH.read_text(encoding="utf-8").replace("kind: cadence", "kind: rhythm", 1)
    bad.write_text(text, encoding="utf-8")
    journal = tmp_path / "never.jsonl"
    rc, out, err = _run(capsys, "run", "--plan", str(bad), "--journal", str(journal))
    line, col = position_of(text, "rhythm")
    index = [r.kind for r in default_plan().rules].index("cadence")
    assert rc == 2 and out == ""
    assert err.splitlines() == [
        f"drillbook: {bad}:{line}:{col}: rules[{index}].kind: unknown rule kind 'rhythm'; "
        "expected one of: deadline, precedence, cadence, match, guard, coverage, judgement"
    ]
    assert not journal.exists()


def test_a_client_window_for_an_unknown_rule_is_placed(capsys, tmp_path):
    client = tmp_path / "client.yaml"
    text = 'id: acme\nname: Acme\nwindows:\n  notify-cliant: {critical: "+0:30"}\n'
    client.write_text(text, encoding="utf-8")
    rc, _, err = _run(capsys, "run", "--client", str(client))
    assert rc == 2
    [line] = err.splitlines()
    assert line.startswith(f"drillbook: {client}:4:3: unknown rule 'notify-cliant' in windows")


def test_score_errors_are_placed(capsys, tmp_path):
    rc, _, err = _run(capsys, "score", str(tmp_path / "none.jsonl"))
    assert rc == 2 and err.strip() == f"drillbook: {tmp_path / 'none.jsonl'}: no such journal file"
    journal = tmp_path / "j.jsonl"
    assert _run(capsys, "run", "--plan", str(DEFAULT_PLAN_PATH), "--journal", str(journal))[0] == 0
    unchain(journal)  # an edited header is refused by the chain; an unchained one reaches here
    lines = journal.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["plan"] = "gone/plan.yaml"
    journal.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n", encoding="utf-8")
    rc, _, err = _run(capsys, "score", str(journal))
    assert rc == 2
    assert err.startswith(
        f"drillbook: {journal}:1:1: the plan this run was played under (gone/plan.yaml) cannot be found"
    )


def test_a_scenario_naming_a_missing_client_profile_is_placed(tmp_path):
    from drillbook.formats.yamlsource import InputError
    from drillbook.scenarios import load

    text = (
        library.resolve(library.FLAGSHIP)
        .read_text(encoding="utf-8")
        .replace("client: clients/skylark-regional.yaml", "client: clients/nobody.yaml")
    )
    path = tmp_path / "flagship.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load(path)
    line, col = position_of(text, "clients/nobody.yaml")
    [problem] = exc.value.problems
    assert (problem.line, problem.col) == (line, col)
    assert problem.message.startswith("client profile 'clients/nobody.yaml' not found")
    assert "expected a path relative to the scenario file or a bundled client id" in problem.message
    assert "skylark-regional" in problem.message  # the ids that would have worked


def test_the_flagship_names_its_client_and_client_for_finds_it():
    from drillbook.scenarios import load
    from drillbook.scoring.client import client_for

    loaded = load(library.resolve(library.FLAGSHIP))
    profile = client_for(loaded.path, loaded.scenario)
    assert profile is not None and profile.id == "skylark-regional"
    assert Path(SKYLARK).exists()
