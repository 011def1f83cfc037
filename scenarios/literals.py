"""The values a literal in a condition's ``where:`` may take, so a typo is caught at validate.

``where: {method: ground_fleet}`` names no method the action contract has, so the condition
could never hold; the references check asks here which values a parameter can take — the
contract's closed sets (``Literal``, ``bool``) or the ids the scenario itself declares (sources,
causes, obligations, an inject's answer options) — and places the one that is not among them.
"""

from __future__ import annotations

from typing import Any

from drillbook.scenarios.vocabulary import closed_values


def allowed_values(
    name: str,
    key: str,
    where: dict[str, Any],
    injects: dict[str, Any],
    named: dict[tuple[str, str], list[str]],
) -> list[Any] | None:
    """The values ``key`` of action ``name`` can take (from the action contract, or the ids
    the scenario declares); None when it is free text, a number or a time."""
    closed = closed_values(name, key)
    if closed is not None:
        return closed
    if (name, key) in named:
        return named[(name, key)]
    if (name, key) == ("answer", "option"):
        named = where.get("inject")
        pool = [injects[i] for i in (named if isinstance(named, list) else [named]) if i in injects]
        pool = pool or list(injects.values())
        return list(dict.fromkeys(o.id for i in pool if i.question for o in i.question.options))
    return None
