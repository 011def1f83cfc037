"""The engine's compiled conditions decide exactly what ``holds`` decides.

Every condition of every bundled scenario (each sub-condition too) is evaluated both ways on
the world as it stands after each event of the scenario's transcripts, at that moment and at
moments around the offsets conditions name, where an off-by-epsilon would show.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from drillbook.scenarios import library, load
from drillbook.scenarios.conditions import children
from drillbook.scenarios.transcript import load_transcript
from drillbook.simulator.conditions import compiled, holds
from drillbook.simulator.engine import Engine
from drillbook.simulator.events import EPSILON
from drillbook.simulator.refusals import ActionRejected

# one transcript of each bundled scenario (a weak team's where there is one: more branches),
# and every one of the flagship's
_ALL = sorted((library.resolve(library.FLAGSHIP).parent / "transcripts").glob("*.yaml"))
_ONE = {p.name.split(".")[0]: p for p in sorted(_ALL, key=lambda p: ".weak." not in p.name)[::-1]}
TRANSCRIPTS = sorted(set(_ONE.values()) | {p for p in _ALL if p.name.startswith(library.FLAGSHIP)})


def _every_condition(scenario: Any) -> list[Any]:
    todo = [i.when for i in scenario.injects if i.when is not None]
    todo += [r.when for m in scenario.meters for r in m.rates]
    out = []
    while todo:
        cond = todo.pop()
        out.append(cond)
        todo += children(cond)
    return out


def _moments(cond: Any, engine: Engine) -> list[float]:
    """Now, later, and each side of every edge: an offset the condition names, and the
    moment each decision it counts is ``EPSILON`` away from."""
    edges = [getattr(cond, name, None) for name in ("by", "after")]
    action = getattr(cond, "done", None) or getattr(cond, "not_done", None)
    edges += [r.sim - EPSILON for r in engine.state.by_action.get(action, ())]
    marks = [engine.now, engine.now + 30.0]
    for t in edges:
        if isinstance(t, int | float):
            marks += [t - EPSILON, t - EPSILON / 4, t, t + EPSILON / 4, t + EPSILON]
    return [t for t in marks if t >= 0]


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.stem)
def test_compiled_conditions_agree_with_holds_along_every_transcript(path: Path) -> None:
    transcript = load_transcript(path)
    scenario = load(library.resolve(path.name.split(".")[0])).scenario
    tests = [(c, compiled(c)) for c in _every_condition(scenario)]
    assert tests, "every bundled scenario has conditions"
    engine = Engine(scenario, seed=transcript.seed or 0)
    seen = {True: 0, False: 0}

    def check(_event: dict) -> None:
        for cond, test in tests:
            for t in _moments(cond, engine):
                expected = holds(cond, engine.state, engine.meters, t)
                assert test(engine.state, engine.meters, t) is expected, (cond, t)
                seen[expected] += 1

    engine.listeners.append(check)
    for d in sorted(transcript.decisions, key=lambda d: (d.at, d.entry)):
        with contextlib.suppress(ActionRejected):  # a weak team's refused decision changes nothing
            engine.submit(d.role, d.action, at=d.at)
    engine.finish()
    assert seen[True] and seen[False]  # both answers were compared, not one
