"""How rule outcomes sort, worst first, and the ratings a capability earns: plain data, so a screen can sort verdicts without
building the scorecard's record classes (``scoring.scorecard`` re-exports all of it).

The terminal app sorts a decision's verdicts before its first frame; importing the
scorecard for that built its pydantic models (~10 ms) before anything was on screen.
"""

from __future__ import annotations

# Worst first: the order in which outcomes are worth a manager's attention, and the verdict a
# decision log shows for a decision (its worst). Reports, timeline and console all sort by it.
STATUS_ORDER: tuple[str, ...] = ("violated", "missed", "late", "pending", "met", "not_applicable")
STATUS_RANK: dict[str, int] = {status: rank for rank, status in enumerate(STATUS_ORDER)}


# HSEEP's capability ratings, best first, and what each letter stands for. The scorer, the
# console's rating keys, the wire's check on a rating and the simulation's shares all read
# these; a screen can, without building the scorecard's records.
RATINGS: tuple[str, ...] = ("P", "S", "M", "U")
RATING_TEXT: dict[str, str] = {
    "P": "Performed without Challenges",
    "S": "Performed with Some Challenges",
    "M": "Performed with Major Challenges",
    "U": "Unable to be Performed",
}


def status_rank(status: str) -> int:
    """Where ``status`` sorts, worst first (an unknown one last)."""
    return STATUS_RANK.get(status, len(STATUS_ORDER))
