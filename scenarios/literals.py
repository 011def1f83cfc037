"""The values a literal in a condition's ``where:`` may take, so a typo is caught at validate.

``where: {method: ground_fleet}`` names no method the action contract has, so the condition
could never hold; the references check asks here which values a parameter can take — the
contract's closed sets (``Literal``, ``bool``) or the ids the scenario itself declares (sources,
causes, obligations, an inject's answer options) — and places the one that is not among them.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal

from drillbook.scenarios.actions import ACTION_MODELS

ACTION_MODELS_BY_NAME = {
    m.model_fields["action"].annotation.__args__[0]: m  # type: ignore[union-attr]
    for m in ACTION_MODELS
}


def _field_values(tp: Any) -> list[Any] | None:
    """The values a parameter of this type can take, if it is a closed set (None if not)."""
    origin = typing.get_origin(tp)
    if origin is Literal:
        return list(typing.get_args(tp))
    if tp is bool:
        return [True, False]
    if origin in (list, types.UnionType, typing.Union):
        found = [_field_values(a) for a in typing.get_args(tp) if a is not type(None)]
        if found and all(f is not None for f in found):
            return [v for f in found for v in f]  # type: ignore[union-attr]
    return None


def allowed_values(
    name: str,
    key: str,
    where: dict[str, Any],
    injects: dict[str, Any],
    named: dict[tuple[str, str], list[str]],
) -> list[Any] | None:
    """The values ``key`` of action ``name`` can take (from the action contract, or the ids
    the scenario declares); None when it is free text, a number or a time."""
    model = ACTION_MODELS_BY_NAME[name]
    field = next((f for n, f in model.model_fields.items() if (f.alias or n) == key), None)
    if field is None:
        return None
    closed = _field_values(field.annotation)
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
