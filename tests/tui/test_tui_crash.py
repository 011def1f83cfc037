"""When something unexpected stops the app: one line, a crash log, a non-zero exit — and a
journal that resumes. (Textual used to print its traceback over the terminal and ``play``
exited 0.)"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from drillbook.simulator.journal import read_journal
from drillbook.simulator.replay import resume
from drillbook.tui.app import DrillbookApp
from drillbook.tui.facilitator.meters_bar import MetersBar
from textual.pilot import Pilot

from drillbook import crashlog as crash
from drillbook.cli import main
from drillbook.commands.play import EXIT_CRASH

BROKE = "meter broke [/i] \x1b]0;PWNED\x07"


def _headless(monkeypatch: pytest.MonkeyPatch, keys: tuple[str, ...]) -> None:
    """``app.run()`` as ``play`` calls it, headless, with ``keys`` pressed; an app that does
    not crash is closed at the end, so a test never hangs."""
    run = DrillbookApp.run

    async def drive(pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)
        await pilot.pause()
        pilot.app.exit()

    monkeypatch.setattr(
        DrillbookApp, "run", lambda self, **kw: run(self, headless=True, auto_pilot=drive)
    )


def _break_the_meters(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: MetersBar, session: Any) -> None:
        raise RuntimeError(BROKE)

    monkeypatch.setattr(MetersBar, "show", broken)


def test_a_crash_in_play_is_one_line_a_crash_log_and_exit_70_and_the_run_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    journal = tmp_path / "run.jsonl"
    _break_the_meters(monkeypatch)
    _headless(monkeypatch, ("ctrl+s",))  # begin play: the facilitator's console breaks
    assert main(["play", "--journal", str(journal)]) == EXIT_CRASH
    out = capsys.readouterr()
    (line,) = out.err.strip().splitlines()
    said, log = line.split("; details in ")
    assert said == "drillbook: internal error: RuntimeError: meter broke [/i] ␛]0;PWNED␇"
    log_path = Path(log)
    assert log_path.parent == cache / "drillbook" / "crashes"
    assert log_path.name.startswith("crash-")
    report = log_path.read_text(encoding="utf-8")
    assert f"journal: {journal}" in report
    assert "Traceback (most recent call last)" in report and "in broken" in report
    assert os.stat(log_path).st_mode & 0o077 == 0  # tracebacks quote the run: owner only
    assert f"Continue this run with: drillbook play --resume {journal}" in out.out

    kept = journal.read_bytes()
    assert read_journal(journal).events[0]["type"] == "run_started"
    assert not read_journal(journal).ended
    monkeypatch.undo()  # the meters work again
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    session = resume(journal)
    assert [e["seq"] for e in session.history()] == [e["seq"] for e in read_journal(journal).events]
    session.end("resumed after a crash")
    assert read_journal(journal).ended and journal.read_bytes().startswith(kept)


def test_a_crash_on_resume_is_one_line_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "run.jsonl"
    _headless(monkeypatch, ("ctrl+s",))
    assert main(["play", "--journal", str(journal)]) == 0  # began, then closed: resumable
    capsys.readouterr()
    before = journal.read_bytes()
    _break_the_meters(monkeypatch)
    _headless(monkeypatch, ())
    assert main(["play", "--resume", str(journal)]) == EXIT_CRASH
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("drillbook: internal error: RuntimeError: meter broke")
    assert journal.read_bytes().startswith(before)


def test_the_crash_log_falls_back_to_the_temporary_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # cannot hold a drillbook/ folder
    monkeypatch.setattr(crash.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    try:
        raise ValueError("boom")
    except ValueError as exc:
        first = crash.write_crash_log(exc, None)
        second = crash.write_crash_log(exc, None)
    assert first is not None and first.parent == tmp_path / "tmp" / "drillbook"
    assert second is not None and second != first  # a log never replaces another
    assert "ValueError: boom" in first.read_text(encoding="utf-8")
