"""Words pydantic reads as numbers ("inf", "NaN") are refused wherever a float field is, and
the walk that finds them looks only at fields whose type can hold a float.

The oracle is the walk as it was (every field of every model); the pruned walk must visit
every float it visits, in the bundled files of every kind and in models made to be awkward.
"""

from __future__ import annotations

import copy
import enum
from pathlib import Path
from typing import Any, Literal

import pytest
from drillbook.formats.errors import InputError
from drillbook.formats.validation import _float_fields, validate
from drillbook.formats.yamlsource import Document, read
from drillbook.readiness.team import TeamModel
from drillbook.scenarios.model import Inject, Scenario
from drillbook.scoring.client import ClientProfile
from drillbook.scoring.plan import ResponsePlan
from pydantic import BaseModel

DATA = Path(__file__).parents[1] / "data"
KINDS: list[tuple[type[BaseModel], Path]] = [
    *((Scenario, p) for p in sorted((DATA / "scenarios").glob("*.yaml"))),
    (ResponsePlan, DATA / "plans" / "default.yaml"),
    *((ClientProfile, p) for p in sorted((DATA / "scenarios" / "clients").glob("*.yaml"))),
    *((TeamModel, p) for p in sorted((DATA / "teams").glob("*.yaml"))),
]


def every_float(value: Any, data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every float the file wrote, found by walking every field (the oracle)."""
    if isinstance(value, float):
        return [path]
    found = []
    if isinstance(value, BaseModel) and isinstance(data, dict):
        for name, info in type(value).model_fields.items():
            key = info.alias or name
            if key in data:
                found += every_float(getattr(value, name), data[key], (*path, key))
    elif isinstance(value, list | tuple) and isinstance(data, list) and len(value) == len(data):
        for i, (v, d) in enumerate(zip(value, data, strict=True)):
            found += every_float(v, d, (*path, i))
    elif isinstance(value, dict) and isinstance(data, dict):
        for k, v in value.items():
            if k in data:
                found += every_float(v, data[k], (*path, k))
    return found


def with_word(data: Any, paths: list[tuple[Any, ...]], word: str) -> Any:
    out = copy.deepcopy(data)
    for path in paths:
        at = out
        for key in path[:-1]:
            at = at[key]
        at[path[-1]] = word
    return out


@pytest.mark.parametrize(("model", "path"), KINDS, ids=lambda k: getattr(k, "name", ""))
def test_inf_in_any_float_the_file_wrote_is_refused_there(
    model: type[BaseModel], path: Path
) -> None:
    doc = read(path)
    floats = every_float(model.model_validate(doc.data), doc.data)
    # All at once where the model takes "inf" everywhere (a scenario), else one by one; a
    # float with bounds (a probability ≤ 1) refuses the word itself, which is fine too.
    batches = [floats] if model is Scenario else [[f] for f in floats]
    for batch in batches:
        with pytest.raises(InputError) as info:
            validate(model, Document(with_word(doc.data, batch, "inf"), doc.positions))
        wild = [p for p in info.value.problems if "is not a usable number" in p.message]
        assert wild == [] or len(wild) == len(batch), (path.name, batch)
        if model is Scenario:
            assert len(wild) == len(floats) > 0


class Colour(enum.Enum):
    RED = "red"


class Ratio(enum.Enum):
    HALF = 0.5


class Leaf(BaseModel):
    name: str = ""
    weight: float = 0


class Sub(Leaf):
    extra: float = 0


class NoFloats(BaseModel):
    name: str = ""
    count: int = 0
    flag: bool = False
    colour: Colour = Colour.RED
    kind: Literal["a", "b"] = "a"
    tags: list[str] = []


class Tree(BaseModel):
    label: str = ""
    children: list[Tree] = []
    plain: NoFloats = NoFloats()


class Awkward(BaseModel):
    anything: Any = None
    mapping: dict[str, Any] = {}
    ratio: Ratio = Ratio.HALF
    exact: Literal[0.5, 1.0] = 0.5
    leaves: list[Leaf] = []
    maybe: float | None = None
    pair: tuple[int, ...] = ()
    tree: Tree = Tree()
    plain: NoFloats = NoFloats()


def test_the_analysis_keeps_whatever_may_hold_a_float() -> None:
    assert [key for _, key in _float_fields(Awkward)] == [
        "anything", "mapping", "ratio", "exact", "leaves", "maybe"
    ]  # fmt: skip
    assert _float_fields(NoFloats) == () and _float_fields(Tree) == ()
    assert [key for _, key in _float_fields(Inject)] == ["when", "attachments"]


def test_a_subclass_s_floats_count_for_its_base() -> None:
    """A field typed with a model may hold an instance of a subclass of it."""

    class Named(BaseModel):
        name: str = ""

    class Rated(Named):
        rate: float = 0

    class Holder(BaseModel):
        item: Named
        items: list[Named] = []
        other: NoFloats = NoFloats()

    assert [k for _, k in _float_fields(Holder)] == ["item", "items"]
    assert [k for _, k in _float_fields(Rated)] == ["rate"]
    assert [k for _, k in _float_fields(Sub)] == ["weight", "extra"]
