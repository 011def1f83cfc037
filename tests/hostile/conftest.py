"""What the hostile-input tests share: drillbook run in-process with its crash logs and default
register kept in the test's folder, and one good journal of the flagship per module."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from corpus import FLAGSHIP_FILE, MODEL_TEAM_FILE

from drillbook.cli import main

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Run:
    """``drillbook ARGS`` in-process: (exit status, stdout, stderr). Whatever it writes on its
    own (a crash log, the default register) goes under the test's folder."""
    monkeypatch.setenv("DRILLBOOK_CRASH_DIR", str(tmp_path / "crashes"))
    monkeypatch.setenv("DRILLBOOK_DB", str(tmp_path / "default-register.db"))

    def _cli(*args: object) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return _cli


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good journal: the flagship played by its model team."""
    path = tmp_path_factory.mktemp("good") / "good.jsonl"
    assert main(["run", str(FLAGSHIP_FILE), "-t", str(MODEL_TEAM_FILE), "-j", str(path)]) == 0
    return path
