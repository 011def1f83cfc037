"""``drillbook schema [KIND] [--write [PATH]]``: the JSON Schema of a file format, for editors.

Printed to stdout by default. ``--write`` drops it beside a scenario (or into a folder) as
``KIND.schema.json``, the name the bundled scenarios' and the scaffold's modeline
(``# yaml-language-server: $schema=./scenario.schema.json``) points at, so a copied scenario
keeps its completion and checks. It writes that one file and rewrites nothing else: a file
already there by that name is replaced only if it is this kind's schema (an older drillbook's,
say), never a file of someone else's without ``--force``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import stat
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
    p.add_argument(
        "--force",
        action="store_true",
        help="with --write: replace a KIND.schema.json that is not this kind's schema",
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


def _title(data: bytes) -> str | None:
    """The title of a JSON Schema (None: not one)."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(doc, dict) or "json-schema.org" not in str(doc.get("$schema", "")):
        return None
    title = doc.get("title")
    return title if isinstance(title, str) else None


def _replaceable(out: Path, text: str, force: bool) -> str | None:
    """Why ``out`` may not be replaced by the schema ``text`` (None: it may)."""
    try:
        st = os.lstat(out)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        return (
            "exists and is not a regular file (a link is never written through); "
            "expected a regular file, or none"
        )
    if force:
        return None
    try:
        with out.open("rb") as f:
            existing = f.read(1 << 22)
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if _title(existing) == _title(text.encode("utf-8")):
        return None  # this kind's schema, as this or another drillbook wrote it
    return (
        "already exists and is not this kind's schema, so it is not replaced unasked; "
        "expected --force to replace it"
    )


def write_beside(kind: str, target: Path, *, force: bool = False) -> tuple[Path, str | None]:
    """Write the schema beside ``target`` (a file) or into it (a folder).

    Returns the schema's path and, when ``target`` is a file whose modeline does not name
    that schema, the line to put first in it (the file itself is never touched).
    """
    from drillbook.formats.yamlsource import InputError, Problem
    from drillbook.reports.output import write_output

    folder = target if target.is_dir() else target.parent
    if not folder.is_dir():
        raise InputError([Problem(str(target), 0, 0, "no such file or folder")])
    out = folder / f"{kind}.schema.json"
    text = schema_for(kind)
    refused = _replaceable(out, text, force)
    if refused:
        raise InputError([Problem(str(out), 0, 0, refused)])
    write_output(out, text, force=True)  # written beside and renamed: a failure leaves the old
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
    out, hint = write_beside(args.kind, target, force=args.force)
    print(f"wrote {out} for your editor's completion and checks (yaml-language-server)")
    if hint:
        print(f"{target} does not point at it; put this line first in it: {hint}")
    return 0
