"""The ``drillbook`` command: one sub-command per job, each in its own module.

Every sub-command module exposes ``add(subparsers)`` and a ``run(args) -> int``. Imports are
lazy so that ``drillbook validate`` stays fast and headless commands never import Textual.
Bad input of any kind ends in one line per problem on stderr and exit status 2 — never a
traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

from . import __version__

COMMANDS = (
    "play",
    "run",
    "score",
    "report",
    "brief",
    "validate",
    "lint",
    "graph",
    "list",
    "new",
    "replay",
    "register",
    "schema",
)
EXIT_INPUT = 2


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only``, just that sub-command's (it is all a run needs,
    and importing every command module is a visible share of a quick command's start-up)."""
    parser = argparse.ArgumentParser(
        prog="drillbook",
        description="Tabletop exercises for AI incident response, scored against your response plan.",
    )
    parser.add_argument("--version", action="version", version=f"drillbook {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in [only] if only in COMMANDS else COMMANDS:
        try:
            module = importlib.import_module(f"drillbook.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"drillbook.commands.{name}":
                continue  # not built yet
            raise
        module.add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # drillbook uses no pydantic plugins; looking for them costs every command ~20 ms.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if argv is None:  # a drillbook process of its own, not a caller's (tests call main(argv))
        # A scenario of 10,000 injects is ~100,000 live objects the cyclic collector rescans;
        # collecting the youngest every 50,000 allocations rather than 700 took a quarter
        # off such a run. Cycles are still collected, just in larger batches.
        gc.set_threshold(50_000, 20, 20)
    from scenarios.yamlsource import InputError

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_INPUT
    try:
        return int(args.handler(args) or 0)
    except InputError as exc:
        for problem in exc.problems:
            print(f"drillbook: {problem}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("drillbook: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except _rejected() as exc:
        print(f"drillbook: {exc}", file=sys.stderr)
        return EXIT_INPUT


def _rejected() -> type[Exception]:
    from simulator.refusals import ActionRejected

    return ActionRejected


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
