"""How rule outcomes sort, worst first: plain data, so a screen can sort verdicts without
building the scorecard's record classes (``scoring.scorecard`` re-exports all of it).

The terminal app sorts a decision's verdicts before its first frame; importing the
scorecard for that built its pydantic models (~10 ms) before anything was on screen.
"""

from __future__ import annotations

# Worst first: the order in which outcomes are worth a manager's attention, and the verdict a
# decision log shows for a decision (its worst). Reports, timeline and console all sort by it.
STATUS_ORDER: tuple[str, ...] = ("violated", "missed", "late", "pending", "met", "not_applicable")
STATUS_RANK: dict[str, int] = {status: rank for rank, status in enumerate(STATUS_ORDER)}


def status_rank(status: str) -> int:
    """Where ``status`` sorts, worst first (an unknown one last)."""
    return STATUS_RANK.get(status, len(STATUS_ORDER))
