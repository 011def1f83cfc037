"""One writer per journal: files opened without following links, held under an advisory lock.

A journal is the one record of an exercise, so two processes must never append to it at once
(two ``run -j same.jsonl``, two ``play --resume`` of one run): their lines would interleave
into an invalid journal or duplicate sequence numbers. Every writer takes
``fcntl.flock(LOCK_EX | LOCK_NB)`` on the file it writes and keeps it until it closes; a second
writer is refused at once with the holder's pid (read from ``/proc/locks``, where Linux lists
flock holders), never left waiting. ``flock`` is used rather than POSIX record locks because a
POSIX lock is silently dropped when the same process closes *any* descriptor of the file —
reading the journal back while writing it would release it.

Every open passes ``O_NOFOLLOW``: a journal path that is a symbolic link is refused, so a
planted link cannot make a run overwrite or append to another file.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from pathlib import Path

from drillbook.formats.yamlsource import InputError, Problem

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class JournalBusy(InputError):
    """Another process holds the journal's writer lock."""


def problem(path: Path, message: str) -> InputError:
    return InputError([Problem(str(path), 0, 0, message)])


def open_nofollow(path: Path, flags: int, mode: int = 0o644) -> int:
    """``os.open`` that never follows a symlink at ``path``; errors become one placed line."""
    try:
        return os.open(path, flags | _NOFOLLOW | _CLOEXEC, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise problem(
                path,
                "is a symbolic link; expected the journal file itself "
                "(drillbook never writes a journal through a link)",
            ) from None
        if exc.errno == errno.EISDIR:
            raise problem(path, "is a directory; expected a journal file (.jsonl)") from None
        if exc.errno == errno.EEXIST:
            raise
        raise problem(path, f"cannot write the journal: {exc.strerror}") from None


def lock_writer(fd: int, path: Path) -> None:
    """Take the writer lock on ``fd`` or refuse with one line naming the holder."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise problem(path, f"cannot lock the journal: {exc.strerror}") from None
        pid = holder_of(fd)
        who = f"pid {pid}" if pid else "pid unknown"
        raise JournalBusy(
            [
                Problem(
                    str(path),
                    0,
                    0,
                    f"in use by another drillbook ({who}); expected a journal no other run is writing",
                )
            ]
        ) from None


def holder_of(fd: int, locks: str = "/proc/locks") -> int | None:
    """The pid holding a flock on the file behind ``fd``, as ``/proc/locks`` lists it."""
    st = os.fstat(fd)
    ident = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        with open(locks, encoding="ascii", errors="replace") as fh:
            for line in fh:
                parts = line.split()
                # "1: FLOCK  ADVISORY  WRITE 1234 fe:00:2146500 0 EOF"; blocked waiters ("->") skipped
                if len(parts) >= 6 and parts[1] == "FLOCK" and parts[5] == ident:
                    return int(parts[4])
    except (OSError, ValueError):
        return None
    return None


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path``'s folder durable (best effort: not every system allows it)."""
    try:
        fd = os.open(path.parent or Path("."), os.O_RDONLY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """``os.write`` until every byte is written (a short write is legal for big lines)."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def check_kind(path: Path, st: os.stat_result) -> None:
    """A journal is a regular file: never a link, a folder, a FIFO or a device."""
    if stat.S_ISLNK(st.st_mode):
        raise problem(
            path,
            "is a symbolic link; expected the journal file itself "
            "(drillbook never writes a journal through a link)",
        )
    if stat.S_ISDIR(st.st_mode):
        raise problem(path, "is a directory; expected a journal file (.jsonl)")
    if not stat.S_ISREG(st.st_mode):
        raise problem(path, "is not a regular file; expected a journal file (.jsonl)")
