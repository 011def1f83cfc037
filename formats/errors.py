"""Placed errors: what every reader of every format raises, and what the CLI prints.

This module imports neither yaml nor pydantic, so a command that only needs to *catch* an
input error (``drillbook --help``, the top-level error handler) does not pay for either.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, already placed."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:  # the file as a whole (missing, unreadable)
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class InputError(Exception):
    """Raised with every problem found in one input; ``str()`` gives one line per problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.col))
        super().__init__("\n".join(str(p) for p in self.problems))
