"""PDF, for a manager who wants an attachment: printed from the HTML report.

drillbook ships no PDF engine. It uses WeasyPrint if it is installed, else a Chromium or
Chrome found on PATH (its headless ``--print-to-pdf``); with neither, one clear line says
what to install — the HTML report prints to PDF from any browser as it is.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from drillbook.formats.yamlsource import InputError, Problem

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MISSING = (
    "PDF output needs WeasyPrint (pip install weasyprint) or Chromium on PATH "
    "(apt-get install chromium); or write --format html and print it to PDF from a browser"
)


def find_browser() -> str | None:
    return next((p for p in (shutil.which(b) for b in BROWSERS) if p), None)


def _weasyprint() -> object | None:
    try:
        import weasyprint  # type: ignore[import-not-found]
    except ImportError:
        return None
    return weasyprint


def html_to_pdf(html: str, target: Path) -> None:
    """Write ``html`` as a PDF at ``target`` with whichever engine is available."""
    target.parent.mkdir(parents=True, exist_ok=True)
    wp = _weasyprint()
    if wp is not None:
        wp.HTML(string=html).write_pdf(str(target))  # type: ignore[attr-defined]
        return
    browser = find_browser()
    if browser is None:
        raise InputError([Problem("--format pdf", 0, 0, MISSING)])
    with tempfile.TemporaryDirectory(prefix="drillbook-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target.resolve()}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            raise InputError([Problem(browser, 0, 0, "timed out printing the PDF")]) from None
        if done.returncode != 0 or not target.exists():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise InputError([Problem(browser, 0, 0, f"could not print the PDF: {last}")])
