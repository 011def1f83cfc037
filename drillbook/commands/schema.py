"""``drillbook schema [KIND]``: print the JSON Schema of a file format (for editors and tools)."""

from __future__ import annotations

import argparse
import sys

KINDS = ("scenario", "plan", "client")


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of scenario, plan or client files")
    p.add_argument("kind", nargs="?", default="scenario", choices=KINDS)
    p.set_defaults(handler=run)


def schema_for(kind: str) -> str:
    """The committed schema text of a format (scenario formats first, then the scorer's)."""
    from scenarios.schema import SCHEMAS, register, schema_text

    if kind not in SCHEMAS:
        from scoring.client import ClientProfile
        from scoring.plan import ResponsePlan

        register("plan", ResponsePlan, "drillbook response plan (what the scorer enforces)")
        register("client", ClientProfile, "drillbook client profile (per-client overrides)")
    return schema_text(kind)


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_for(args.kind))
    return 0
