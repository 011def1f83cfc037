"""What a scenario's branches depend on: the answers and the deliveries its conditions name.

Lint asks this to tell an option that leads somewhere from one that leads nowhere, and an
inject that changes something from one that does not. An answer counts wherever a condition
can see it: ``chosen:``, or ``done: answer`` narrowed by ``where:``; and through ``not:``.
"""

from __future__ import annotations

from typing import Any

from drillbook.scenarios.conditions import Chosen, Delivered, Done, NotDone
from drillbook.scenarios.model import Scenario
from drillbook.scenarios.references import scenario_conditions


def referenced(s: Scenario) -> tuple[set[tuple[str, str]], set[str]]:
    """The (inject, option) answers some condition depends on, and the injects whose delivery
    one depends on. An answer is a decision like any other: ``{done: answer, where: …}``
    names options too. Under ``not:``, the answer named is what *stops* the branch, so every
    other option of that question is what drives it."""
    chosen: set[tuple[str, str]] = set()
    delivered: set[str] = set()
    negated: set[str] = set()
    for cond, path in scenario_conditions(s):
        if isinstance(cond, Chosen):
            chosen.add((cond.chosen.inject, cond.chosen.option))
            if "not" in path:
                negated.add(cond.chosen.inject)
        elif isinstance(cond, Delivered):
            delivered.add(cond.delivered)
        elif isinstance(cond, Done | NotDone):
            chosen |= _answers(s, cond)
            if isinstance(cond, NotDone) or "not" in path:
                negated |= {i for i, _ in _answers(s, cond)}
    for inject_id in negated:
        inj = s.inject(inject_id)
        if inj is not None and inj.question is not None:
            chosen |= {(inject_id, o.id) for o in inj.question.options}
    return chosen, delivered


def _answers(s: Scenario, cond: Done | NotDone) -> set[tuple[str, str]]:
    """The (inject, option) pairs a ``done``/``not_done`` of ``answer`` matches."""
    name = cond.done if isinstance(cond, Done) else cond.not_done
    if name != "answer":
        return set()

    def given(key: str) -> list[Any] | None:
        v = cond.where.get(key)
        return None if v is None else (v if isinstance(v, list) else [v])

    injects, options = given("inject"), given("option")
    return {
        (inj.id, o.id)
        for inj in s.injects
        if inj.question is not None and (injects is None or inj.id in injects)
        for o in inj.question.options
        if options is None or o.id in options
    }
