"""Fixtures for the engine's tests; the plain helpers live in :mod:`enginekit`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from enginekit import LAB, with_injects

from scenarios.loader import LoadedScenario, load


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
