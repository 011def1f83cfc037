"""Scoring: the response plan as data, and a pure scorer over a run's journal."""
