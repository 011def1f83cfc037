"""Where a traceback goes: a crash log under the user's cache, never the screen.

When something unexpected stops drillbook — a command or the terminal app — the person needs
one line that says so and how to continue (a journal is intact: every event was flushed as it
was written); the developer who fixes it needs the whole traceback. This module writes the
second, for the CLI's top level and the TUI alike, so each can print the first. It imports
neither Textual nor anything of the engine.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from drillbook import __version__


def crash_dir() -> Path:
    """``$DRILLBOOK_CRASH_DIR``, else ``$XDG_CACHE_HOME/drillbook/crashes`` (``~/.cache`` when
    XDG_CACHE_HOME is unset, the XDG default)."""
    if os.environ.get("DRILLBOOK_CRASH_DIR"):
        return Path(os.environ["DRILLBOOK_CRASH_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "drillbook" / "crashes"


def crash_report(error: BaseException, journal: Path | None) -> str:
    """The log's text: what ran, on which journal, and the full traceback."""
    lines = [
        f"drillbook {__version__} crashed at {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"command: {' '.join(sys.argv)}",
        f"journal: {journal if journal else '(none)'}",
        f"python: {sys.version.split()[0]}",
        "",
        *traceback.format_exception(type(error), error, error.__traceback__),
    ]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def write_crash_log(error: BaseException, journal: Path | None = None) -> Path | None:
    """Write the traceback of ``error`` to a new file and return its path.

    The cache directory first, the system's temporary directory if that cannot be written;
    None if neither can (the caller then lets the traceback reach the terminal, so it is not
    lost). A log never replaces another: the name carries the time and the process id, and
    the file is created exclusively, readable by its owner only.
    """
    text = crash_report(error, journal)
    name = f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    for folder in (crash_dir(), Path(tempfile.gettempdir()) / "drillbook"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for n in range(100):
                path = folder / (f"{name}.log" if n == 0 else f"{name}-{n}.log")
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
                except FileExistsError:
                    continue
                with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as log:
                    log.write(text)
                return path
        except OSError:
            continue
    return None
