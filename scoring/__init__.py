"""Scoring: the response plan as data, and a pure scorer over a run's journal."""

from drillbook.scoring.plan import ResponsePlan, default_plan, load_plan
from drillbook.scoring.scorecard import Scorecard
from drillbook.scoring.scorer import score

__all__ = ["ResponsePlan", "Scorecard", "default_plan", "load_plan", "score"]
