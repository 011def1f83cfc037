"""The journal: append-only JSONL, one event per line, the one source of truth of a run.

Scoring, reports, replay and resume all read the journal, never a live engine. Each line is
written as it happens, so a killed process loses at most the line in flight; a last line that
does not parse is torn and left out (cut off before a resumed run appends), while a complete
last event without its final newline is kept. Sim time (``sim``, minutes) and wall time
(``wall``, ISO 8601 UTC) are separate fields so that two replays compare equal on everything
but the wall clock.

A journal has one writer (see :mod:`simulator.lock`) and is never overwritten unasked: a new
one is created exclusively; ``--force`` writes beside the old one and renames over it only
once the new run's first event is on disk, and only if the old file is a journal.

Tamper evidence: the header (``run_started``) carries ``chain`` and a random ``run_id``; every
line ends with ``hash``, a running digest: SHA-256 of the previous line's ``hash`` followed by
this line's bytes without its own ``hash``. Reading checks it in one pass, so the first edited,
inserted, removed or reordered line — the last line included — is named by its number.
This is evidence, not a signature: someone who recomputes every later digest can forge it.
Journals from before the chain (no ``chain`` in the header) still load, as *unchained*.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from drillbook.formats.limits import read_bounded
from drillbook.formats.yamlsource import InputError, Problem
from drillbook.simulator.chain import CHAIN, Chain, parse_event, seal, starts_as_journal
from drillbook.simulator.events import Event, Kind
from drillbook.simulator.eventshape import LineError, event_problem, parse_line
from drillbook.simulator.lock import (
    check_kind,
    fsync_dir,
    lock_writer,
    open_nofollow,
    problem,
    write_all,
)

WALL_FIELDS = ("wall",)
# Written by the Journal itself, not the engine: never part of what a replay compares.
JOURNAL_FIELDS = ("wall", "run_id", "chain", "hash")
# Events that only say how the clock was driven: replayed, but no part of the story itself.
CLOCK_TYPES = ("clock",)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def encode(event: Event) -> str:
    """One canonical JSON line (deterministic: the same event always gives the same bytes)."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


class JournalExists(InputError):
    pass


