"""The report headlines every meter marked ``headline: true``; unmarked, money first, else the
first meter, as before (issue 16, 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.scenarios import library

METER = "  - id: tickets_sold\n"


def _played(cli, tmp_path: Path, marks: tuple[str, ...]) -> tuple[str, Path]:
    text = library.resolve(library.FLAGSHIP).read_text(encoding="utf-8")
    for meter in marks:
        line = f"  - id: {meter}\n"
        assert line in text
        text = text.replace(line, f"{line}    headline: true\n", 1)
    scenario = tmp_path / f"{library.FLAGSHIP}.yaml"
    scenario.write_text(text, encoding="utf-8")
    journal = tmp_path / "run.jsonl"
    team = library.reference_transcript(library.FLAGSHIP)
    code, out, err = cli("run", scenario, "-t", team, "-j", journal)
    assert code == 0, err
    return out, journal


def _report(cli, journal: Path) -> str:
    code, out, err = cli("report", journal, "-f", "md", "-o", "-")
    assert code == 0, err
    return out


@pytest.mark.parametrize(
    ("marks", "expected", "absent"),
    [
        ((), ["Your response cost "], ["Tickets sold at $14: "]),
        (("tickets_sold",), ["Tickets sold at $14: "], ["Your response cost "]),
        (
            ("tickets_sold", "revenue_lost"),
            ["Tickets sold at $14: ", "Revenue lost: "],
            ["Your response cost "],
        ),
    ],
)
def test_the_marked_meters_lead_the_run_line_and_the_report(cli, tmp_path, marks, expected, absent):
    out, journal = _played(cli, tmp_path, marks)
    report = _report(cli, journal)
    summary = report.split("## ", 2)[1]  # the executive summary, before the overview
    for text in expected:
        assert text in out and text in summary, text
    for text in absent:
        assert text not in out and text not in summary, text
