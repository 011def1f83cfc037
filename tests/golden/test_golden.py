"""Golden outputs of the bundled transcripts stay byte-identical (speed work changes no output).

Two tests, kept apart on purpose:

* ``test_journal_is_golden`` — the engine's output. Strict: the journal written to disk,
  normalised only for wall clock, run id, chain digests, absolute paths and version
  (see ``goldens.normalise``). A failure here means the engine's behaviour changed.
* ``test_scorecard_is_golden`` — the ``run --json`` scorecard. Scoring changes on purpose;
  after such a change regenerate with ``python -m tests.golden.regen scorecards`` (journals:
  ``python -m tests.golden.regen journals``, only when engine output is meant to change).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from goldens import golden_paths, normalised_journal, play, transcripts

from drillbook.cli import main

CASES = transcripts()
REGEN = "python -m tests.golden.regen"


@cache
def played(transcript: Path) -> tuple[str, str]:
    return play(transcript)


def test_every_bundled_transcript_has_goldens() -> None:
    assert len(CASES) >= 16
    for t in CASES:
        for path in golden_paths(t):
            assert path.is_file(), f"{path} is missing; run `{REGEN} all`"


@pytest.mark.parametrize("transcript", CASES, ids=lambda p: p.stem)
def test_journal_is_golden(transcript: Path) -> None:
    journal, _ = played(transcript)
    golden = golden_paths(transcript)[0].read_text(encoding="utf-8")
    assert journal == golden, f"engine output changed; if on purpose, `{REGEN} journals`"


@pytest.mark.parametrize("transcript", CASES, ids=lambda p: p.stem)
def test_scorecard_is_golden(transcript: Path) -> None:
    _, scorecard = played(transcript)
    golden = golden_paths(transcript)[1].read_text(encoding="utf-8")
    assert scorecard == golden, f"scorecard changed; if on purpose, `{REGEN} scorecards`"


def test_goldens_are_what_drillbook_run_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The goldens are the real command's output, not a private re-implementation of it."""
    transcript = CASES[0]
    journal = tmp_path / "run.jsonl"
    scenario = golden_paths(transcript)[0].name.split(".")[0]
    code = main(["run", scenario, "-t", str(transcript), "-j", str(journal), "--json"])
    out = capsys.readouterr().out
    assert code == 0
    want_journal, want_card = golden_paths(transcript)
    assert normalised_journal(journal.read_text(encoding="utf-8")) == want_journal.read_text(
        encoding="utf-8"
    )
    card = json.loads(out)["scorecard"]
    assert card == json.loads(want_card.read_text(encoding="utf-8"))


def test_normalising_drops_only_what_differs_between_runs() -> None:
    """Wall clock, run id and chain digests go; the story stays."""
    line = (
        '{"seq":3,"type":"action_taken","sim":8.0,"role":"on_call","action":"acknowledge",'
        '"params":{},"wall":"2026-01-01T00:00:00.000Z","prev":"ab12","run_id":"r1"}\n'
    )
    assert normalised_journal(line) == (
        '{"seq":3,"type":"action_taken","sim":8.0,"role":"on_call","action":"acknowledge",'
        '"params":{}}\n'
    )
