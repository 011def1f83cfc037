"""Scenario files: the YAML format of an exercise, its loader, and the action contract.

Nothing here knows about the engine, the scorer or the screens; they all read these models.

The names below are loaded on first use (a module ``__getattr__``): importing any module of
this package, or ``InputError`` alone, must not build the 54 scenario models, which is most of
what a quick command such as ``drillbook --help`` would otherwise pay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillbook.formats.lazy import lazy_exports

if TYPE_CHECKING:
    from drillbook.formats.errors import InputError, Problem
    from drillbook.scenarios.loader import LoadedScenario, load, load_scenario
    from drillbook.scenarios.model import Scenario

_WHERE = {
    "InputError": "drillbook.formats.errors",
    "Problem": "drillbook.formats.errors",
    "LoadedScenario": "drillbook.scenarios.loader",
    "load": "drillbook.scenarios.loader",
    "load_scenario": "drillbook.scenarios.loader",
    "Scenario": "drillbook.scenarios.model",
}

__all__ = ["InputError", "LoadedScenario", "Problem", "Scenario", "load", "load_scenario"]


__getattr__, __dir__ = lazy_exports(globals(), _WHERE, __all__)
