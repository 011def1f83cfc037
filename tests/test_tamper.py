"""Tamper evidence and drift: an edited journal or a changed scenario never passes unnoticed.

A journal's lines are chained (each carries the SHA-256 of the one before), so the commands
that trust a journal — score, report, register add, replay, resume — refuse one whose chain
breaks, naming the line. A scenario file that changed since the run is refused unless
``--accept-changed-scenario``, and the report then says so on its first page. Journals from
before the chain still score. The register knows a run by its run id.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from drillbook.scenarios import library
from drillbook.simulator.journal import read_journal
from enginekit import MINI, unchain

FLAGSHIP = str(library.resolve(library.FLAGSHIP))
MODEL_TEAM = str(library.reference_transcript(library.FLAGSHIP))
MINI_TEAM = 'scenario: mini\nactions:\n  - {at: "+0:06", role: on_call, action: acknowledge}\n'
Run = Callable[..., tuple[int, str, str]]


def readers(journal: Path, db: Path) -> list[tuple[object, ...]]:
    """Every command that trusts a journal, as argument lists."""
    return [
        ("score", journal),
        ("report", journal, "-o", journal.with_name("r.html")),
        ("register", "--db", db, "add", journal),
        ("replay", journal),
    ]


def soften_the_severity(journal: Path) -> int:
    """Edit the classify decision from critical to low, as someone covering a mistake would;
    returns its line number."""
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if '"action":"classify"' in line)
    lines[n] = lines[n].replace('"severity":"critical"', '"severity":"low"')
    journal.write_text("".join(lines), encoding="utf-8")
    return n + 1


def test_a_journal_with_a_softened_severity_is_refused_by_every_reader(
    cli: Run, journal: Path, tmp_path: Path
) -> None:
    line = soften_the_severity(journal)
    db = tmp_path / "r.db"
    for args in readers(journal, db):
        code, out, err = cli(*args)
        assert (code, out) == (2, ""), args
        [message] = err.strip("\n").split("\n")
        assert message.startswith(
            f"drillbook: {journal}:{line}:1: hash chain broken: this line was changed"
        ), (args, message)
    assert not journal.with_name("r.html").exists()
    assert not db.exists() or "exercise" not in cli("register", "--db", db, "list")[1]


def test_a_removed_or_reordered_line_is_caught(cli: Run, journal: Path) -> None:
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    del lines[5]  # a decision nobody wants to be seen
    journal.write_text("".join(lines), encoding="utf-8")
    code, _, err = cli("score", journal)
    assert code == 2 and ":6:1: hash chain broken" in err  # the line after the gap
    lines[3], lines[4] = lines[4], lines[3]
    journal.write_text("".join(lines), encoding="utf-8")
    assert ":4:1: hash chain broken" in cli("score", journal)[2]  # the first moved line


def test_an_edited_last_line_is_caught_too(cli: Run, journal: Path) -> None:
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[-1] = lines[-1].replace('"reason":"end of play"', '"reason":"all fine"')
    journal.write_text("".join(lines), encoding="utf-8")
    code, _, err = cli("score", journal)
    assert code == 2 and f"{journal}:{len(lines)}:1: hash chain broken" in err


def test_an_edited_header_is_caught_at_its_next_line(cli: Run, journal: Path) -> None:
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    header = json.loads(lines[0])
    header["practice"] = True  # turn an official exercise into practice after the fact
    lines[0] = json.dumps(header, separators=(",", ":")) + "\n"
    journal.write_text("".join(lines), encoding="utf-8")
    code, _, err = cli("report", journal)
    assert code == 2 and f"{journal}:1:1: hash chain broken" in err


def test_a_changed_scenario_is_refused_then_accepted_and_stated(cli: Run, tmp_path: Path) -> None:
    scenario = tmp_path / "mini.yaml"
    scenario.write_text(MINI, encoding="utf-8")
    team = tmp_path / "team.yaml"
    team.write_text(MINI_TEAM, encoding="utf-8")
    journal = tmp_path / "j.jsonl"
    assert cli("run", scenario, "-t", team, "-j", journal)[0] == 0
    scenario.write_text(MINI.replace("title: Mini", "title: Mini (revised)"), encoding="utf-8")
    db = tmp_path / "r.db"
    for args in readers(journal, db):
        code, out, err = cli(*args)
        assert (code, out) == (2, ""), args
        [message] = err.strip("\n").split("\n")
        assert message.startswith(f"drillbook: {journal}:1:1: scenario {scenario} changed since")
        assert message.endswith("or --accept-changed-scenario to use it as it is now")
    flag = "--accept-changed-scenario"
    code, out, err = cli("report", journal, "-f", "md", "-o", tmp_path / "r.md", flag)
    assert code == 0 and "changed since the run; used as it is now" in err
    first_page = (tmp_path / "r.md").read_text(encoding="utf-8").split("## ")[0]
    assert "**Scenario changed:**" in first_page
    html = tmp_path / "r.html"
    assert cli("report", journal, "-o", html, flag)[0] == 0
    assert "Scenario changed:" in html.read_text(encoding="utf-8").split('id="summary"')[0]
    assert cli("score", journal, flag)[0] == 0
    assert cli("replay", journal, flag)[0] == 0
    assert cli("register", "--db", db, "add", journal, flag)[0] == 0


def test_the_register_knows_a_run_by_its_run_id_not_its_bytes(
    cli: Run, journal: Path, tmp_path: Path
) -> None:
    db = tmp_path / "r.db"
    code, out, _ = cli("register", "--db", db, "add", journal)
    assert code == 0 and "exercise #1 added" in out
    copy = tmp_path / "copy.jsonl"  # the same run, its bytes touched (a blank line appended)
    copy.write_bytes(journal.read_bytes() + b"\n")
    code, out, _ = cli("register", "--db", db, "add", copy)
    run_id = read_journal(journal).run_id
    assert run_id and code == 0
    assert out.strip().endswith(
        f"already holds this journal as exercise #1 (same run id {run_id[:12]}…); nothing added."
    )
    other = tmp_path / "other.jsonl"  # a second run of the same transcript is a new exercise
    assert cli("run", FLAGSHIP, "-t", MODEL_TEAM, "-j", other)[0] == 0
    assert "exercise #2 added" in cli("register", "--db", db, "add", other)[1]


def test_a_journal_from_before_the_chain_still_scores_reports_and_registers(
    cli: Run, journal: Path, tmp_path: Path
) -> None:
    chained = cli("score", journal, "--json")[1]
    unchain(journal)
    header = read_journal(journal).started
    assert "run_id" not in header and "chain" not in header
    code, out, err = cli("score", journal, "--json")
    assert code == 0 and json.loads(out) == json.loads(chained)
    note = f"drillbook: note: {journal} has no hash chain"
    assert err.count(note) == 1
    assert cli("report", journal)[0] == 0
    db = tmp_path / "r.db"
    assert "exercise #1 added" in cli("register", "--db", db, "add", journal)[1]
    again = cli("register", "--db", db, "add", journal)[1]
    assert "already holds this journal as exercise #1 (same SHA-256" in again
    assert cli("replay", journal)[0] == 0


def test_header_paths_are_followed_only_to_files_that_load_as_such(
    cli: Run, journal: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("root: x:0:0:SECRET-TOKEN\npassword: hunter2\n", encoding="utf-8")
    for field, what in (("scenario_file", "scenario"), ("plan", "plan"), ("client", "client")):
        path = tmp_path / f"{field}.jsonl"
        path.write_bytes(journal.read_bytes())
        unchain(path)  # a received journal from before the chain, header rewritten by a sender
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        header = json.loads(lines[0])
        header[field] = str(secret)
        lines[0] = json.dumps(header) + "\n"
        path.write_text("".join(lines), encoding="utf-8")
        for command in ("score", "report"):
            code, out, err = cli(command, path)
            assert (code, out) == (2, ""), (field, command)
            [line] = err.strip("\n").split("\n")
            assert "SECRET" not in line and "hunter2" not in line
            assert line.startswith(f"drillbook: {path}:1:1: the {what} "), line
            assert f"({secret}) does not load as a drillbook {what}" in line
