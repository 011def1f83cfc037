"""The models every command makes hold their annotations as objects, not as strings.

With ``from __future__ import annotations`` each field's annotation is a string that pydantic
compiles and evaluates when the class is made: a quarter of making a model, and ``run``,
``score`` and ``report`` make ~100 at start-up. These modules evaluate their annotations as
they go instead; the one string left is a combinator's reference to the condition union it
belongs to (defined after it). A string that slips back in is found here, with its field.
"""

from __future__ import annotations

import importlib

import pytest
from pydantic import BaseModel

EAGER = (
    "drillbook.scenarios.actions",
    "drillbook.scenarios.base",
    "drillbook.scenarios.conditions",
    "drillbook.scenarios.meters",
    "drillbook.scenarios.model",
    "drillbook.scenarios.transcript",
    "drillbook.scenarios.truth",
    "drillbook.scoring.client",
    "drillbook.scoring.plan",
    "drillbook.scoring.rules",
    "drillbook.reports.records",
)
# Annotations that must name what is defined after them (``not: <a condition>``).
FORWARD = {"Not.not_"}


@pytest.mark.parametrize("name", EAGER)
def test_model_fields_are_annotated_with_objects(name: str) -> None:
    module = importlib.import_module(name)
    models = [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, BaseModel) and v.__module__ == name
    ]
    assert models, name
    strings = [
        f"{m.__name__}.{field}"
        for m in models
        for field, annotation in vars(m).get("__annotations__", {}).items()
        if isinstance(annotation, str)
    ]
    strings = [s for s in strings if s not in FORWARD]
    assert not strings, f"{name}: annotations kept as strings: {strings}"


def test_a_postponed_annotation_would_be_found() -> None:
    namespace: dict[str, object] = {}
    exec("from __future__ import annotations\nclass M:\n    x: int\n", namespace)
    assert isinstance(vars(namespace["M"])["__annotations__"]["x"], str)
