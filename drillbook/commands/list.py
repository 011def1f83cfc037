"""``drillbook list``: the scenario library a facilitator chooses from."""

from __future__ import annotations

import argparse
import textwrap


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="show the bundled scenario library")
    p.add_argument(
        "--db",
        metavar="FILE",
        help="exercise register to read (default: DRILLBOOK_DB or the user data dir)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from drillbook.formats.offsets import fmt_duration
    from drillbook.scenarios import library, load
    from drillbook.scenarios.vocabulary import INCIDENT_TYPES

    rows = []
    covered: set[str] = set()
    for path in library.bundled():
        s = load(path).scenario
        covered |= set(s.types)
        rows.append(
            (
                s.id,
                s.title,
                ", ".join(s.types),
                fmt_duration(s.ends),
                " → ".join(p.title for p in s.phases) or "—",
                s.based_on.title if s.based_on else "—",
            )
        )
    for sid, title, types, length, phases, based in rows:
        print(f"{sid}  —  {title}")
        print(f"    types: {types} · play: {length}")
        print(
            textwrap.fill(
                f"phases: {phases}", width=96, initial_indent="    ", subsequent_indent="      "
            )
        )
        print(
            textwrap.fill(
                f"draws on: {based}", width=96, initial_indent="    ", subsequent_indent="      "
            )
        )
    print(
        f"\n{len(rows)} scenarios covering {len(covered)} of {len(INCIDENT_TYPES)} incident types."
    )
    stale = _untested(args.db)
    if stale is _UNREADABLE:  # said on stderr; the library itself is still listed
        return 0
    if stale is None:
        print(
            "Register: none yet — `drillbook register add JOURNAL` after an exercise shows which types are due."
        )
    elif stale:
        print(f"Not exercised in the last four quarters (register): {', '.join(stale)}")
    else:
        print("Every incident type was exercised in the last four quarters (register).")
    return 0


_UNREADABLE: list[str] = []  # a sentinel: compared by identity, never filled


def _untested(db: str | None) -> list[str] | None:
    """Incident types the register says were not exercised lately; None without a register."""
    import datetime as dt

    try:
        from drillbook.reports.register import default_db_path, untested_types
    except ImportError:
        return None
    path = db or default_db_path()
    from pathlib import Path

    if not Path(path).exists():
        return None
    import sqlite3
    import sys

    from drillbook.formats.yamlsource import InputError

    try:
        return untested_types(path, dt.date.today())
    except (InputError, sqlite3.Error) as exc:  # the library does not need the register
        why = exc.problems[0] if isinstance(exc, InputError) else f"{path}: {exc}"
        print(f"drillbook: {why}; listed without the register's hints", file=sys.stderr)
        return _UNREADABLE
