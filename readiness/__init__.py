"""Readiness simulation: a scenario played many times against a model of the team."""
