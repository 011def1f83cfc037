"""``drillbook plan show`` and ``plan card``: the plan in force as documents people read."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from drillbook.scenarios.library import LIBRARY_DIR
from drillbook.scoring.plan import default_plan
from planfiles import broken, write

from drillbook.cli import main

SKYLARK = LIBRARY_DIR / "clients" / "skylark-regional.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["plan", *args]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def test_show_html_is_the_whole_plan_with_its_sources(
    capsys: pytest.CaptureFixture[str],
) -> None:
    html = run(capsys, "show", "-o", "-")
    plan = default_plan()
    for level in plan.severities.values():
        assert level.title in html and level.source.split(" — ")[1][:40] in html
    for role in plan.roles:
        assert role.title in html
    for phase in plan.phases:
        assert f"{phase.title}</h3>" in html
    for step in plan.steps:
        assert f"<strong>{step.title}</strong>" in html
    for heading in ("Internal communication", "Client communication", "Regulatory", "Public"):
        assert heading in html
    assert "Post-incident review and the register" in html
    assert "Is the harm reversible?" in html and "version 1" in html
    # the notify-client row: Critical 1 h, High 4 h, Medium 48 h, not at Low
    row = re.search(r"<strong>Notify the client</strong>.*?</tr>", html, re.S)
    assert row is not None
    assert re.findall(r'<td class="num">([^<]*)</td>', row.group(0)) == ["1 h", "4 h", "48 h", "—"]
    # self-contained: nothing fetched from anywhere
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "<script" not in html


def test_show_with_a_client_uses_its_windows(capsys: pytest.CaptureFixture[str]) -> None:
    html = run(capsys, "show", "--client", str(SKYLARK), "-o", "-")
    row = re.search(r"<strong>Notify the client</strong>.*?</tr>", html, re.S)
    assert row is not None
    cells = re.findall(r'<td class="num">([^<]*)</td>', row.group(0))
    # the profile's windows, marked; below High its SLA ("any pricing incident within one hour")
    assert cells == ["30 min *", "2 h *", "1 h *", "1 h *"]
    assert "Skylark Regional" in html and "Revenue duty manager" in html
    assert "final-report</code> within 10 d" in html  # an SLA that tightens a rule, in words


def test_show_markdown_for_a_wiki(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.md"
    assert "Plan: " in run(capsys, "show", "-f", "md", "-o", str(out))
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# AI incident response plan")
    assert "| **Notify the client** |" in md and "## 4. Communication plan" in md


def test_plan_text_is_printed_never_interpreted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from planfiles import CLEAN

    evil = "<script>alert(1)</script> [click](http://x) {{ 7*7 }} *bold*"
    path = write(tmp_path, broken('text: "Detect and confirm."', f'text: "{evil}"', CLEAN))
    html = run(capsys, "show", str(path), "-o", "-")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = run(capsys, "show", str(path), "-f", "md", "-o", "-")
    assert "\\<script\\>" in md and "\\[click\\]" in md and "\\{\\{ 7\\*7 \\}\\}" in md


def test_card_says_who_to_page_and_what_to_do_first(capsys: pytest.CaptureFixture[str]) -> None:
    html = run(capsys, "card", "--client", str(SKYLARK), "-o", "-")
    for q in default_plan().criteria.questions:
        assert q in html
    assert "Page the <strong>Incident Commander</strong>" in html
    assert "Immediate response: checklist" in html and "☐ Contain" in html
    assert "Revenue duty manager" in html and "MSA §9.2 incident notification" in html
    assert "Investigation" not in html  # only the first phase


def pages(pdf: Path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    return count, re.search(r"Page size:.*", info).group(0)  # type: ignore[union-attr]


@pytest.mark.skipif(
    not (shutil.which("chromium") and shutil.which("pdfinfo")), reason="needs chromium, pdfinfo"
)
@pytest.mark.parametrize("size", ["A4", "letter"])
def test_the_card_prints_on_one_page(
    size: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = tmp_path / "card.html"
    run(capsys, "card", "--client", str(SKYLARK), "-o", str(html))
    sized = html.read_text(encoding="utf-8").replace("size: auto", f"size: {size}")
    assert sized != html.read_text(encoding="utf-8")
    html.write_text(sized, encoding="utf-8")
    from drillbook.reports.pdf import html_to_pdf

    pdf = tmp_path / "card.pdf"
    html_to_pdf(sized, pdf)
    count, page = pages(pdf)
    assert count == 1, page
    assert size.lower() in page.lower()
