"""Scenario files: the YAML format of an exercise, its loader, and the action contract.

Nothing here knows about the engine, the scorer or the screens; they all read these models.
"""

from drillbook.formats.yamlsource import InputError, Problem
from drillbook.scenarios.loader import LoadedScenario, load, load_scenario
from drillbook.scenarios.model import Scenario

__all__ = ["InputError", "LoadedScenario", "Problem", "Scenario", "load", "load_scenario"]
