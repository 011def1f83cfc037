"""Where the register lives and how it is opened: one SQLite file, WAL, one transaction a write.

The register is evidence for auditors ("semi-annual tabletop, tracked to completion"), so it
must never be left half-written: every write runs inside ``BEGIN IMMEDIATE … COMMIT`` and a
process killed in between leaves the file as it was before. WAL lets a trend report read
while a facilitator's console is adding an exercise. The file sits in the user's data
directory (XDG), unless ``--db`` or ``DRILLBOOK_DB`` puts it elsewhere.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from drillbook.formats.yamlsource import InputError, Problem
from drillbook.reports.register.schema import migrate

ENV = "DRILLBOOK_DB"


def default_db_path() -> Path:
    """``$DRILLBOOK_DB``, else ``$XDG_DATA_HOME/drillbook/register.db``, else ~/.local/share."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "drillbook" / "register.db"


def resolve_db(db: str | Path | None) -> Path:
    return Path(db).expanduser() if db else default_db_path()


def connect(db: str | Path | None = None, *, create: bool = True) -> sqlite3.Connection:
    """An open, migrated register. With ``create=False`` (reading) a missing file reads as
    empty (an in-memory register), so looking never leaves a file behind, and a register
    that cannot be written (read-only file or folder: an auditor's copy) is opened
    read-only instead of refused. An empty file reads as empty too: SQLite would take it for
    a new database, and looking would write a register's tables into someone's file."""
    path = resolve_db(db)
    if not create and (not path.exists() or (path.is_file() and path.stat().st_size == 0)):
        conn = _open(":memory:", str(path))
        migrate(conn, str(path))
        return conn
    if path.is_dir():
        raise InputError([Problem(str(path), 0, 0, "is a directory; expected a register file")])
    if not path.is_file() and path.exists():
        raise InputError([Problem(str(path), 0, 0, "is not a regular file; expected a register")])
    if not create and not _writable(path):
        return _read_only(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError([Problem(str(path), 0, 0, f"cannot create: {exc.strerror}")]) from None
    conn = _open(str(path), str(path))
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        migrate(conn, str(path))
    except sqlite3.OperationalError as exc:
        conn.close()
        if not create and "readonly" in str(exc).replace("-", "").replace(" ", ""):
            return _read_only(path)
        raise _not_a_register(path, exc) from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _not_a_register(path, exc) from None
    return conn


def _not_a_register(path: Path, exc: Exception) -> InputError:
    return InputError(
        [Problem(str(path), 0, 0, f"not a drillbook register ({exc}); expected a SQLite file")]
    )


def _writable(path: Path) -> bool:
    """Can this process write the register (and the -wal/-shm files WAL keeps beside it)?"""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _read_only(path: Path) -> sqlite3.Connection:
    """The register opened for reading only; it must already be at this drillbook's schema."""
    from urllib.parse import quote

    from drillbook.reports.register.schema import VERSION, version

    last: Exception | None = None
    # ``mode=ro`` sees a live WAL; ``immutable=1`` also works where SQLite cannot create the
    # -shm file (a read-only folder) — it then reads the main file as it stands.
    for flags in ("mode=ro", "mode=ro&immutable=1"):
        try:
            conn = sqlite3.connect(
                f"file:{quote(str(path))}?{flags}", uri=True, isolation_level=None
            )
            conn.row_factory = sqlite3.Row
            found = version(conn)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            last = exc
            continue
        if found != VERSION:
            conn.close()
            raise InputError(
                [
                    Problem(
                        str(path),
                        0,
                        0,
                        f"read-only register at schema version {found}; expected version "
                        f"{VERSION} (open it once where it can be written to upgrade it)",
                    )
                ]
            )
        return conn
    raise _not_a_register(path, last or RuntimeError("cannot open")) from None


def _open(target: str, shown: str) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(target, isolation_level=None, timeout=10.0)
    except sqlite3.Error as exc:
        raise InputError([Problem(shown, 0, 0, f"cannot open the register: {exc}")]) from None
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; anything raised rolls the whole write back."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
