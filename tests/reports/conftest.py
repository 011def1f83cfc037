"""Fixtures for reports: flagship journals played headless, scored by the real scorer."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.reports.exercise import Exercise, load_exercise
from reportkit import play

NOTES = [
    (30.0, "evaluator_note", {"text": "IC ran a tight bridge.", "capability": "containment"}),
    (400.0, "evaluator_note", {"text": "Scribe fell behind.", "about": "incident_commander"}),
    (500.0, "rating", {"capability": "notification", "rating": "S", "note": "Client call rushed."}),
    (
        21595.0,
        "lesson",
        {"capability": "containment", "text": "Agree a kill switch per client.", "question": 2},
    ),
    (21596.0, "lesson", {"text": "Keep the dashboard credentials in the vault."}),
]


@pytest.fixture(autouse=True)
def _no_user_register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real register, or the template cache, in the user's home."""
    monkeypatch.setenv("DRILLBOOK_DB", str(tmp_path / "register.db"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def model_journal(tmp_path: Path) -> Path:
    return play(
        tmp_path / "model.jsonl",
        "model",
        roster={"on_call": "Sam", "incident_commander": "Alex"},
        records=NOTES,
    )


@pytest.fixture
def weak_journal(tmp_path: Path) -> Path:
    return play(tmp_path / "weak.jsonl", "article", roster={"on_call": "Sam"})


@pytest.fixture
def model_exercise(model_journal: Path) -> Exercise:
    return load_exercise(model_journal)


@pytest.fixture
def weak_exercise(weak_journal: Path) -> Exercise:
    return load_exercise(weak_journal)
