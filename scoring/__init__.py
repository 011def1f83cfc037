"""Scoring: the response plan as data, and a pure scorer over a run's journal."""

from .plan import ResponsePlan, default_plan, load_plan
from .scorecard import Scorecard
from .scorer import score

__all__ = ["ResponsePlan", "Scorecard", "default_plan", "load_plan", "score"]
