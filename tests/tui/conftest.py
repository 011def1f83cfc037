"""Fixtures for the TUI's tests (helpers in :mod:`tuikit`)."""

from __future__ import annotations

import pytest
from drillbook.scenarios.loader import LoadedScenario
from tuikit import FakeWall, flagship


@pytest.fixture(scope="session")
def loaded() -> LoadedScenario:
    return flagship()


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()


@pytest.fixture(autouse=True)
def crash_logs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that crashes the app writes its crash log here, never under the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
