"""The bounds on what drillbook reads, and the one careful way to read a file's bytes.

Every file drillbook is handed (scenario, plan, client profile, roster, transcript, journal,
report template) may be hostile or simply wrong: a FIFO that never ends, ``/dev/zero``, a
directory, a 4 GB log picked by mistake. :func:`read_bounded` refuses anything that is not a
regular file *before* opening it (and opens non-blocking, so a FIFO swapped in between cannot
hang us), and refuses files above :func:`max_file_bytes`. The other limits are here so that
the README, the reader and the tests quote one number each. A real exercise never comes near
any of them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from drillbook.formats.errors import InputError, Problem

DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILE_ENV = "DRILLBOOK_MAX_FILE_BYTES"
# Nodes that YAML aliases may add beyond the nodes written out in the file.
MAX_ALIAS_NODES = 10_000
# Nesting of mappings and lists (a scenario's deepest condition is a handful of levels).
MAX_DEPTH = 100
# Largest magnitude of a number in any file: money, counts, rates, seeds.
MAX_NUMBER = 10**15
# The longest story: "+9999:59", and the same bound for whole minutes.
MAX_STORY_HOURS = 9999
MAX_STORY_MINUTES = MAX_STORY_HOURS * 60 + 59


def max_file_bytes() -> int:
    """The size limit for one input file: 10 MB, or ``$DRILLBOOK_MAX_FILE_BYTES``."""
    raw = os.environ.get(MAX_FILE_ENV, "").strip()
    if raw.isdigit() and len(raw) < 19:
        return int(raw)
    return DEFAULT_MAX_FILE_BYTES


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bounded(path: str | Path, what: str = "a file", missing: str = "no such file") -> bytes:
    """The bytes of a regular file no larger than the limit; anything else is an InputError.

    ``what`` names the kind of file in the messages ("a YAML file", "a journal").
    """

    p = Path(path)
    shown = str(p)

    def refuse(message: str) -> InputError:
        return InputError([Problem(shown, 0, 0, message)])

    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise refuse(missing) from None
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise refuse(f"is {_kind(st.st_mode)}; expected {what}")
    limit = max_file_bytes()
    if st.st_size > limit:
        raise refuse(
            f"is {st.st_size:,} bytes; expected {what} of at most {limit:,} bytes "
            f"(raise ${MAX_FILE_ENV} to allow more)"
        )
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else since stat()
            raise refuse(f"is not a regular file; expected {what}")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:  # grew while we read it
                raise refuse(f"is larger than {limit:,} bytes; expected {what} of at most that")
            chunks.append(chunk)
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return b"".join(chunks)
