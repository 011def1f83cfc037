"""The ``drillbook`` command: one sub-command per job, each in its own module.

Every sub-command module exposes ``add(subparsers)`` and a ``run(args) -> int``. Imports are
lazy so that ``drillbook validate`` stays fast and headless commands never import Textual.
Bad input of any kind ends in one line per problem on stderr and exit status 2 — never a
traceback. Anything else that goes wrong is a bug: it ends in one line too ("internal
error"), exit status 70, with the traceback kept in a crash log under the user's cache
folder for the bug report. Everything the CLI writes passes through
:func:`scenarios.safetext.visible`, so a journal or a path holding ESC/OSC/BEL bytes cannot
drive the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import io
import os
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any

from drillbook import __version__
from drillbook.startup import quick_default_factories, skip_plugin_search

COMMANDS = (
    "play",
    "host",
    "join",
    "serve",
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
    "plan",
    "schema",
    "msel",
    "pack",
    "unpack",
    "simulate",
)
EXIT_INPUT = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: not the user's input, ours


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, as wide as the terminal exactly as before, measured without
    ``shutil``: argparse imports it (and with it ``bz2``, ``lzma``) for the width alone, in
    every parser it builds, help wanted or not — about 2 ms of every command."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``: ``$COLUMNS``, else the terminal's, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class _Parser(argparse.ArgumentParser):
    """An argument parser whose help uses :class:`_Formatter`; its sub-parsers, and theirs,
    are of this class too (argparse makes sub-parsers of the parent's class)."""

    def __init__(self, *args: Any, formatter_class: Any = _Formatter, **kwargs: Any) -> None:
        super().__init__(*args, formatter_class=formatter_class, **kwargs)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only``, just that sub-command's (it is all a run needs,
    and importing every command module is a visible share of a quick command's start-up)."""
    parser = _Parser(
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


def start_process(command: list[str] | None) -> None:
    """What a drillbook process does before its command imports anything: pydantic told
    there are no plugins to look for, and its default-factory question answered at once
    (see :mod:`drillbook.startup`); with ``command`` (the process's own first argument; None
    when a caller runs :func:`main` in its own process, as tests do), the collector set for
    that command. Idempotent; a benchmark that times a command in a child of its own calls
    it first, as the console script does."""
    # drillbook uses no pydantic plugins; looking for them costs every command ~20 ms.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    skip_plugin_search()
    quick_default_factories()
    if command is not None:
        _tune_collector(command)


def main(argv: Sequence[str] | None = None) -> int:
    own_process = argv is None
    start_process(sys.argv[1:2] if own_process else None)
    argv = list(sys.argv[1:] if argv is None else argv)
    with _visible_output():
        try:
            return _dispatch(argv)
        except SystemExit as exc:  # argparse's own answer (usage error: 2, --help: 0)
            return exc.code if isinstance(exc.code, int) else EXIT_INPUT
        except KeyboardInterrupt:
            print("drillbook: interrupted", file=sys.stderr)
            return 130
        except BrokenPipeError:
            return 0
        except RecursionError as exc:  # only hostile input nests this deep
            log = _crash_log(exc)
            print(
                f"drillbook: input nested too deeply to process; details in {log}",
                file=sys.stderr,
            )
            return EXIT_INPUT
        except MemoryError:
            print("drillbook: out of memory; expected a smaller input", file=sys.stderr)
            return EXIT_INPUT
        except Exception as exc:  # a bug: one line for the person, the traceback in a file
            log = _crash_log(exc)
            what = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            print(f"drillbook: internal error: {what}; details in {log}", file=sys.stderr)
            return EXIT_INTERNAL
        finally:
            if own_process:
                _before_exit()


# Commands that run for hours or make many runs (the terminal app, a hosted exercise and its
# seats, a readiness simulation of thousands of nights): their garbage cycles are collected.
LONG_RUNNING = frozenset({"play", "host", "join", "serve", "simulate"})


def _tune_collector(command: list[str]) -> None:
    """Set the cyclic collector for this process's command.

    Every other command ends within seconds, and almost everything it allocates lives until
    it ends (imported classes, a loaded scenario, a journal's events): a collection finds
    next to nothing and rescans all of it, 25-35 ms of a ``run`` or ``score`` (one pass of
    the youngest generation), 0.4 s of a 10,000-inject run. So the collector is off for them;
    reference counting still frees what they drop, and the process's end frees the rest.
    The long-running ones keep it, collecting the youngest every 50,000 allocations rather than 700 (a
    quarter off a large run), cycles just in larger batches.
    """
    if command and command[0] not in LONG_RUNNING and not command[0].startswith("-"):
        gc.disable()
    else:
        gc.set_threshold(50_000, 20, 20)


def _before_exit() -> None:
    """Spare the process the collection Python runs as it shuts down.

    Everything a command made is still alive when it returns, and the interpreter's final
    collection walks all of it to find next to nothing: 15-20 ms of a ``report`` or
    ``score`` (a tenth of the process), 30 ms of ``play``'s 80,000 objects. ``gc.freeze``
    moves it out of the collector's sight; reference counting still frees each module's
    objects as the interpreter clears them, and ``atexit`` handlers still run. What this
    gives up is a finalizer on garbage caught in a cycle since the last collection; nothing
    of drillbook's waits on one: journals, reports and crash logs are closed by the code that
    wrote them (``with``, ``close``), the terminal is restored by the app, pools and clusters
    are shut by their context managers. Only a process of its own does this: a caller that
    runs :func:`main` (tests, benches) keeps its collector as it was.
    """
    gc.freeze()


def _dispatch(argv: list[str]) -> int:
    from drillbook.formats.errors import InputError

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
    except _rejected() as exc:
        print(f"drillbook: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:
        line = _environment_problem(exc, args)
        if line is None:
            raise
        print(f"drillbook: {line}", file=sys.stderr)
        return EXIT_INPUT


def _environment_problem(exc: Exception, args: argparse.Namespace) -> str | None:
    """The one line for a file that cannot be used as asked, or None if ``exc`` is a bug."""
    if _is_register_error(exc):  # the register file is damaged or not a register at all
        where = getattr(args, "db", None) or "the register"
        return f"{where}: unreadable register ({exc}); expected a drillbook register"
    if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
        # A file the person named (or a folder it goes in) that cannot be used as asked:
        # `-o` naming a directory, a read-only place, a path through a plain file.
        where = exc.filename if exc.filename2 is None else f"{exc.filename} → {exc.filename2}"
        where = where or getattr(args, "output", None)
        if where is not None:
            return f"{where}: cannot use it: {exc.strerror or exc}"
    return None


def _is_register_error(exc: Exception) -> bool:
    """A SQLite error that reached the top: the register file is damaged (checked lazily
    so that commands which never touch the register do not import sqlite3)."""
    sqlite3 = sys.modules.get("sqlite3")
    return sqlite3 is not None and isinstance(exc, sqlite3.DatabaseError)


def _crash_log(exc: BaseException) -> str:
    """Write the traceback where a bug report can pick it up; return where (or why not)."""
    from drillbook.crashlog import write_crash_log

    path = write_crash_log(exc)
    return str(path) if path else "(no crash log: no folder could be written)"


class _VisibleStream(io.TextIOBase):
    """A text stream that shows control characters instead of sending them on."""

    def __init__(self, inner: IO[str]) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        from drillbook.formats.safetext import visible

        self._inner.write(visible(text))
        return len(text)

    def write_own(self, text: str) -> int:
        """Write text drillbook composed itself (a progress bar's carriage return), unchanged.

        Only for text with no data in it: anything from a file or a player goes by write."""
        return self._inner.write(text)

    def flush(self) -> None:
        self._inner.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()

    def __getattr__(self, name: str) -> Any:  # encoding, buffer, errors…
        return getattr(self._inner, name)


@contextlib.contextmanager
def _visible_output() -> Iterator[None]:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _VisibleStream(out), _VisibleStream(err)
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        sys.stdout, sys.stderr = out, err


def _rejected() -> type[Exception]:
    from drillbook.simulator.refusals import ActionRejected

    return ActionRejected


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
