"""Fixtures for the engine's and the CLI's tests; the plain helpers live in :mod:`enginekit`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from drillbook.scenarios import library
from drillbook.scenarios.loader import LoadedScenario, load
from enginekit import LAB, with_injects

from drillbook.cli import main


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write ``text`` to ``tmp_path/name`` and return the path."""

    def _write(name: str, text: str) -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p

    return _write


@pytest.fixture
def lab(tmp_path: Path) -> Callable[..., LoadedScenario]:
    """Load LAB with extra injects (YAML list items) appended."""

    def _lab(extra: str = "", name: str = "lab.yaml") -> LoadedScenario:
        p = tmp_path / name
        p.write_text(with_injects(LAB, extra) if extra else LAB, encoding="utf-8")
        return load(p)

    return _lab


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run ``drillbook ARGS`` in-process: (exit status, stdout, stderr), never a traceback."""

    def _cli(*args: object) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return _cli


@pytest.fixture
def journal(cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> Path:
    """A finished run of the flagship by its model team."""
    path = tmp_path / "run.jsonl"
    flagship = library.resolve(library.FLAGSHIP)
    team = library.reference_transcript(library.FLAGSHIP)
    assert cli("run", flagship, "-t", team, "-j", path)[0] == 0
    return path
