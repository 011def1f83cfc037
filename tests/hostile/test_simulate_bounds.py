"""``simulate``'s numbers: beyond what a machine or the register can take, one line, before
any run (``--workers 10**11`` overflowed the pool's C int, exit 70; ``--runs 10**20`` listed
a seed per run and grew without end)."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import FLAGSHIP_FILE

from drillbook.cli import EXIT_INPUT, main


@pytest.mark.parametrize(
    ("option", "says"),
    [
        (("--workers", str(10**11)), "--workers: expected at most 1,024, got 100,000,000,000"),
        (("--runs", str(10**20)), "--runs: expected at most 10,000,000 runs, got 100,000,"),
        (("--weakest", "--weakest-runs", str(10**17)), "--weakest-runs: expected at most 10,0"),
    ],
)
def test_numbers_beyond_a_machine_are_refused_before_a_run(
    option: tuple[str, ...],
    says: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("DRILLBOOK_CRASH_DIR", str(tmp_path / "crashes"))
    argv = ["simulate", str(FLAGSHIP_FILE), "--team", "article-agency", "--executor", "inline"]
    code = main([*argv, *option])
    [line] = capsys.readouterr().err.strip().splitlines()
    assert code == EXIT_INPUT and line.startswith(f"drillbook: simulate: {says}"), line
