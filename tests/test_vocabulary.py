"""The action vocabulary (plain data) says what the action models say, name for name.

``scenarios.vocabulary`` is what a scenario is checked against (``done:``, ``where:``,
``actions:``), without the 27 models; ``scenarios.actions`` is what a transcript or journal
is validated with. Were they to drift, a scenario would accept a condition no action can
meet, or refuse one it can: each test here reads the models and compares.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal

from drillbook.scenarios import actions, vocabulary
from drillbook.scenarios.literals import allowed_values

_COMMON = {"action", *vocabulary.COMMON_FIELDS}


def _model_name(model: type[actions.ActionModel]) -> str:
    return model.model_fields["action"].annotation.__args__[0]  # type: ignore[union-attr]


def _closed_from_annotation(tp: Any) -> list[Any] | None:
    """The closed set of values a field's annotation allows (None when it is open)."""
    origin = typing.get_origin(tp)
    if origin is Literal:
        return list(typing.get_args(tp))
    if tp is bool:
        return [True, False]
    if origin in (list, types.UnionType, typing.Union):
        found = [_closed_from_annotation(a) for a in typing.get_args(tp) if a is not type(None)]
        if found and all(f is not None for f in found):
            return [v for f in found for v in f]  # type: ignore[union-attr]
    return None


def _model_parameters(model: type[actions.ActionModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items() if (f.alias or n) not in _COMMON]


def test_the_action_names_are_the_models_in_their_order() -> None:
    assert tuple(_model_name(m) for m in actions.ACTION_MODELS) == vocabulary.ACTION_NAMES
    assert actions.ACTION_NAMES is vocabulary.ACTION_NAMES


def test_every_action_has_the_models_parameters_in_field_order() -> None:
    for model in actions.ACTION_MODELS:
        name = _model_name(model)
        assert list(vocabulary.ACTION_PARAMETERS[name]) == _model_parameters(model), name


def test_every_parameter_is_closed_exactly_where_the_model_is() -> None:
    checked = 0
    for model in actions.ACTION_MODELS:
        name = _model_name(model)
        for field_name, field in model.model_fields.items():
            key = field.alias or field_name
            if key in _COMMON:
                continue
            expected = _closed_from_annotation(field.annotation)
            assert vocabulary.closed_values(name, key) == expected, (name, key)
            checked += expected is not None
    assert checked >= 12  # severity, types, method, items, audience, option, with, of, to, …


def test_common_fields_are_on_every_model_and_never_a_closed_set() -> None:
    for model in actions.ACTION_MODELS:
        keys = {f.alias or n for n, f in model.model_fields.items()}
        assert set(vocabulary.COMMON_FIELDS) <= keys
        for key in vocabulary.COMMON_FIELDS:
            assert vocabulary.closed_values(_model_name(model), key) is None


def test_a_where_literal_draws_on_the_vocabulary_then_the_scenario() -> None:
    assert allowed_values("contain", "method", {}, {}, {}) == list(
        typing.get_args(vocabulary.ContainMethod)
    )
    assert allowed_values("remediate", "tested", {}, {}, {}) == [True, False]
    named = {("investigate", "source"): ["logs"]}
    assert allowed_values("investigate", "source", {}, {}, named) == ["logs"]
    assert allowed_values("notify", "message", {}, {}, named) is None


def test_system_changes_and_describe_are_the_contracts() -> None:
    assert set(vocabulary.ACTION_NAMES) >= vocabulary.SYSTEM_CHANGES
    assert actions.describe is vocabulary.describe
    assert vocabulary.describe("schedule_review", {"when": 90}) == "schedule review (when=+1:30)"
