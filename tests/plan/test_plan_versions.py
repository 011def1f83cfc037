"""The plan as a living document: an exercise scored against v1, a lesson that changes the
plan, v2 carrying it, a second exercise against v2 — and the register and the trend say so."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from drillbook.scenarios import library
from drillbook.scenarios.loader import load
from drillbook.scenarios.transcript import load_transcript
from drillbook.simulator.commands import Decide, Record
from drillbook.simulator.journal import Journal, read_journal
from drillbook.simulator.session import RunSettings, Session

from drillbook.cli import main

LESSON = "Call the client within half an hour of a Critical page."


def play(journal: Path, plan: Path, wall: str, records: list[tuple[float, str, dict]]) -> Path:
    """The flagship's model team, played under ``plan``, with hot-wash records at the end."""
    loaded = load(library.resolve(library.FLAGSHIP))
    transcript = load_transcript(library.reference_transcript(library.FLAGSHIP, "model"))
    settings = RunSettings(seed=transcript.seed or 0, plan=str(plan), mode="headless")
    session = Session(loaded, settings, journal=Journal(journal, wall=lambda: wall))
    session.start()
    for d in transcript.decisions:
        session.apply(Decide.of(d.role, d.action), at=d.at)
    for at, kind, fields in records:
        session.run_to(at)
        session.apply(Record(kind, dict(fields)))
    session.end()
    return journal


def cli(capsys: pytest.CaptureFixture[str], *args: Any) -> str:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_v1_to_v2_through_a_closed_improvement_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "register.db"
    plan = tmp_path / "acme.yaml"
    cli(capsys, "plan", "new", "acme", "-o", plan)
    v1 = plan.read_text(encoding="utf-8")
    (tmp_path / "acme-v1.yaml").write_text(v1, encoding="utf-8")

    # Q1: exercise 1, played and scored under v1; the hot wash files a lesson as a plan change
    lesson = {"capability": "notification", "text": LESSON, "plan_change": True}
    j1 = play(tmp_path / "q1.jsonl", plan, "2025-02-11T09:30:00Z", [(21590.0, "lesson", lesson)])
    header = read_journal(j1).started
    assert (header["plan_id"], header["plan_version"]) == ("acme", "1")
    assert len(header["plan_digest"]) == 64
    cli(capsys, "register", "add", j1, "--db", db)
    items = cli(capsys, "register", "items", "--db", db, "--as-of", "2025-02-12")
    line = next(ln for ln in items.splitlines() if "plan change" in ln)
    item = int(re.match(r"#(\d+)", line).group(1))  # type: ignore[union-attr]
    assert LESSON in items.split(line, 1)[1].splitlines()[1]

    # the plan changes: v2 tightens the client's Critical window, carrying the lesson
    v2 = v1.replace('version: "1"', 'version: "2"', 1)
    v2 = v2.replace(
        'windows: {critical: "+1:00", high: "+4:00", medium: "+48:00"}',
        'windows: {critical: "+0:30", high: "+4:00", medium: "+48:00"}',
    )
    v2 = v2.replace(
        '    changes: ["Started from default v1."]\n',
        '    changes: ["Started from default v1."]\n'
        '  - version: "2"\n    date: "2025-03-20"\n'
        "    changes: [Notify the client within 30 minutes of a Critical incident.]\n"
        f"    items: [{item}]\n",
    )
    assert v2.count('version: "2"') == 2
    plan.write_text(v2, encoding="utf-8")
    out = cli(capsys, "plan", "diff", tmp_path / "acme-v1.yaml", plan).splitlines()
    assert out == [
        "acme v1 → acme v2",
        "  - rule notify-client: Critical window tightened from 1 h to 30 min",
    ]
    closed = cli(capsys, "register", "item", "close", item, "--plan-version", "2", "--db", db)
    assert f"Item {item} closed" in closed and "plan version 2 carries it" in closed

    # Q2: exercise 2 against v2
    j2 = play(tmp_path / "q2.jsonl", plan, "2025-05-06T09:30:00Z", [])
    assert read_journal(j2).started["plan_version"] == "2"
    assert read_journal(j2).started["plan_digest"] != header["plan_digest"]
    cli(capsys, "register", "add", j2, "--db", db)

    listed = cli(capsys, "register", "list", "--db", db).splitlines()
    assert "acme v1" in listed[1] and "2025-02-11" in listed[1]
    assert "acme v2" in listed[2] and "2025-05-06" in listed[2]
    everything = cli(capsys, "register", "items", "--all", "--db", db, "--as-of", "2025-06-01")
    assert "plan change → v2" in everything

    md = cli(
        capsys, "register", "trend", "--by-plan", "-f", "md", "--db", db, "--as-of", "2025-06-30"
    )
    q1 = next(ln for ln in md.splitlines() if ln.startswith("| 2025-Q1 |"))
    q2 = next(ln for ln in md.splitlines() if ln.startswith("| 2025-Q2 |"))
    assert "acme v1" in q1 and "acme v2" in q2
    section = md.split("## The plan the readiness was scored against", 1)[1]
    rows = [ln for ln in section.splitlines() if ln.startswith("| **acme")]
    assert rows[0].startswith("| **acme v1** | 2025-Q1 | 1 |")
    assert rows[1].startswith("| **acme v2** | 2025-Q2 | 1 |")
    assert "Notify the client within 30 minutes of a Critical incident." in rows[1]
    assert f"lesson #{item}: Act on the hot-wash lesson: {LESSON}" in rows[1]
    html = cli(capsys, "register", "trend", "-f", "html", "--db", db, "--as-of", "2025-06-30")
    assert "<strong>acme v2</strong>" in html and "from 2025-03-20" in html


