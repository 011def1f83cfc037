"""For every bundled scenario the scorer separates a model team from a weak one.

The model team follows the response plan; the weak team is slow, under-classifies, skips
evidence and tells the client late. If the scorer cannot tell them apart by a wide margin,
either the scenario gives the plan no chance to matter or the scorer is blind to it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.scenarios import library, load
from drillbook.scenarios.transcript import load_transcript
from drillbook.scoring import score
from drillbook.scoring.client import client_for
from drillbook.scoring.plan import default_plan
from drillbook.simulator.headless import run_transcript

PLAN = default_plan()


def _weak(scenario_id: str) -> Path:
    # The flagship's weak team is the article's own timeline.
    kind = "article" if scenario_id == library.FLAGSHIP else "weak"
    return library.reference_transcript(scenario_id, kind)


def _readiness(path: Path, transcript: Path) -> tuple[float, str]:
    loaded = load(path)
    session = run_transcript(loaded, load_transcript(transcript))
    card = score(loaded.scenario, PLAN, session.history(), client_for(path, loaded.scenario))
    return card.readiness, card.rating


@pytest.mark.parametrize("path", library.bundled(), ids=lambda p: p.stem)
def test_model_and_weak_teams_are_far_apart(path: Path):
    sid = load(path).scenario.id
    model, model_rating = _readiness(path, library.reference_transcript(sid, "model"))
    weak, weak_rating = _readiness(path, _weak(sid))
    assert model - weak >= 30, (model, weak)
    assert model_rating in ("P", "S")
    assert weak_rating in ("M", "U")


def test_every_bundled_scenario_has_both_teams():
    for path in library.bundled():
        sid = path.stem
        assert library.reference_transcript(sid, "model").exists()
        assert _weak(sid).exists()


def test_every_bundled_transcript_plays_on_its_scenario():
    """Model, weak, article and strong teams alike: each names a bundled scenario, loads, and
    the engine takes every one of its decisions."""
    bundled = {p.stem: p for p in library.bundled()}
    files = sorted(library.TRANSCRIPTS_DIR.glob("*.yaml"))
    assert {f.name.split(".")[1] for f in files} >= {"model", "weak", "article", "strong"}
    for f in files:
        transcript = load_transcript(f)
        assert f.name.startswith(f"{transcript.scenario}."), f
        run_transcript(load(bundled[transcript.scenario]), transcript)
