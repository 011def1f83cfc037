"""A finding of a check over a file a person wrote: which check, how serious, where, what.

``drillbook lint`` (scenarios) and ``drillbook plan check`` (response plans) report their
findings alike, as lines of the file they are about, so both share this one shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from drillbook.formats.yamlsource import Path_, Positions, Problem

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    check: str
    level: Level
    path: Path_
    message: str

    def placed_in(self, positions: Positions) -> Problem:
        """The finding as a line of its file (a scenario's, or a plan's for ``plan check``)."""
        return positions.problem(self.path, f"{self.level}: {self.message} [{self.check}]")
