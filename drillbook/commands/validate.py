"""``drillbook validate PATH...``: check scenario (and transcript) files, every problem placed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check scenario files: schema, ids, references")
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files, ids or folders")
    p.set_defaults(handler=run)


def expand(paths: list[str]) -> list[Path]:
    """Folders become the YAML files inside them; ids of bundled scenarios become their files.

    A folder with no YAML file in it stays as it is, and loading it is refused in one line:
    checking nothing and saying nothing (exit 0) would read as "all clean" to a facilitator
    or a CI job that named the wrong folder."""
    from drillbook.scenarios import library

    out: list[Path] = []
    for name in paths:
        p = Path(name)
        if p.is_dir():
            out += sorted([*p.glob("*.yaml"), *p.glob("*.yml")]) or [p]
        else:
            out.append(library.resolve(name))
    return out


def run(args: argparse.Namespace) -> int:
    from drillbook.formats.yamlsource import InputError
    from drillbook.scenarios import load

    failed = 0
    for path in expand(args.paths):
        try:
            loaded = load(path)
        except InputError as exc:
            failed += 1
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        s = loaded.scenario
        print(
            f"{path}: ok — {s.id}: {len(s.injects)} injects, {len(s.sources)} sources, {len(s.meters)} meters"
        )
    return 2 if failed else 0
