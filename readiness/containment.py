"""Containing again: when the story says the containment in force is not working.

The plan says to contain and names a method to start with (take the system offline: "a
briefly offline system causes less damage than a system that's actively causing harm"), but
which method stops the harm depends on the system, and a story says so only after the fact:
an inject that comes *because* of the method chosen and asks for containment again (2,300
stores now show "financing unavailable"; the filter was bypassed), or a meter crossing a
threshold after the team had contained. A team following the plan listens: the role that
contains lifts what did not work and puts another method in place.

Which one is the person's judgement. Someone who knows the system (``Playbook.familiar``)
picks a method the scenario's meters say stops every harm and that no such inject answers;
someone who does not may settle on one that does not, with the team model's chance of a
wrong diagnosis, and need another round if the story says so again. Nothing here is known to
the team before the story tells it: the choice is made only once a signal has reached someone
in the response.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, get_args

from drillbook.scenarios.conditions import Done, MeterAbove, signed_leaves
from drillbook.scenarios.model import Scenario
from drillbook.scenarios.vocabulary import ContainMethod
from drillbook.scoring.effects import harm_meters

METHODS: tuple[str, ...] = get_args(ContainMethod)  # the vocabulary's order


@dataclass(frozen=True)
class ContainmentGuide:
    """What a scenario's story says about containment methods (built once per scenario)."""

    # inject → the methods it says do not work (a meter's threshold: whatever is in force)
    signals: dict[str, frozenset[str]]
    effective: tuple[str, ...]  # methods that stop every harm meter and no signal answers
    candidates: tuple[str, ...]  # every method the story speaks of (all, if it names none)

    def next_method(
        self, tried: Iterable[str], familiar: bool, wrong: float, rng: random.Random
    ) -> str | None:
        """The method to try next (None: nothing left to try).

        Someone who knows the system takes the first method that works; someone who does not
        settles on one that does not with the team model's chance of a wrong diagnosis
        (``wrong``: the same judgement, of what to switch off instead of what went wrong),
        at random among those left. The dice are rolled only where there is a choice."""
        done = set(tried)
        works = [m for m in self.effective if m not in done]
        other = [m for m in self.candidates if m not in done and m not in self.effective]
        if works and (familiar or not other or rng.random() >= wrong):
            return works[0]
        if not other:
            return None
        return other[0] if len(other) == 1 else other[rng.randrange(len(other))]


def _methods(leaf: Done) -> set[str]:
    """The methods a ``done: contain`` condition holds for (every one, if it names none)."""
    named: Any = (leaf.where or {}).get("method")
    if named is None:
        return set(METHODS)
    return set(named if isinstance(named, list) else [named])


def _contain_leaves(cond: Any) -> list[Done]:
    """The positive ``done: contain`` leaves of a condition (not under a ``not:``)."""
    return [
        leaf
        for leaf, negated in signed_leaves(cond)
        if not negated and isinstance(leaf, Done) and leaf.done == "contain"
    ]


def _named(leaves: list[Done]) -> set[str]:
    """The methods conditions name outright (one that names none speaks of no method)."""
    return {m for leaf in leaves if leaf.where.get("method") is not None for m in _methods(leaf)}


def guide(scenario: Scenario) -> ContainmentGuide:
    """Read the story's signals and the meters' verdict on each method."""
    signals: dict[str, frozenset[str]] = {}
    answered: set[str] = set()  # methods some signal answers: they did not work
    spoken: set[str] = set()
    for inj in scenario.injects:
        if inj.when is None:
            continue
        contains = _contain_leaves(inj.when)
        spoken |= _named(contains)
        if "contain" not in (inj.expects or []):
            continue
        meters = [leaf for leaf, neg in signed_leaves(inj.when) if isinstance(leaf, MeterAbove)]
        if contains or meters:
            methods = set(METHODS) if meters else set()
            for leaf in contains:
                methods |= _methods(leaf)
                answered |= _methods(leaf)
            signals[inj.id] = frozenset(methods)
    harm = set(harm_meters(scenario))
    stops: dict[str, set[str]] = {m: set() for m in harm}
    for meter in scenario.meters:
        for rule in meter.rates:
            contains = _contain_leaves(rule.when)
            spoken |= _named(contains)
            if meter.id in harm and rule.rate == 0:
                leaves = signed_leaves(rule.when)
                if contains and len(contains) == len(leaves):
                    for leaf in contains:
                        stops[meter.id] |= _methods(leaf)
    effective = set(METHODS)
    for methods in stops.values():
        effective &= methods
    effective -= answered
    return ContainmentGuide(
        signals,
        tuple(m for m in METHODS if m in effective),
        tuple(m for m in METHODS if m in spoken) or METHODS,
    )
