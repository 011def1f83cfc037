"""The plan step kept per decision's parameters (``Prepared.step_for``) is the one worked out
afresh (``plan_step``), whatever the parameters: equal values, lists, values that cannot be a
key, parameters absent."""

from __future__ import annotations

from typing import Any

from drillbook.scenarios import library
from drillbook.scenarios.loader import load
from drillbook.scoring import default_plan
from drillbook.scoring.prepared import Prepared, plan_step


def _cases(prep: Prepared) -> list[tuple[str, dict[str, Any]]]:
    """Every action with steps, asked with each value its steps filter on, as a scalar, as a
    list alone and beside another value, absent, equal under another type, and unhashable."""
    out: list[tuple[str, dict[str, Any]]] = []
    for action, steps in prep.fits.items():
        out.append((action, {}))
        for step in steps:
            for key, want in step.where.items():
                values = want if isinstance(want, list) else [want]
                for v in values:
                    out += [
                        (action, {key: v}),
                        (action, {key: [v]}),
                        (action, {key: ["elsewhere", v]}),
                        (action, {key: "elsewhere"}),
                        (action, {key: {"nested": v}}),
                        (action, {key: [[v]]}),
                        (action, {**step.where, "rationale": "why"}),
                    ]
                    if isinstance(v, bool):
                        out.append((action, {key: int(v)}))
    return out


def test_step_for_is_plan_step() -> None:
    loaded = load(library.resolve(library.FLAGSHIP))
    plan = default_plan()
    prep = Prepared(loaded.scenario, plan, None)
    cases = _cases(prep)
    assert len(cases) > 50  # the plan's filters give many cases: the test is live
    for _ in range(2):  # the second pass reads what the first kept
        for action, params in cases:
            assert prep.step_for(action, params) is plan_step(prep.fits[action], params), (
                action,
                params,
            )
    assert prep._fitted  # something was kept
    assert prep.step_for("no_such_action", {}) is None
