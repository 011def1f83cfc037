"""``drillbook unpack FILE.zip -d DIR``: restore a pack, after checking it as on load.

A pack from elsewhere is refused in one line if it could write outside DIR, holds links,
unpacks beyond the size limits, or does not match its manifest (:mod:`authoring.pack`);
its scenario, client profile and transcripts must load before any file is written.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("unpack", help="check a zip written by pack and restore its files")
    p.add_argument("pack", metavar="FILE.zip")
    p.add_argument("-d", "--directory", metavar="DIR", required=True, help="where to put them")
    p.add_argument("--force", action="store_true", help="replace files already in DIR")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from drillbook.authoring.pack import unpack

    written = unpack(Path(args.pack), Path(args.directory), force=args.force)
    print(f"unpacked {len(written)} files into {args.directory}, each checked as on load:")
    for kind, p in written:
        print(f"  {kind:<10} {p}")
    [scenario] = [p for kind, p in written if kind == "scenario"]
    teams = [p for kind, p in written if kind == "transcript"]
    plans = [p for kind, p in written if kind == "plan"]
    run = f"drillbook run {scenario}" + (f" -t {teams[0]}" if teams else "")
    print(f"next: {run}" + (f" --plan {plans[0]}" if plans else ""))
    return 0