class Journal:
    """Writes events to a JSONL file, one line each, as the file's only writer.

    ``overwrite`` (``--force``) replaces an existing journal: the new one is written to a
    hidden file beside it and renamed into place after ``replace_after`` events are on disk
    (``None``: only when closed, for a headless run that is all-or-nothing). ``append``
    continues an existing journal (resume). Either way the file is locked until closed.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        overwrite: bool = False,
        append: bool = False,
        wall: Callable[[], str] = utc_now,
        replace_after: int | None = 1,
        new_run_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.path = Path(path)
        self._wall = wall
        self._new_run_id = new_run_id
        self._append = append
        self._replace_after = replace_after
        self._fd: int | None = None
        self._old_fd: int | None = None  # the journal being replaced, locked until then
        self._temp: Path | None = None
        self._created = False
        self._written = 0
        self._prepared = not append
        self._chained = False
        self._prev = ""  # the running hash of the last line written
        if append:
            self._open_existing()
        else:
            self._open_new(overwrite)

    # ── opening ─────────────────────────────────────────────────────────────────────────
    def _open_new(self, overwrite: bool) -> None:
        path = self.path
        try:
            if path.parent and not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
            st: os.stat_result | None = os.lstat(path)
        except FileNotFoundError:
            st = None
        except OSError as exc:  # a file where a folder should be, a folder we may not enter…
            raise problem(path, f"cannot write the journal: {exc.strerror}") from None
        if st is None:
            try:
                fd = open_nofollow(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                raise problem(
                    path,
                    "was created by another drillbook just now; expected a journal no other run is writing",
                ) from None
            self._hold(fd)
            self._created = True
            return
        check_kind(path, st)
        fd = open_nofollow(path, os.O_RDWR)
        self._hold(fd)
        if os.fstat(fd).st_size == 0:
            return  # an empty file (a run that never began): nothing to lose, ours now
        if not overwrite:
            self._release()
            raise JournalExists(
                [
                    Problem(
                        str(path),
                        0,
                        0,
                        "journal already holds events; it is never overwritten without being "
                        "asked (use --force to overwrite, or `drillbook play --resume` to continue)",
                    )
                ]
            )
        if not starts_as_journal(fd):
            self._release()
            raise problem(
                path,
                "is not a drillbook journal (its first line is not a run_started event); "
                "expected a journal: --force replaces only a journal, never another file",
            )
        self._old_fd, self._fd = fd, None
        temp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            self._hold(open_nofollow(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL))
        except BaseException:
            self._release()
            raise
        self._temp = temp

    def _open_existing(self) -> None:
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            raise problem(self.path, "no such journal file") from None
        except OSError as exc:
            raise problem(self.path, f"cannot open the journal: {exc.strerror}") from None
        check_kind(self.path, st)
        self._hold(open_nofollow(self.path, os.O_RDWR | os.O_APPEND))

    def _hold(self, fd: int) -> None:
        try:
            lock_writer(fd, self.path)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def _prepare_append(self) -> None:
        """Before the first appended line: keep a complete last event (adding its newline),
        cut a torn one, and pick the chain up where the file left it."""
        fd = self._fd
        assert fd is not None
        size = os.fstat(fd).st_size
        data = os.pread(fd, size, 0) if size else b""
        if data and not data.endswith(b"\n"):
            keep = data.rfind(b"\n") + 1
            if parse_event(data[keep:]) is not None:
                write_all(fd, b"\n")
                data += b"\n"
            else:
                os.ftruncate(fd, keep)
                data = data[:keep]
        lines = [ln for ln in data.split(b"\n") if ln.strip()]
        header = parse_event(lines[0]) if lines else None
        self._chained = bool(header and header.get("chain") == CHAIN)
        last = parse_event(lines[-1]) if lines else None
        self._prev = str(last.get("hash")) if last and self._chained else ""
        self._prepared = True

    # ── writing ─────────────────────────────────────────────────────────────────────────
    def write(self, event: Event) -> None:
        if self._fd is None:
            raise RuntimeError("journal is closed")
        try:
            if not self._prepared:
                self._prepare_append()
            line = dict(event)
            line.setdefault("wall", self._wall())
            line.pop("hash", None)
            if not self._append and self._written == 0 and line.get("type") == Kind.RUN_STARTED:
                line.setdefault("run_id", self._new_run_id())
                line["chain"] = CHAIN
                self._chained = True
            data = encode(line).encode("utf-8")
            if self._chained:
                data, self._prev = seal(data, self._prev)
            write_all(self._fd, data + b"\n")
            self._written += 1
            if self._temp is not None and self._written == self._replace_after:
                self._put_in_place()
        except OSError as exc:  # a full disk, a folder gone
            raise problem(self.path, f"cannot write the journal: {exc.strerror}") from None

    def _put_in_place(self) -> None:
        """The new journal's first events are on disk: now, and only now, replace the old."""
        assert self._fd is not None and self._temp is not None
        os.fsync(self._fd)
        os.replace(self._temp, self.path)
        fsync_dir(self.path)
        self._temp = None
        if self._old_fd is not None:
            os.close(self._old_fd)  # the old journal's lock goes with it
            self._old_fd = None

    def close(self) -> None:
        """Sync and close; a replacement still pending goes into place if it holds events."""
        if self._fd is None:
            return
        if self._temp is not None and self._written:
            self._put_in_place()
        else:
            with contextlib.suppress(OSError):
                os.fsync(self._fd)
        self._discard_unused()
        self._release()

    def abandon(self) -> None:
        """The run failed: close, keeping the journal being replaced (if any) as it was.

        Without a replacement pending it is :meth:`close`: what was recorded stays recorded.
        """
        if self._temp is None:
            self.close()
            return
        self._written = 0  # the half-written replacement is dropped, the old journal kept
        self._discard_unused()
        self._release()

    def _discard_unused(self) -> None:
        """Remove a file this writer made and never wrote to (a run that never began)."""
        if self._written:
            return
        target = self._temp or (self.path if self._created else None)
        if target is not None:
            with contextlib.suppress(OSError):
                os.unlink(target)
            self._temp = None

    def _release(self) -> None:
        for fd in (self._fd, self._old_fd):
            if fd is not None:
                os.close(fd)
        self._fd = self._old_fd = None

    def __del__(self) -> None:
        # A writer dropped without close() (a crashed front end) lets go of its lock, as a
        # dead process would; nothing is synced or renamed.
        if getattr(self, "_fd", None) is not None or getattr(self, "_old_fd", None) is not None:
            self._release()

    @property
    def closed(self) -> bool:
        return self._fd is None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class JournalFile:
    """A journal read back: its events, whether a torn last line was left out, and whether
    it carries a hash chain (journals from before the chain are *unchained*)."""

    path: Path
    events: list[Event]
    torn_tail: bool = False
    lines: tuple[int, ...] = ()  # the line of each event in the file, to place problems
    chained: bool = False

    @property
    def started(self) -> Event:
        return self.events[0]

    @property
    def ended(self) -> bool:
        return any(e["type"] == Kind.RUN_ENDED for e in self.events)

    @property
    def run_id(self) -> str | None:
        rid = self.started.get("run_id")
        return rid if isinstance(rid, str) and rid else None


