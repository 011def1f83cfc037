"""``drillbook plan``: the response plan as a living document.

``show`` prints the plan in force (HTML for a browser or a printer, Markdown for a wiki,
PDF), ``card`` the one page for the on-call desk, ``new`` a commented plan to edit,
``check`` its errors and warnings, ``diff`` what changed between two versions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

PLAN_HELP = "a response plan file (default: the bundled plan)"


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plan", help="show, print, start, check and compare response plans")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")

    def output(q: argparse.ArgumentParser, formats: tuple[str, ...], kind: str) -> None:
        q.add_argument("plan", nargs="?", metavar="PLAN", help=PLAN_HELP)
        q.add_argument("--client", metavar="FILE", help="apply this client profile")
        q.add_argument("--format", "-f", choices=formats, default="html", help="default: html")
        q.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help=f"where to write it ('-' for standard output; default: PLAN.{kind}.FORMAT)",
        )
        q.add_argument(
            "--force", action="store_true", help="replace a file drillbook did not write as this"
        )

    show = verbs.add_parser("show", help="the plan in force as a document a team reads")
    output(show, ("html", "md", "pdf"), "plan")
    show.set_defaults(handler=run_show)
    card = verbs.add_parser("card", help="the one-page on-call card (severity, pages, checklist)")
    output(card, ("html", "pdf"), "card")
    card.set_defaults(handler=run_card)

    new = verbs.add_parser("new", help="write a commented plan to edit, with its schema")
    new.add_argument("name", metavar="NAME", help="the new plan's id (lower-case, dashes)")
    new.add_argument("--from", dest="source", metavar="PLAN", help="start from this plan file")
    new.add_argument("-o", "--output", metavar="FILE", help="default: NAME.yaml")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(handler=run_new)

    check = verbs.add_parser("check", help="validate a plan and warn about what scores nonsense")
    check.add_argument("file", metavar="FILE")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.set_defaults(handler=run_check)

    diff = verbs.add_parser("diff", help="what changed between two versions of a plan")
    diff.add_argument("old", metavar="OLD", help="the earlier plan file ('default': bundled)")
    diff.add_argument("new", metavar="NEW", help="the later plan file")
    diff.set_defaults(handler=run_diff)
    p.set_defaults(handler=lambda args: _usage(p))


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help(sys.stderr)
    return 2


def _plan(path: str | None) -> Any:
    from drillbook.scoring.files import plan_from

    return plan_from(None if path in (None, "default") else path)


def _write(text: str, args: argparse.Namespace, default: str, label: str, inputs: list[Any]) -> int:
    """Standard output for ``-o -``; else a file, never one of the command's inputs and
    never a file drillbook did not write as this document unless ``--force``."""
    from drillbook.formats.yamlsource import InputError, Problem
    from drillbook.reports.output import check_target, write_output

    fmt = args.format
    if args.output == "-":
        if fmt == "pdf":
            raise InputError(
                [Problem("-o -", 0, 0, "a PDF cannot go to standard output; name a file")]
            )
        sys.stdout.write(text)
        return 0
    target = Path(args.output or default)
    sources = [p for p in inputs if p]
    if fmt == "pdf":
        from drillbook.reports.pdf import html_to_pdf

        check_target(target, force=True, inputs=sources)  # a PDF cannot be sniffed for its kind
        if target.exists() and not args.force:
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
        write_output(target, lambda temp: html_to_pdf(text, temp), force=True, inputs=sources)
    else:
        write_output(target, text, force=args.force, inputs=sources)
    print(f"{label}: {target}")
    return 0


def _plan_and_client(args: argparse.Namespace) -> tuple[Any, Any]:
    from drillbook.scoring.files import client_from

    plan = _plan(args.plan)
    return plan, (client_from(args.client, plan) if args.client else None)


def run_show(args: argparse.Namespace) -> int:
    from drillbook.reports.plandoc import render_plan

    plan, client = _plan_and_client(args)
    text = render_plan("plan", "html" if args.format == "pdf" else args.format, plan, client)
    suffix = f".{client.id}" if client else ""
    default = f"{plan.id}{suffix}.plan.{args.format}"
    return _write(text, args, default, "Plan", [args.plan, args.client])


def run_card(args: argparse.Namespace) -> int:
    from drillbook.reports.plandoc import render_plan

    plan, client = _plan_and_client(args)
    text = render_plan("card", "html", plan, client)
    suffix = f".{client.id}" if client else ""
    default = f"{plan.id}{suffix}.card.{args.format}"
    return _write(text, args, default, "Card", [args.plan, args.client])


def run_new(args: argparse.Namespace) -> int:
    from drillbook.commands.new import check_name, write_starter
    from drillbook.scoring.plannew import scaffold

    check_name(args.name, "plan new")
    out = Path(args.output or f"{args.name}.yaml")
    write_starter(
        out,
        lambda: scaffold(args.name, args.source),
        "plan",
        f"drillbook plan check {out}",
        force=args.force,
        inputs=[args.source] if args.source else [],
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    from drillbook.scoring.planlint import check_file

    plan, errors, warnings = check_file(args.file)
    for problem in errors:
        print(problem, file=sys.stderr)
    for problem in warnings:
        print(problem)
    if not errors and not warnings:
        print(f"{args.file}: clean ({plan.label if plan else ''})")
    print(f"{len(errors)} error(s), {len(warnings)} warning(s)")
    if errors:
        return 2
    return 1 if args.strict and warnings else 0


def run_diff(args: argparse.Namespace) -> int:
    from drillbook.scoring.plandiff import diff, version_line

    old, new = _plan(args.old), _plan(args.new)
    changes = diff(old, new)
    print(version_line(old, new, changes))
    for line in changes:
        print(f"  - {line}")
    if not changes:
        print("  no change to what is scored")
    return 0
