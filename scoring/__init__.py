"""Scoring: the response plan as data, and a pure scorer over a run's journal.

The names below are loaded on first use (a module ``__getattr__``), so that importing one
module of this package (``scoring.scorecard`` for a report, ``scoring.plan`` for ``plan
show``) does not import the scorer and everything it needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drillbook.scoring.plan import ResponsePlan, default_plan, load_plan
    from drillbook.scoring.scorecard import Scorecard
    from drillbook.scoring.scorer import score

_WHERE = {
    "ResponsePlan": "drillbook.scoring.plan",
    "default_plan": "drillbook.scoring.plan",
    "load_plan": "drillbook.scoring.plan",
    "Scorecard": "drillbook.scoring.scorecard",
    "score": "drillbook.scoring.scorer",
}

__all__ = ["ResponsePlan", "Scorecard", "default_plan", "load_plan", "score"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value  # once: later look-ups do not come back here
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
