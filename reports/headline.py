"""Which meters a report leads with: shared by the report and the command line's summaries.

Kept apart from :mod:`reports.aar` so ``drillbook run`` and ``drillbook score``, which print
the same headline sentence, do not import the report's records and findings to choose it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drillbook.scenarios.model import Meter


def headline_meters(meters: Sequence[Meter]) -> tuple[list[Meter], bool]:
    """The meters a report leads with, and whether to say it as a cost: every meter marked
    ``headline: true``; else the money meter (a cost), else the first. One sentence each."""
    marked = [m for m in meters if m.headline]
    if marked:
        return marked, len(marked) == 1 and marked[0].format == "money"
    money = next((m for m in meters if m.format == "money"), None)
    if money is not None:
        return [money], True
    return list(meters[:1]), False
