"""Golden journals and scorecards of the bundled transcripts: what "no output changed" means.

Every bundled transcript (``scenarios/transcripts/*.yaml``) is played headless exactly as
``drillbook run SCENARIO -t TRANSCRIPT -j FILE --json`` plays it, and two things are kept:

* ``journals/NAME.jsonl`` — the journal as written to disk, normalised: fields that differ
  from run to run or machine to machine (the wall clock, a run id, per-line chain digests, the
  scenario file's absolute path, drillbook's version) are dropped or made relative. This is
  the engine's output and must stay byte-identical through any speed work.
* ``scorecards/NAME.json`` — the scorecard of ``run --json``. Scoring changes on purpose from
  time to time; these are regenerated apart from the journals.

Regenerate with ``python -m tests.golden.regen [journals|scorecards|all]`` (default:
scorecards) from the project root.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
JOURNALS = HERE / "journals"
SCORECARDS = HERE / "scorecards"
TRANSCRIPTS = ROOT / "data" / "scenarios" / "transcripts"

# Fields that say when, where or by which build a run was made, not what happened in it. The
# chain names cover a hash-chained journal (a digest of the previous line, or a running one).
VOLATILE = frozenset({"wall", "run_id", "prev", "chain", "hash", "prev_hash", "digest"})
# The bundled plan's digest changes with any edit to its file (a comment, say), like the
# build: the header keeps it, the goldens keep the plan's id and version.
BLANKED_HEADER = frozenset({"drillbook", "plan_digest"})


def transcripts() -> list[Path]:
    """Every bundled transcript, in a stable order."""
    return sorted(TRANSCRIPTS.glob("*.yaml"))


def scenario_of(transcript: Path) -> Path:
    """``data/scenarios/transcripts/ID.KIND.yaml`` belongs to ``data/scenarios/ID.yaml``."""
    return ROOT / "data" / "scenarios" / f"{transcript.name.split('.')[0]}.yaml"


def normalise(event: dict[str, Any]) -> dict[str, Any]:
    """One journal event without what differs between two runs of the same decisions."""
    out = {k: v for k, v in event.items() if k not in VOLATILE}
    if out.get("type") == "run_started":
        for key in BLANKED_HEADER & out.keys():
            out[key] = ""
        if isinstance(out.get("scenario_file"), str):
            path = Path(out["scenario_file"])
            if path.is_absolute() and path.is_relative_to(ROOT):
                out["scenario_file"] = path.relative_to(ROOT).as_posix()
    return out


def normalised_journal(text: str) -> str:
    """A journal file's text, one normalised canonical line per event."""
    from drillbook.simulator.journal import encode

    lines = [encode(normalise(json.loads(line))) for line in text.splitlines() if line.strip()]
    return "".join(f"{line}\n" for line in lines)


def play(transcript: Path) -> tuple[str, str]:
    """Play one transcript headless; return (normalised journal, scorecard JSON text)."""
    from drillbook.scenarios import load
    from drillbook.scenarios.transcript import load_transcript
    from drillbook.scoring import score
    from drillbook.scoring.files import plan_from, scenario_client
    from drillbook.simulator.headless import run_transcript
    from drillbook.simulator.journal import Journal
    from drillbook.simulator.session import RunSettings

    loaded = load(scenario_of(transcript))
    script = load_transcript(transcript)
    plan = plan_from(None)
    client = scenario_client(loaded.path, loaded.scenario, plan)
    settings = RunSettings(seed=script.seed or 0, mode="headless")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "run.jsonl"
        session = run_transcript(loaded, script, settings, Journal(path))
        journal = normalised_journal(path.read_text(encoding="utf-8"))
    card = score(loaded.scenario, plan, session.history(), client)
    scorecard = json.dumps(card.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return journal, scorecard


def golden_paths(transcript: Path) -> tuple[Path, Path]:
    name = transcript.name.removesuffix(".yaml")
    return JOURNALS / f"{name}.jsonl", SCORECARDS / f"{name}.json"


def regenerate(kinds: set[str]) -> list[Path]:
    """Rewrite the golden files of ``kinds`` ({"journals", "scorecards"}); returns them."""
    written = []
    for transcript in transcripts():
        journal, scorecard = play(transcript)
        jpath, spath = golden_paths(transcript)
        for kind, path, text in (("journals", jpath, journal), ("scorecards", spath, scorecard)):
            if kind in kinds:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8", newline="\n")
                written.append(path)
    return written
