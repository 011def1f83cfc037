"""``drillbook new SCENARIO_ID``: scaffold a valid, commented scenario to start from."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
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
    from drillbook.scenarios import library

    text = (library.TEMPLATES_DIR / "new-scenario.yaml").read_text(encoding="utf-8")
    title = scenario_id.replace("-", " ").replace("_", " ").capitalize()
    return Template(text).safe_substitute(id=scenario_id, title=title)


def run(args: argparse.Namespace) -> int:
    check_name(args.scenario_id, "new")
    out = Path(args.output or f"{args.scenario_id}.yaml")
    write_starter(
        out,
        lambda: scaffold(args.scenario_id),
        "scenario",
        f"drillbook validate {out} && drillbook lint {out}",
        force=args.force,
    )
    return 0


def check_name(name: str, command: str) -> None:
    """The id a starter file will carry: a slug, or one line saying why not."""
    from drillbook.formats.yamlsource import InputError, Problem
    from drillbook.scenarios.model import check_id

    try:
        check_id(name)
    except ValueError as exc:
        raise InputError([Problem(f"{command} {name}", 0, 0, str(exc))]) from None


def write_starter(
    out: Path,
    text: Callable[[], str],
    kind: str,
    next_step: str,
    *,
    force: bool,
    inputs: Sequence[str] = (),
) -> None:
    """Write a starter file (a scenario, a plan) that never replaces one unasked, and the
    format's JSON Schema beside it for the editor's completion, unless one is there."""
    from drillbook.commands.schema import schema_for
    from drillbook.formats.yamlsource import InputError, Problem
    from drillbook.reports.output import write_output

    if out.exists() and not force:
        raise InputError(
            [Problem(str(out), 0, 0, "already exists; choose another name or pass --force")]
        )
    write_output(out, text(), force=True, inputs=list(inputs))
    print(f"wrote {out} — next: {next_step}")
    schema = out.parent / f"{kind}.schema.json"
    if not schema.exists():
        schema.write_text(schema_for(kind), encoding="utf-8")
        print(f"wrote {schema} for your editor's completion (yaml-language-server)")
