"""``drillbook play`` on the command line: bad input is one placed line and exit 2."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from drillbook.tui.app import DrillbookApp

from drillbook.cli import main
from drillbook.commands import play


def err_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.strip().splitlines()


def test_an_existing_journal_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "old.jsonl"
    journal.write_text('{"seq":0,"type":"run_started","sim":0}\n', encoding="utf-8")
    assert main(["play", "--journal", str(journal)]) == 2
    (line,) = err_lines(capsys)
    assert line.startswith(f"drillbook: {journal}: journal already holds events")
    assert journal.read_text(encoding="utf-8").count("\n") == 1


def test_a_roster_with_an_unknown_role_is_placed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "team.yaml"
    roster.write_text("roles:\n  on_call: Ana\n  janitor: Bo\n", encoding="utf-8")
    assert main(["play", "--roster", str(roster), "--journal", str(tmp_path / "j.jsonl")]) == 2
    (line,) = err_lines(capsys)
    assert line == (
        f"drillbook: {roster}:3:3: role 'janitor' is not a role of 'airline-pricing-0347'; "
        "expected one of: on_call, incident_commander, technical_lead, communications_lead, "
        "data_lead, legal_advisor"
    )
    assert not (tmp_path / "j.jsonl").exists()


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--speed", "90"], "drillbook: --speed: ×90 is out of range; expected 1 to 60"),
        (["--resume", "x.jsonl", "--journal", "y.jsonl"], "drillbook: --resume: --journal cannot"),
        (["--resume", "missing.jsonl"], "drillbook: missing.jsonl: no such journal file"),
        (["no-such-scenario"], "drillbook: no-such-scenario: no such scenario file or id"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    argv: list[str],
    says: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["play", *argv]) == 2
    (line,) = err_lines(capsys)
    assert line.startswith(says)


def test_quitting_at_setup_leaves_no_empty_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    built: list[DrillbookApp] = []
    monkeypatch.setattr(DrillbookApp, "run", lambda self, **kw: built.append(self))
    monkeypatch.chdir(tmp_path)
    assert main(["play", "--practice", "--seed", "3"]) == 0
    (app,) = built
    assert app.scorer is not None and app.on_finish is play.finish_hook
    assert app.settings.practice and app.settings.seed == 3
    assert app.capabilities["evidence"] == "Evidence preservation"  # the plan's own
    assert app.settings.client and app.settings.client.endswith("skylark-regional.yaml")
    assert app.journal_path.parent == Path("runs")
    assert not app.journal_path.exists()


def test_the_default_journal_is_named_after_the_scenario_and_the_time() -> None:
    stamp = time.strptime("2025-03-04 05:06:07", "%Y-%m-%d %H:%M:%S")
    assert play.default_journal("airline-pricing-0347", stamp) == Path(
        "runs/airline-pricing-0347-20250304-050607.jsonl"
    )


def test_without_the_reports_package_the_hook_names_the_journal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "drillbook.reports.finish", None)  # import fails
    assert play.finish_hook(Path("runs/x.jsonl")) == ["Journal: runs/x.jsonl"]


def test_no_command_but_play_imports_textual() -> None:
    code = (
        "import sys, drillbook.cli as c; c.build_parser(); "
        "import drillbook.tui.roster, drillbook.tui.format, drillbook.tui.widgets.form_fields; print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
