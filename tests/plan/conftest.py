from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _no_user_register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real register, or the template cache, in the user's home."""
    monkeypatch.setenv("DRILLBOOK_DB", str(tmp_path / "register.db"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
