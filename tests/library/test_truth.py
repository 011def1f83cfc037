"""Every bundled scenario carries what an earned score needs, and its reference teams earn it.

The truth must say what reveals the root cause, which fixes address it, when the story goes
public, where group-level data comes from, whom each regulator notice goes to, and how each
answer is judged. The model team must then earn full credit by those rules (it acts only
once it could know, tests its fix, gives every obligation its own notice, answers soundly);
the weak team must never answer soundly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.scenarios import library, load
from drillbook.scenarios.transcript import load_transcript
from drillbook.simulator.headless import run_transcript
from teamcheck import team_problems, truth_problems

BUNDLED = library.bundled()


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_truth_says_what_reveals_fixes_and_publicises(path: Path):
    assert truth_problems(load(path).scenario) == []


def _journal(path: Path, kind: str) -> tuple[object, list[dict]]:
    loaded = load(path)
    transcript = load_transcript(library.reference_transcript(loaded.scenario.id, kind))
    session = run_transcript(loaded, transcript)
    return loaded.scenario, [dict(e) for e in session.history()]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_model_team_earns_every_step(path: Path):
    scenario, events = _journal(path, "model")
    assert team_problems(scenario, events) == []


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_weak_team_never_answers_soundly(path: Path):
    if not (library.TRANSCRIPTS_DIR / f"{load(path).scenario.id}.weak.yaml").exists():
        pytest.skip("no weak team (the flagship's is the article's night)")
    scenario, events = _journal(path, "weak")
    assert team_problems(scenario, events, model=False) == []
