"""The AAR/IP as a document: one record, printed as HTML, Markdown, JSON (or PDF).

HTML is a single self-contained file — inline CSS and SVG, nothing fetched — so it can be
mailed, archived and printed years later. JSON is the record itself, for other tools.
PDF needs a renderer drillbook does not ship; :mod:`reports.pdf` finds one or says which
to install.
"""

from __future__ import annotations

from pathlib import Path

from drillbook.reports.aar import build_aar
from drillbook.reports.exercise import Exercise
from drillbook.reports.records import AAR
from drillbook.reports.text import json_text
from drillbook.reports.timeline import svg
from drillbook.scenarios.actions import ROLE_TITLES

REPORT_FORMATS = ("html", "md", "json", "pdf")
SUFFIX = {"html": ".aar.html", "md": ".aar.md", "json": ".aar.json", "pdf": ".aar.pdf"}


def lanes_of(aar: AAR) -> list[tuple[str, str]]:
    """The timeline's lanes: injects on top, then each role that is in play or acted."""
    roles = [p.role for p in aar.participants if p.decisions] or [p.role for p in aar.participants]
    return [("injects", "Injects"), *((r, ROLE_TITLES.get(r, r)) for r in roles)]


def timeline_svg(aar: AAR) -> str:
    return svg(aar.timeline, aar.timeline_end, lanes_of(aar), aar.overview.story_start)


def render_aar(aar: AAR, fmt: str, template: str | Path | None = None) -> str:
    """The report as text in ``fmt`` (html, md or json)."""
    if fmt == "json":  # no Jinja2 needed: the record is the document
        return json_text(aar.model_dump(mode="json"))
    from drillbook.reports.render import render, render_user_template

    context = {
        "aar": aar,
        "generated_by": aar.generated_by,
        "timeline_svg": timeline_svg(aar) if fmt == "html" else "",
    }
    if template is not None:
        return render_user_template(template, **context)
    return render("aar", fmt, **context)


def default_output(journal: Path, fmt: str) -> Path:
    """Next to the journal: ``run.jsonl`` → ``run.aar.html``."""
    return journal.with_name(journal.stem + SUFFIX[fmt])


def write_report(
    ex: Exercise,
    fmt: str,
    out: Path | None = None,
    template: str | Path | None = None,
    *,
    force: bool = False,
) -> Path:
    """Write the AAR of ``ex`` in ``fmt``; returns where it went.

    Nothing is clobbered (see :mod:`reports.output`): not the journal, not the scenario,
    not a file drillbook did not write, unless ``force``.
    """
    from drillbook.reports.output import write_output

    target = out or default_output(ex.journal.path, fmt)
    inputs = [ex.journal.path, *([template] if template else []), *ex.inputs]
    aar = build_aar(ex)
    if fmt == "pdf":
        from drillbook.reports.output import check_target
        from drillbook.reports.pdf import html_to_pdf

        check_target(target, force=True, inputs=inputs)  # a PDF cannot be sniffed for its kind
        if target.exists() and not force:
            from drillbook.formats.yamlsource import InputError, Problem

            raise InputError(
                [
                    Problem(
                        str(target),
                        0,
                        0,
                        "already exists; expected a new file name, or --force to replace it",
                    )
                ]
            )
        html = render_aar(aar, "html", template)
        return write_output(target, lambda temp: html_to_pdf(html, temp), force=True, inputs=inputs)
    return write_output(target, render_aar(aar, fmt, template), force=force, inputs=inputs)
