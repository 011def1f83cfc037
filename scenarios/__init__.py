"""Scenario files: the YAML format of an exercise, its loader, and the action contract.

Nothing here knows about the engine, the scorer or the screens; they all read these models.
"""

from .loader import LoadedScenario, load, load_scenario
from .model import Scenario
from .yamlsource import InputError, Problem

__all__ = ["InputError", "LoadedScenario", "Problem", "Scenario", "load", "load_scenario"]
