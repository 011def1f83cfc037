"""Fixtures for the TUI's tests (helpers in :mod:`tuikit`)."""

from __future__ import annotations

import pytest
from tuikit import FakeWall, flagship

from scenarios.loader import LoadedScenario


@pytest.fixture(scope="session")
def loaded() -> LoadedScenario:
    return flagship()


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()
