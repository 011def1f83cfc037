"""``drillbook report JOURNAL``: the After-Action Report / Improvement Plan of one exercise."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drillbook.commands.runfiles import add_accept, note_journal

FORMATS = ("html", "md", "json", "pdf")


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="write the after-action report / improvement plan of a played exercise"
    )
    p.add_argument("journal", metavar="JOURNAL", help="the exercise's journal (.jsonl)")
    p.add_argument("--format", "-f", choices=FORMATS, default="html", help="default: html")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write it ('-' for standard output; default: next to the journal)",
    )
    p.add_argument("--plan", metavar="FILE", help="score against this response plan")
    p.add_argument("--client", metavar="FILE", help="with this client profile")
    p.add_argument(
        "--template",
        metavar="FILE",
        help="your own Jinja2 template (rendered sandboxed; .md for Markdown, else HTML)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace an existing file at the output that drillbook did not write as this report",
    )
    add_accept(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from drillbook.reports.exercise import load_exercise
    from drillbook.reports.report import build_aar, render_aar, write_report

    ex = load_exercise(
        args.journal,
        plan=args.plan,
        client=args.client,
        accept_changed_scenario=args.accept_changed_scenario,
    )
    if args.output == "-":
        if args.format == "pdf":
            from drillbook.formats.yamlsource import InputError, Problem

            raise InputError(
                [Problem("-o -", 0, 0, "a PDF cannot go to standard output; name a file")]
            )
        sys.stdout.write(render_aar(build_aar(ex), args.format, args.template))
        note_journal(ex.journal, scenario_changed=ex.scenario_changed)
        return 0
    out = write_report(
        ex,
        args.format,
        Path(args.output) if args.output else None,
        args.template,
        force=args.force,
    )
    print(f"Report: {out}")
    note_journal(ex.journal, scenario_changed=ex.scenario_changed)
    return 0
