"""``drillbook new SCENARIO_ID``: scaffold a valid, commented scenario to start from."""

from __future__ import annotations

import argparse
from pathlib import Path
from string import Template


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "new", help="write a commented starter scenario that passes validate and lint"
    )
    p.add_argument(
        "scenario_id", metavar="SCENARIO_ID", help="lower-case letters, digits and dashes"
    )
    p.add_argument(
        "-o", "--output", metavar="FILE", help="where to write it (default: SCENARIO_ID.yaml)"
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(handler=run)


def scaffold(scenario_id: str) -> str:
    from scenarios import library

    text = (library.LIBRARY_DIR / "templates" / "new-scenario.yaml").read_text(encoding="utf-8")
    title = scenario_id.replace("-", " ").replace("_", " ").capitalize()
    return Template(text).safe_substitute(id=scenario_id, title=title)


def run(args: argparse.Namespace) -> int:
    from scenarios.model import check_id
    from scenarios.yamlsource import InputError, Problem

    try:
        check_id(args.scenario_id)
    except ValueError as exc:
        raise InputError([Problem(f"new {args.scenario_id}", 0, 0, str(exc))]) from None
    from reports.output import write_output

    out = Path(args.output or f"{args.scenario_id}.yaml")
    if out.exists() and not args.force:
        raise InputError(
            [Problem(str(out), 0, 0, "already exists; choose another name or pass --force")]
        )
    write_output(out, scaffold(args.scenario_id), force=True)
    print(f"wrote {out} — next: drillbook validate {out} && drillbook lint {out}")
    schema = out.parent / "scenario.schema.json"
    if not schema.exists():
        from scenarios.schema import schema_text

        schema.write_text(schema_text("scenario"), encoding="utf-8")
        print(f"wrote {schema} for your editor's completion (yaml-language-server)")
    return 0
