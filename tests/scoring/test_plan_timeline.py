"""The plan's own timeline — every required step at its deadline, by the role the plan gives
it, questions answered soundly — is what the scorer measures against, so it must score 100 P
on every bundled scenario: if it did not, the scale would be off, not the team."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.scenarios import library
from drillbook.scenarios.loader import load
from drillbook.scoring import default_plan, score
from drillbook.scoring.context import RunContext
from drillbook.scoring.counterfactual import best_timeline
from drillbook.scoring.files import scenario_client
from drillbook.scoring.graph import precedence_graph, step_order


def _timeline(path: Path):
    loaded = load(path)
    plan = default_plan()
    client = scenario_client(path, loaded.scenario, plan)
    ended = [
        {"seq": 0, "type": "run_started", "sim": 0.0, "seed": 0},
        {"seq": 1, "type": "run_ended", "sim": float(loaded.scenario.ends)},
    ]
    ctx = RunContext.build(loaded.scenario, plan, ended, client)
    _, events = best_timeline(ctx, step_order(plan, precedence_graph(plan)))
    return loaded.scenario, plan, client, events


@pytest.mark.parametrize("path", library.bundled(), ids=lambda p: p.stem)
def test_the_plans_own_timeline_scores_100(path: Path) -> None:
    scenario, plan, client, events = _timeline(path)
    card = score(scenario, plan, events, client)
    wrong = {
        r.id: r.detail for r in card.rules if r.status not in ("met", "not_applicable", "pending")
    }
    assert wrong == {}
    assert (card.readiness, card.rating) == (100.0, "P")
    assert not [d for d in card.decisions if d.why_not]


@pytest.mark.parametrize("minutes", [0, 3, 6, 30])
def test_a_run_in_progress_scores_at_any_minute(minutes: int) -> None:
    """The console scores after every decision, from the first second of play: the plan's
    timeline must stop at the run's own now, even before anyone could know anything."""
    path = library.resolve("airline-pricing-0347")
    loaded = load(path)
    plan = default_plan()
    client = scenario_client(path, loaded.scenario, plan)
    events = [{"seq": 0, "type": "run_started", "sim": 0.0, "seed": 1}]
    if minutes:
        events.append({"seq": 1, "type": "clock", "sim": float(minutes), "verb": "pause"})
    card = score(loaded.scenario, plan, events, client)
    assert card.provisional
    assert all(r.status in ("pending", "not_applicable", "missed", "late") for r in card.rules)