def read_journal(path: str | Path, *, verify: bool = True) -> JournalFile:
    """Read a journal; a line that is not an event, or (``verify``) a line that breaks the
    hash chain, is an error placed at its line."""
    p = Path(path)
    raw = read_bounded(p, "a journal (.jsonl)", missing="no such journal file")
    lines = raw.split(b"\n")
    torn = False
    # No final newline: a whole event is kept; anything else is the line in flight when a
    # process died.
    if lines and lines[-1].strip() and parse_event(lines[-1]) is None:
        torn = True
        lines = lines[:-1]
    events: list[Event] = []
    numbers: list[int] = []
    chain = Chain(p)
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:  # bounded numbers, no NaN, bounded depth; then the fields readers rely on
            ev = parse_line(line.decode("utf-8", errors="replace"))
        except LineError as exc:
            raise InputError([Problem(str(p), n, exc.col, str(exc))]) from None
        wrong = event_problem(ev)
        first_not_header = not events and isinstance(ev, dict) and "sim" in ev
        if first_not_header and ev.get("type", Kind.RUN_STARTED) != Kind.RUN_STARTED:
            break  # an event, but not a journal's first: said below
        if wrong:
            raise InputError([Problem(str(p), n, 1, wrong)])
        if verify:
            chain.check(n, line, ev, first=not events)
        events.append(ev)
        numbers.append(n)
    if not events:
        raise InputError(
            [Problem(str(p), 1, 1, "not a drillbook journal; expected a 'run_started' event first")]
        )
    chained = events[0].get("chain") == CHAIN
    return JournalFile(p, events, torn, tuple(numbers), chained)


def without_wall(events: Iterable[Event]) -> list[Event]:
    """Events as replay compares them: everything but the wall-clock fields.

    Clock events stay: replay re-feeds them as inputs, so they must reproduce too.
    """
    return [{k: v for k, v in e.items() if k not in JOURNAL_FIELDS} for e in events]


def story_events(events: Iterable[Event]) -> list[Event]:
    """The story without how the clock was driven: for comparing two runs of the same
    decisions, one played in the TUI (paused, jumped, sped up) and one headless."""
    return [e for e in without_wall(events) if e["type"] not in CLOCK_TYPES]
