"""Placed errors: what every reader of every format raises, and what the CLI prints.

This module imports neither yaml nor pydantic, so a command that only needs to *catch* an
input error (``drillbook --help``, the top-level error handler) does not pay for either.
"""

from __future__ import annotations


class Problem:
    """One thing wrong with an input file, already placed.

    Immutable and compared by value, like a frozen dataclass, but written out by hand:
    ``dataclasses`` pulls in ``inspect`` (about 10 ms), which ``drillbook --help`` and the
    top-level error handler, the only callers that need nothing but this class, would pay.
    """

    __slots__ = ("col", "file", "line", "message")
    __match_args__ = ("file", "line", "col", "message")

    file: str
    line: int
    col: int
    message: str

    def __init__(self, file: str, line: int, col: int, message: str) -> None:
        for name, value in (("file", file), ("line", line), ("col", col), ("message", message)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a Problem is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a Problem is immutable")

    def _key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.message)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Problem(file={self.file!r}, line={self.line!r}, col={self.col!r}, "
            f"message={self.message!r})"
        )

    def __reduce__(self) -> tuple[type[Problem], tuple[str, int, int, str]]:
        return (Problem, self._key())

    def __str__(self) -> str:
        if self.line <= 0:  # the file as a whole (missing, unreadable)
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class InputError(Exception):
    """Raised with every problem found in one input; ``str()`` gives one line per problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.col))
        super().__init__("\n".join(str(p) for p in self.problems))
