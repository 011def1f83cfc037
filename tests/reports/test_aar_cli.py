"""``drillbook report``: files where asked, one clear line for bad input, exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drillbook.cli import main


def test_report_writes_next_to_the_journal_by_default(model_journal: Path, capsys) -> None:
    assert main(["report", str(model_journal)]) == 0
    out = model_journal.with_name("model.aar.html")
    assert capsys.readouterr().out.strip() == f"Report: {out}"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_report_formats_to_a_file(model_journal: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    assert main(["report", str(model_journal), "--format", fmt, "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(text)["overview"]["scenario"] == "airline-pricing-0347"
    else:
        assert text.startswith("# After-Action Report / Improvement Plan")


def test_report_to_standard_output(model_journal: Path, capsys) -> None:
    assert main(["report", str(model_journal), "-f", "json", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "drillbook-aar/1"


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


def test_not_a_journal(tmp_path: Path, capsys) -> None:
    bogus = tmp_path / "notes.jsonl"
    bogus.write_text('{"hello": "world"}\n', encoding="utf-8")
    assert main(["report", str(bogus)]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"drillbook: {bogus}:1:1: not a journal event")


def test_missing_journal(tmp_path: Path, capsys) -> None:
    assert main(["report", str(tmp_path / "nope.jsonl")]) == 2
    assert "no such journal file" in _one_line(capsys)


def test_missing_plan_file(model_journal: Path, tmp_path: Path, capsys) -> None:
    assert main(["report", str(model_journal), "--plan", str(tmp_path / "plan.yaml")]) == 2
    assert "plan.yaml: no such file" in _one_line(capsys)


def test_pdf_without_an_engine_says_what_to_install(
    model_journal: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    import drillbook.reports.pdf as pdf

    monkeypatch.setattr(pdf, "_weasyprint", lambda: None)
    monkeypatch.setattr(pdf, "find_browser", lambda: None)
    target = tmp_path / "r.pdf"
    assert main(["report", str(model_journal), "-f", "pdf", "-o", str(target)]) == 2
    line = _one_line(capsys)
    assert "pip install weasyprint" in line and "chromium" in line.lower()
    assert not target.exists()
