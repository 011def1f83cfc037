"""``drillbook schema``: print the JSON Schema of a file format (for editors and tools)."""

from __future__ import annotations

import argparse
import sys


def add(sub: argparse._SubParsersAction) -> None:
    from scenarios.schema import SCHEMAS

    p = sub.add_parser("schema", help="print the JSON Schema of scenario files (and others)")
    p.add_argument("kind", nargs="?", default="scenario", choices=sorted(SCHEMAS))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from scenarios.schema import schema_text

    sys.stdout.write(schema_text(args.kind))
    return 0
