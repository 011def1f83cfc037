"""The journal: append-only JSONL, one event per line, the one source of truth of a run.

Scoring, reports, replay and resume all read the journal, never a live engine. Each line is
flushed as it is written, so a killed process loses at most the line in flight; a torn last
line is recognised on reading and left out (and cut off before a resumed run appends).
Sim time (``sim``, minutes) and wall time (``wall``, ISO 8601 UTC) are separate fields so
that two replays compare equal on everything but the wall clock.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from scenarios.limits import read_bounded
from scenarios.yamlsource import InputError, Problem

from .eventshape import LineError, event_problem, parse_line

Event = dict[str, Any]
WALL_FIELDS = ("wall",)
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
    """Writes events to a JSONL file, one flushed line each."""

    def __init__(
        self,
        path: str | Path,
        *,
        overwrite: bool = False,
        append: bool = False,
        wall: Callable[[], str] = utc_now,
    ) -> None:
        self.path = Path(path)
        self._wall = wall
        if self.path.is_dir():
            raise InputError(
                [Problem(str(self.path), 0, 0, "is a directory; expected a journal file (.jsonl)")]
            )
        if self.path.exists() and self.path.stat().st_size > 0 and not (overwrite or append):
            raise JournalExists(
                [
                    Problem(
                        str(self.path),
                        0,
                        0,
                        "journal already holds events; it is never overwritten without being "
                        "asked (use --force to overwrite, or `drillbook play --resume` to continue)",
                    )
                ]
            )
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            if append:
                _cut_torn_tail(self.path)
            self._fh: IO[str] | None = open(  # noqa: SIM115 - kept open for the run
                self.path, "a" if append else "w", encoding="utf-8", newline="\n"
            )
        except OSError as exc:  # a read-only folder, a file where a folder should be…
            raise InputError(
                [Problem(str(self.path), 0, 0, f"cannot write the journal: {exc.strerror}")]
            ) from None

    def write(self, event: Event) -> None:
        if self._fh is None:
            raise RuntimeError("journal is closed")
        line = dict(event)
        line.setdefault("wall", self._wall())
        self._fh.write(encode(line) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class JournalFile:
    """A journal read back: its events, and whether a torn last line was left out."""

    path: Path
    events: list[Event]
    torn_tail: bool = False
    lines: tuple[int, ...] = ()  # the line of each event in the file, to place problems

    @property
    def started(self) -> Event:
        return self.events[0]

    @property
    def ended(self) -> bool:
        return any(e["type"] == "run_ended" for e in self.events)


def read_journal(path: str | Path) -> JournalFile:
    """Read a journal; a line that is not an event is an error placed at its line."""
    p = Path(path)
    raw = read_bounded(p, "a journal (.jsonl)", missing="no such journal file")
    text = raw.decode("utf-8", errors="replace")
    lines = text.split("\n")
    torn = bool(lines and lines[-1].strip())  # no final newline: the line in flight
    if torn:
        lines = lines[:-1]
    events: list[Event] = []
    numbers: list[int] = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:  # bounded numbers, no NaN, bounded depth; then the fields readers rely on
            ev = parse_line(line)
        except LineError as exc:
            raise InputError([Problem(str(p), n, exc.col, str(exc))]) from None
        wrong = event_problem(ev)
        first_not_header = not events and isinstance(ev, dict) and "sim" in ev
        if first_not_header and ev.get("type", "run_started") != "run_started":
            break  # an event, but not a journal's first: said below
        if wrong:
            raise InputError([Problem(str(p), n, 1, wrong)])
        events.append(ev)
        numbers.append(n)
    if not events:
        raise InputError(
            [Problem(str(p), 1, 1, "not a drillbook journal; expected a 'run_started' event first")]
        )
    return JournalFile(p, events, torn, tuple(numbers))


def _cut_torn_tail(path: Path) -> None:
    """Drop a partial last line (the one in flight when a process died) before appending."""
    if not path.exists():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
        with open(path, "r+b") as fh:
            fh.truncate(keep)


def without_wall(events: Iterable[Event]) -> list[Event]:
    """Events as replay compares them: everything but the wall-clock fields.

    Clock events stay: replay re-feeds them as inputs, so they must reproduce too.
    """
    return [{k: v for k, v in e.items() if k not in WALL_FIELDS} for e in events]


def story_events(events: Iterable[Event]) -> list[Event]:
    """The story without how the clock was driven: for comparing two runs of the same
    decisions, one played in the TUI (paused, jumped, sped up) and one headless."""
    return [e for e in without_wall(events) if e["type"] not in CLOCK_TYPES]
