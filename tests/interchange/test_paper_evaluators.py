"""Evaluators on paper: a transcript's ``role: evaluator`` entries are journaled exactly as
the facilitator console records them, so they are scored and reported the same way
(issue 16, 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios import library
from drillbook.scenarios.loader import load
from drillbook.scenarios.transcript import load_transcript
from drillbook.simulator.commands import Decide, Record
from drillbook.simulator.journal import read_journal, without_wall
from drillbook.simulator.session import RunSettings, Session

TEAM = library.reference_transcript(library.FLAGSHIP)
PAPER = """\
  - {at: "+1:00", role: evaluator, action: rating, capability: containment, rating: M, note: "Fallback chosen, but nobody checked it held"}
  - {at: "+1:10", role: evaluator, action: note, text: "IC kept the bridge calm", capability: communication, about: incident_commander}
  - {at: "+1:10", role: evaluator, action: lesson, capability: learning, text: "Rehearse the fare floor switch", plan_change: true}
"""


def _paper(tmp_path: Path, entries: str = PAPER) -> Path:
    path = tmp_path / "paper.yaml"
    path.write_text(TEAM.read_text(encoding="utf-8") + entries, encoding="utf-8")
    return path


def test_paper_entries_are_journaled_as_the_console_records_them(cli, tmp_path):
    journal = tmp_path / "paper.jsonl"
    assert cli("run", library.FLAGSHIP, "-t", _paper(tmp_path), "-j", journal)[0] == 0

    # The same exercise with the evaluator at the facilitator console.
    loaded = load(library.resolve(library.FLAGSHIP))
    team = load_transcript(TEAM)
    session = Session(loaded, RunSettings(seed=team.seed or 0, mode="headless"))
    session.start()
    console = [
        (
            60.0,
            "rating",
            {
                "capability": "containment",
                "rating": "M",
                "note": "Fallback chosen, but nobody checked it held",
            },
        ),
        (
            70.0,
            "evaluator_note",
            {
                "text": "IC kept the bridge calm",
                "capability": "communication",
                "about": "incident_commander",
            },
        ),
        (
            70.0,
            "lesson",
            {
                "capability": "learning",
                "text": "Rehearse the fare floor switch",
                "plan_change": True,
            },
        ),
    ]
    steps = [(d.at, 0, d) for d in team.decisions] + [(at, 1, r) for at, *r in console]
    for at, kind, step in sorted(steps, key=lambda s: (s[0], s[1])):
        if kind == 0:
            session.apply(Decide(step.role, step.action), at=at)
        else:  # what the facilitator console applies when the evaluator saves a record
            session.run_to(at)
            session.apply(Record(step[0], dict(step[1])))
    session.end()

    def body(events):
        return [
            {k: v for k, v in e.items() if k not in ("scenario_file",)}
            for e in without_wall(events)
        ][1:]

    assert body(read_journal(journal).events) == body(session.history())


def test_the_rating_overrides_and_the_report_shows_its_note_beside_it(cli, tmp_path):
    journal = tmp_path / "paper.jsonl"
    assert cli("run", library.FLAGSHIP, "-t", _paper(tmp_path), "-j", journal)[0] == 0
    code, out, _ = cli("report", journal, "-f", "json", "-o", "-")
    assert code == 0
    report = json.loads(out)
    [cap] = [c for c in report["summary"]["capabilities"] if c["id"] == "containment"]
    assert (cap["rating"], cap["overridden"]) == ("M", True)
    assert cap["note"] == "Fallback chosen, but nobody checked it held"
    code, md, _ = cli("report", journal, "-f", "md", "-o", "-")
    summary = md.split("## ", 2)[1]
    assert "M (evaluator: “Fallback chosen, but nobody checked it held”)" in summary
    assert "Rehearse the fare floor switch" in md and "IC kept the bridge calm" in md


@pytest.mark.parametrize(
    ("entry", "at", "expected"),
    [
        (
            '{at: "+1:00", role: evaluator, action: rating, capability: containment, rating: Z}',
            "Z}",
            "'Z' is not allowed",
        ),
        (
            '{at: "+1:00", role: evaluator, action: grade, capability: containment}',
            "grade",
            "expected one of: rating, note, lesson",
        ),
        ('{at: "+1:00", role: evaluator, action: note}', None, "needs 'text'"),
        (
            '{at: "+1:00", role: evaluator, action: lesson, text: x, capability: learning, colour: red}',
            "colour: red",
            "takes no 'colour'",
        ),
    ],
)
def test_a_bad_evaluator_entry_is_placed(tmp_path, entry, at, expected):
    path = _paper(tmp_path, f"  - {entry}\n")
    text = path.read_text(encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_transcript(path)
    [problem] = exc.value.problems
    line = text.count("\n", 0, text.index(entry)) + 1
    assert problem.line == line and expected in problem.message
    if at:  # the column points at the value (or the key) that is wrong
        assert text.splitlines()[line - 1][problem.col - 1 :].startswith(at)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            '{at: "+1:00", role: evaluator, action: rating, capability: speed, rating: S}',
            "capability 'speed' is not in the plan",
        ),
        (
            '{at: "+1:00", role: evaluator, action: note, text: x, about: janitor}',
            "role 'janitor' is not in play",
        ),
    ],
)
def test_a_capability_or_role_that_does_not_exist_stops_the_run(cli, tmp_path, entry, expected):
    journal = tmp_path / "j.jsonl"
    code, _, err = cli(
        "run", library.FLAGSHIP, "-t", _paper(tmp_path, f"  - {entry}\n"), "-j", journal
    )
    assert code == 2 and len(err.splitlines()) == 1 and expected in err
    assert not journal.exists()
