"""Where each value of a YAML document sits: ``(line, col)`` by path, for placing problems.

Kept apart from :mod:`yamlsource`, which fills them while it builds a document's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drillbook.formats.errors import Problem

Path_ = tuple[str | int, ...]


@dataclass(eq=False)
class Positions:
    """Where each value of a document sits: path → (line, col), both 1-based.

    A parsed document leaves its positions as a flat record of marks (``yamlsource._Builder``)
    and turns it into the two tables the first time a position is asked for: most loads
    never place a problem, and a 10,000-inject scenario spent a fifth of its parse making a
    path for every value.
    """

    file: str
    _at: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    _key_at: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    _record: list[Any] | None = field(default=None, repr=False)

    def _tables(self) -> tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
        record = self._record
        if record is not None:
            # Filled aside and put in place before the record is dropped: a second thread
            # asking meanwhile tables the record too, and never reads a half-filled table.
            at, key_at = dict(self._at), dict(self._key_at)
            replay(record, at, key_at)
            self._at, self._key_at = at, key_at
            self._record = None
        return self._at, self._key_at

    def of(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of ``path``, or of its nearest ancestor that has one."""
        at, key_at = self._tables()
        table = key_at if key else at
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if p in at:
                return at[p]
            p = p[:-1]
        return at.get((), (1, 1))

    def problem(self, path: Path_, message: str, *, key: bool = False) -> Problem:
        line, col = self.of(path, key=key)
        return Problem(self.file, line, col, message)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Positions):
            return NotImplemented
        return (self.file, *self._tables()) == (other.file, *other._tables())

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was


def replay(record: list[Any], at: dict[Path_, Any], key_at: dict[Path_, Any]) -> None:
    """Fill the position tables from a builder's record.

    The layout, in building order: a scalar is ``line, col``; a list ``-line, col, len``
    and then its items' records; a mapping ``-line, col, ~len`` and then, per key, ``key,
    key line, key col`` before the value's record.
    """
    take = iter(record).__next__

    def node(path: Path_) -> None:
        line, col = take(), take()
        if line > 0:
            at[path] = (line, col)
            return
        at[path] = (-line, col)
        count = take()
        if count >= 0:
            for i in range(count):
                node((*path, i))
            return
        for _ in range(~count):
            key = take()
            here = (*path, key)
            key_at[here] = (take(), take())
            node(here)

    if record:
        node(())
