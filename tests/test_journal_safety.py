"""Journals that survive people: one writer, nothing clobbered, nothing recorded lost.

Each test makes one careless or hostile thing happen — a second writer, a crash under
``--force``, a planted symlink, ``-o`` aimed at an input — and checks the one-line answer,
the exit status, and that every byte already recorded is still there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios import library
from drillbook.simulator.commands import Decide
from drillbook.simulator.journal import Journal, read_journal
from drillbook.simulator.lock import JournalBusy
from drillbook.simulator.replay import replay, resume

from drillbook.cli import main

FLAGSHIP = str(library.resolve(library.FLAGSHIP))
MODEL_TEAM = str(library.reference_transcript(library.FLAGSHIP))
HEADER = {"seq": 0, "type": "run_started", "sim": 0.0, "scenario": "mini"}
Run = Callable[..., tuple[int, str, str]]


def one_line(err: str) -> str:
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1, err
    return lines[0]


# ── one writer ──────────────────────────────────────────────────────────────────────────
def test_a_second_writer_in_the_same_process_is_refused_naming_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    first = Journal(path)
    first.write(HEADER)
    before = path.read_bytes()
    for kwargs in ({}, {"overwrite": True}, {"append": True}):
        with pytest.raises(JournalBusy) as info:
            Journal(path, **kwargs)
        assert str(info.value) == (
            f"{path}: in use by another drillbook (pid {os.getpid()}); "
            "expected a journal no other run is writing"
        )
    assert path.read_bytes() == before
    first.close()
    Journal(path, append=True).close()  # free again once the writer is gone


def test_a_journal_held_by_this_process_is_refused_to_a_real_second_process(
    tmp_path: Path,
) -> None:
    path = tmp_path / "held.jsonl"
    holder = Journal(path)
    holder.write(HEADER)
    before = path.read_bytes()
    for args in (["run", "-j", path, "--force"], ["play", "--resume", path]):
        done = subprocess.run(
            [sys.executable, "-m", "drillbook", *map(str, args)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert one_line(done.stderr) == (
            f"drillbook: {path}: in use by another drillbook (pid {os.getpid()}); "
            "expected a journal no other run is writing"
        )
    assert path.read_bytes() == before
    holder.close()


def test_two_concurrent_runs_into_one_journal_never_make_an_invalid_one(tmp_path: Path) -> None:
    path = tmp_path / "same.jsonl"
    cmd = [sys.executable, "-m", "drillbook", "run", FLAGSHIP, "-t", MODEL_TEAM, "-j", str(path)]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    for p in procs:
        for stream in (p.stdout, p.stderr):
            if stream:
                stream.close()
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    for code, err in results:
        if code == 2:
            line = one_line(err)
            assert line.startswith(f"drillbook: {path}: "), line
            assert (
                "in use by another drillbook" in line
                or "journal already holds events" in line
                or "was created by another drillbook" in line
            ), line
    jf = read_journal(path)
    assert [e["seq"] for e in jf.events] == list(range(len(jf.events)))
    assert jf.ended and replay(path).ok


# ── --force ─────────────────────────────────────────────────────────────────────────────
def test_force_with_a_run_that_crashes_keeps_the_old_journal(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drillbook.simulator.engine import Engine

    before = journal.read_bytes()

    def crash(self: Engine, *args: object, **kwargs: object) -> None:
        raise OverflowError("a meter ran past 1e308")  # the engine dies half-way through

    monkeypatch.setattr(Engine, "finish", crash)
    monkeypatch.setenv("DRILLBOOK_CRASH_DIR", str(tmp_path / "crash"))
    code = main(["run", FLAGSHIP, "-t", MODEL_TEAM, "-j", str(journal), "--force"])
    assert code != 0  # the crash is the CLI's "internal error" line; the journal is what matters
    assert journal.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crash", "run.jsonl"]  # no temp file


def test_force_replaces_only_once_the_first_event_is_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    with Journal(path) as old:
        old.write(HEADER)
    before = path.read_bytes()
    new = Journal(path, overwrite=True)
    assert path.read_bytes() == before  # nothing of the new run yet: the old one stands
    new.abandon()  # the new run crashed before its first event
    assert path.read_bytes() == before and list(tmp_path.iterdir()) == [path]
    new = Journal(path, overwrite=True)
    new.write({**HEADER, "scenario": "second"})
    assert read_journal(path).started["scenario"] == "second"  # in place, still being written
    new.close()


def test_force_never_overwrites_a_file_that_is_not_a_journal(cli: Run, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes of the board meeting\n", encoding="utf-8")
    code, _, err = cli("run", FLAGSHIP, "-t", MODEL_TEAM, "-j", notes, "--force")
    assert code == 2
    assert one_line(err) == (
        f"drillbook: {notes}: is not a drillbook journal (its first line is not a run_started "
        "event); expected a journal: --force replaces only a journal, never another file"
    )
    assert notes.read_text(encoding="utf-8") == "minutes of the board meeting\n"


def test_a_symlinked_journal_is_refused_and_its_target_untouched(
    cli: Run, journal: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(victim)
    for force in ([], ["--force"]):
        code, _, err = cli("run", FLAGSHIP, "-t", MODEL_TEAM, "-j", link, *force)
        assert code == 2
        assert one_line(err) == (
            f"drillbook: {link}: is a symbolic link; expected the journal file itself "
            "(drillbook never writes a journal through a link)"
        )
    jlink = tmp_path / "jlink.jsonl"
    jlink.symlink_to(journal)
    with pytest.raises(InputError, match="is a symbolic link"):
        Journal(jlink, append=True)
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_a_fifo_or_a_folder_is_not_a_journal_to_write(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="is not a regular file; expected a journal file"):
        Journal(fifo, overwrite=True)
    with pytest.raises(InputError, match="is a directory; expected a journal file"):
        Journal(tmp_path, append=True)


# ── the last line ───────────────────────────────────────────────────────────────────────
def test_a_complete_last_event_without_its_newline_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    with Journal(path) as j:
        j.write(HEADER)
        j.write({"seq": 1, "type": "note", "sim": 2.0})
    path.write_bytes(path.read_bytes().rstrip(b"\n"))  # a process died before the newline
    jf = read_journal(path)
    assert [e["seq"] for e in jf.events] == [0, 1] and not jf.torn_tail
    with Journal(path, append=True) as j:  # resume: a newline first, nothing cut
        j.write({"seq": 2, "type": "note", "sim": 3.0})
    jf = read_journal(path)  # the chain runs on across the added newline
    assert [e["seq"] for e in jf.events] == [0, 1, 2] and jf.chained


def test_resume_keeps_a_complete_last_event_and_replays(tmp_path: Path) -> None:
    from drillbook.scenarios.loader import load
    from drillbook.simulator.session import RunSettings, Session
    from enginekit import FakeWall

    path = tmp_path / "j.jsonl"
    session = Session(load(FLAGSHIP), RunSettings(seed=3), journal=Journal(path), wall=FakeWall())
    session.start()
    session.apply(Decide.of("on_call", {"action": "acknowledge"}), at=9.0)
    assert session.journal is not None
    session.journal.close()
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    kept = len(read_journal(path).events)
    resumed = resume(path, wall=FakeWall())
    resumed.apply(Decide.of("on_call", {"action": "escalate", "to": "incident_commander"}), at=12.0)
    resumed.end()
    events = read_journal(path).events
    assert events[kept - 1]["type"] == "action_taken"  # the unterminated decision survived
    assert replay(path).ok


# ── -o never clobbers ───────────────────────────────────────────────────────────────────
def test_report_onto_its_own_journal_is_refused_even_with_force(cli: Run, journal: Path) -> None:
    before = journal.read_bytes()
    for force in ([], ["--force"]):
        code, out, err = cli("report", journal, "-o", journal, *force)
        assert (code, out) == (2, "")
        assert one_line(err).startswith(f"drillbook: {journal}: is {journal}, an input")
    assert journal.read_bytes() == before


@pytest.mark.parametrize("kind", ["journal", "scenario", "stranger"])
def test_every_writer_refuses_to_overwrite_what_it_did_not_write(
    cli: Run, journal: Path, tmp_path: Path, kind: str
) -> None:
    other = tmp_path / f"other-{kind}"
    if kind == "journal":
        other.write_bytes(journal.read_bytes())
    elif kind == "scenario":
        other.write_text(Path(FLAGSHIP).read_text(encoding="utf-8"), encoding="utf-8")
    else:
        other.write_text("someone's notes\n", encoding="utf-8")
    before = other.read_bytes()
    writers = [
        ("report", journal, "-o", other),
        ("report", journal, "-f", "md", "-o", other),
        ("brief", FLAGSHIP, "-o", other),
        ("graph", FLAGSHIP, "-o", other),
        ("register", "--db", tmp_path / "r.db", "trend", "-o", other),
    ]
    for args in writers:
        code, _, err = cli(*args)
        assert code == 2, args
        line = one_line(err)
        assert line.startswith(f"drillbook: {other}: already exists and is "), line
        assert line.endswith("expected a new file name, or --force to replace it")
    assert other.read_bytes() == before
    assert cli("report", journal, "-o", other, "--force")[0] == 0  # asked: now it may
    assert other.read_bytes() != before


def test_default_outputs_never_collide_and_replace_their_own_kind(
    cli: Run, journal: Path, tmp_path: Path
) -> None:
    before = journal.read_bytes()
    for _ in range(2):  # the second report replaces the first: same kind, drillbook's own
        code, out, _ = cli("report", journal)
        assert (code, out) == (0, f"Report: {tmp_path / 'run.aar.html'}\n")
    assert journal.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_output_of_another_kind_is_not_replaced_unasked(
    cli: Run, journal: Path, tmp_path: Path
) -> None:
    pack = tmp_path / "pack.html"
    assert cli("brief", FLAGSHIP, "--handbook", "-o", pack)[0] == 0
    before = pack.read_bytes()
    code, _, err = cli("report", journal, "-o", pack)
    assert code == 2 and one_line(err) == (
        f"drillbook: {pack}: already exists and is drillbook output of another kind, so it "
        "cannot be replaced unasked; expected a new file name, or --force to replace it"
    )
    assert pack.read_bytes() == before
    assert cli("brief", FLAGSHIP, "--handbook", "-o", pack)[0] == 0  # its own kind: replaced
    trend = tmp_path / "trend.md"
    for _ in range(2):
        assert cli("register", "--db", tmp_path / "r.db", "trend", "-o", trend)[0] == 0
