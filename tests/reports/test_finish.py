"""The end of play: report next to the journal and the exercise in the register, in one step."""

from __future__ import annotations

from pathlib import Path

from drillbook.reports.finish import finish_exercise
from drillbook.reports.register import connect, list_exercises


def test_finish_writes_the_report_and_registers(model_journal: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    lines = finish_exercise(model_journal, db=db)
    report = model_journal.with_name("model.aar.html")
    assert lines[0] == f"Report: {report}"
    assert lines[1].startswith(f"Register: exercise #1 added to {db}")
    assert "After-Action Report" in report.read_text(encoding="utf-8")
    assert len(list_exercises(connect(db))) == 1
    # ending twice (a resumed console) registers nothing new and says so
    again = finish_exercise(model_journal, db=db, out_dir=tmp_path / "out")
    assert again[0] == f"Report: {tmp_path / 'out' / 'model.aar.html'}"
    assert "already holds this journal as exercise #1" in again[1]
