"""``drillbook graph SCENARIO``: the scenario's branches as Mermaid or Graphviz DOT."""

from __future__ import annotations

import argparse
import sys


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("graph", help="draw a scenario's branches (Mermaid or DOT)")
    p.add_argument("scenario", help="scenario id or file")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--force", action="store_true", help="replace an existing file at -o")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from drillbook.authoring.graph import to_dot, to_mermaid
    from drillbook.scenarios import library, load

    loaded = load(library.resolve(args.scenario))
    text = (to_mermaid if args.format == "mermaid" else to_dot)(loaded.scenario)
    if args.output:
        from drillbook.reports.output import write_output

        write_output(Path(args.output), text, force=args.force, inputs=[loaded.path])
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0
