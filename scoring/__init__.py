"""Scoring: the response plan as data, and a pure scorer over a run's journal.

The names below are loaded on first use (a module ``__getattr__``), so that importing one
module of this package (``scoring.scorecard`` for a report, ``scoring.plan`` for ``plan
show``) does not import the scorer and everything it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillbook.formats.lazy import lazy_exports

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


__getattr__, __dir__ = lazy_exports(globals(), _WHERE, __all__)
