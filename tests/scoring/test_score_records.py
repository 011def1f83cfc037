"""The scorer's cheaper ways to its records give what the plain ones give, bit for bit.

The golden scorecards hold them on the bundled runs; these hold them on any input: rounding
(``fixed4``/``clamped4`` against ``round``), a decision made without its frozen ``__init__``
(``Act.of``), and a decision's summary and step kept by its parameters (``facts`` against
``describe`` and ``plan_step``).
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import struct
from typing import Any

from drillbook.scenarios import library, load
from drillbook.scenarios.actions import describe
from drillbook.scoring import default_plan
from drillbook.scoring.acts import Act
from drillbook.scoring.decisions import facts
from drillbook.scoring.outcome import clamped4, fixed4, minutes4
from drillbook.scoring.prepared import Prepared, plan_step
from hypothesis import given
from hypothesis import strategies as st


def _bits(x: Any) -> tuple[type, Any]:
    return (type(x), struct.pack("<d", x) if isinstance(x, float) else x)


_FRACTIONS = st.tuples(st.integers(-(2**60), 2**60), st.sampled_from([16.0, 32.0, 3.0, 1e4]))
_NUMBERS = (
    st.floats(allow_nan=True, allow_infinity=True)
    | _FRACTIONS.map(lambda kd: kd[0] / kd[1])  # sixteenths (kept) and their neighbours
    | st.integers(-99, 99)
)


@given(_NUMBERS)
def test_fixed4_is_round_to_four_places(x: float) -> None:
    expected = round(x, 4)
    got = fixed4(x)
    if isinstance(x, float) and math.isnan(x):
        assert math.isnan(got)
    else:
        assert _bits(got) == _bits(expected)


@given(_NUMBERS)
def test_minutes4_is_round_to_four_places_as_a_float(x: float) -> None:
    """What pydantic made of ``fixed4``'s figure on a float field: the same, as a float."""
    got = minutes4(x)
    assert type(got) is float
    if not math.isnan(x):
        assert _bits(got) == _bits(float(round(x, 4)))
    assert minutes4(None) is None


@given(_NUMBERS | st.sampled_from([0, 1, 2, -0.0, 1.0, 0.99996, 0.33333333]))
def test_clamped4_is_the_clamped_round(credit: float) -> None:
    assert _bits(clamped4(credit)) == _bits(round(min(1.0, max(0.0, credit)), 4))


def test_act_of_is_act_whatever_fields_it_has() -> None:
    names = [f.name for f in dataclasses.fields(Act)]
    assert list(inspect.signature(Act.of).parameters) == names  # a new field must be given
    values: list[Any] = [3, 8.5, "on_call", "notify", {"audience": "client"}, False, "why", ("u",)]
    made, fast = Act(*values), Act.of(*values)
    assert fast == made and repr(fast) == repr(made) and vars(fast) == vars(made)
    assert dataclasses.asdict(fast) == dataclasses.asdict(made)


_VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(-3, 3)
    | st.sampled_from(["client", "a_b", ""])
    | st.lists(st.sampled_from(["x", "y"]), max_size=2)
    # lists of mixed items, kept by their items' types too: [1] and [True] are equal lists
    | st.lists(st.sampled_from(["x", 1, True, 1.0, -0.0, 0.0, None, 0, False]), max_size=3)
    | st.lists(st.lists(st.sampled_from(["x", 1]), max_size=1), max_size=1)
)
_PARAMS = st.dictionaries(
    st.sampled_from(["audience", "when", "due", "text", "re", "option", "tested"]), _VALUES
)


_PREPARED = Prepared(load(library.resolve(library.FLAGSHIP)).scenario, default_plan(), None)


@given(st.lists(st.tuples(st.sampled_from(["notify", "set_reminder"]), _PARAMS), max_size=6))
def test_kept_facts_are_the_description_and_step(decisions: list[tuple[str, Any]]) -> None:
    _PREPARED.described.clear()
    for action, params in decisions * 2:  # the second time round, from what was kept
        step = plan_step(_PREPARED.fits.get(action, []), params)
        words = (step.text or step.title) if step else None
        assert facts(_PREPARED, action, params) == (describe(action, params), words)