def test_a_plan_changed_since_play_is_named_when_registering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "acme.yaml"
    cli(capsys, "plan", "new", "acme", "-o", plan)
    j = play(tmp_path / "j.jsonl", plan, "2025-02-11T09:30:00Z", [])
    plan.write_text(plan.read_text(encoding="utf-8").replace('version: "1"', 'version: "2"', 1))
    out = cli(capsys, "register", "add", j, "--db", tmp_path / "r.db")
    assert "scored against acme v2; the run was played under version 1" in out


def test_a_journal_from_before_plan_versions_still_registers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    plan = tmp_path / "acme.yaml"
    cli(capsys, "plan", "new", "acme", "-o", plan)
    j = play(tmp_path / "j.jsonl", plan, "2025-02-11T09:30:00Z", [])
    # as a drillbook from before plan versions (and before the hash chain) wrote it
    events = [json.loads(line) for line in j.read_text(encoding="utf-8").splitlines()]
    for key in ("plan_id", "plan_version", "plan_digest", "run_id", "chain"):
        events[0].pop(key, None)
    for e in events:
        e.pop("hash", None)
    old = tmp_path / "old.jsonl"
    old.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    out = cli(capsys, "register", "add", old, "--db", tmp_path / "r.db")
    assert "added" in out and "Note" not in out


def test_a_plan_edited_without_a_new_version_is_called_out_in_the_trend(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "r.db"
    plan = tmp_path / "acme.yaml"
    cli(capsys, "plan", "new", "acme", "-o", plan)
    cli(
        capsys,
        "register",
        "add",
        play(tmp_path / "a.jsonl", plan, "2025-02-11T09:30:00Z", []),
        "--db",
        db,
    )
    plan.write_text(plan.read_text(encoding="utf-8").replace("P: 90", "P: 80"), encoding="utf-8")
    cli(
        capsys,
        "register",
        "add",
        play(tmp_path / "b.jsonl", plan, "2025-05-11T09:30:00Z", []),
        "--db",
        db,
    )
    md = cli(capsys, "register", "trend", "-f", "md", "--db", db, "--as-of", "2025-06-30")
    row = next(ln for ln in md.splitlines() if ln.startswith("| **acme v1**"))
    assert "2 different files scored as this version" in row and "| 2025-Q1, 2025-Q2 | 2 |" in row
