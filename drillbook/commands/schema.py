"""``drillbook schema [KIND] [--write [PATH]]``: the JSON Schema of a file format, for editors.

Printed to stdout by default. ``--write`` drops it beside a scenario (or into a folder) as
``KIND.schema.json``, the name the bundled scenarios' and the scaffold's modeline
(``# yaml-language-server: $schema=./scenario.schema.json``) points at, so a copied scenario
keeps its completion and checks. It writes that one file and rewrites nothing else.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

KINDS = ("scenario", "plan", "client", "team")
MODELINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "schema", help="print the JSON Schema of scenario, plan, client or team model files"
    )
    p.add_argument("kind", nargs="?", default="scenario", choices=KINDS)
    p.add_argument(
        "--write",
        nargs="?",
        const=".",
        metavar="PATH",
        help="write KIND.schema.json beside the file PATH (or into the folder PATH; default: .)",
    )
    p.set_defaults(handler=run)


def schema_for(kind: str) -> str:
    """The committed schema text of a format (scenario formats first, then the scorer's)."""
    from drillbook.authoring.schema import SCHEMAS, register, schema_text

    if kind not in SCHEMAS:
        from drillbook.scoring.client import ClientProfile
        from drillbook.scoring.plan import ResponsePlan

        register("plan", ResponsePlan, "drillbook response plan (what the scorer enforces)")
        register("client", ClientProfile, "drillbook client profile (per-client overrides)")
    if kind == "team" and kind not in SCHEMAS:
        from drillbook.readiness.team import TeamModel

        register("team", TeamModel, "drillbook team model (who answers, when, with what access)")
    return schema_text(kind)


def write_beside(kind: str, target: Path) -> tuple[Path, str | None]:
    """Write the schema beside ``target`` (a file) or into it (a folder).

    Returns the schema's path and, when ``target`` is a file whose modeline does not name
    that schema, the line to put first in it (the file itself is never touched).
    """
    from drillbook.formats.yamlsource import InputError, Problem

    folder = target if target.is_dir() else target.parent
    if not folder.is_dir():
        raise InputError([Problem(str(target), 0, 0, "no such file or folder")])
    out = folder / f"{kind}.schema.json"
    out.write_text(schema_for(kind), encoding="utf-8")
    hint = None
    if target.is_file():
        head = target.read_text(encoding="utf-8", errors="replace").splitlines()[:5]
        named = [m.group(1) for line in head if (m := MODELINE.match(line.strip()))]
        if not any((folder / n).resolve() == out.resolve() for n in named):
            hint = f"# yaml-language-server: $schema=./{out.name}"
    return out, hint


def run(args: argparse.Namespace) -> int:
    if args.write is None:
        sys.stdout.write(schema_for(args.kind))
        return 0
    target = Path(args.write)
    out, hint = write_beside(args.kind, target)
    print(f"wrote {out} for your editor's completion and checks (yaml-language-server)")
    if hint:
        print(f"{target} does not point at it; put this line first in it: {hint}")
    return 0
