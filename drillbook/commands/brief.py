"""``drillbook brief SCENARIO``: the pack handed out before play.

Without ``--handbook`` it is the players' Situation Manual (nothing from the MSEL or the
truth); with it, the facilitator's Controller/Evaluator handbook.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "brief", help="write the players' Situation Manual (or, --handbook, the facilitator's)"
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario id or file")
    p.add_argument("--format", "-f", choices=("html", "md"), default="html", help="default: html")
    p.add_argument(
        "--handbook",
        action="store_true",
        help="the facilitator's handbook: MSEL, branches, sources, truth (not for players)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write it ('-' for standard output; default: SCENARIO.sitman.FORMAT "
        "or SCENARIO.handbook.FORMAT in the current folder)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace a file at the output drillbook did not write as this pack",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from drillbook import __version__
    from drillbook.reports.brief import handbook, situation_manual
    from drillbook.reports.render import render
    from drillbook.scenarios import library, load

    loaded = load(library.resolve(args.scenario))
    scenario = loaded.scenario
    generated_by = f"drillbook {__version__}"
    if args.handbook:
        text = render("handbook", args.format, h=handbook(scenario), generated_by=generated_by)
        kind = "handbook"
    else:
        text = render(
            "sitman", args.format, m=situation_manual(scenario), generated_by=generated_by
        )
        kind = "sitman"
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    from drillbook.reports.output import write_output

    out = Path(args.output or f"{scenario.id}.{kind}.{args.format}")
    write_output(out, text, force=args.force, inputs=[loaded.path])
    label = "Facilitator's handbook" if args.handbook else "Situation Manual"
    print(f"{label}: {out}")
    return 0
