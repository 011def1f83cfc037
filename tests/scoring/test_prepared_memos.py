"""What the scorer keeps per scenario, plan and client answers for those three alone.

A role's share of a step, the plan's cadence phases, a step's filters with leadership standing
in, the harm meters and a decision's summary are kept between calls (``scoring.prepared``,
``scenario.derived_memo``). A stale entry would give one plan's, client's or history's answer
to another: each case here scores variants in turn, over and over, and every card must be
the one a scorer with nothing kept works out, and the variants must read apart.
"""

from __future__ import annotations

import json
from typing import Any

from drillbook.formats.yamlsource import InputError
from drillbook.scenarios import library
from drillbook.scenarios.loader import load
from drillbook.scenarios.transcript import load_transcript
from drillbook.scoring import counterfactual, default_plan, effects, prepared, score, scorer
from drillbook.scoring.files import scenario_client
from drillbook.simulator.headless import run_transcript

Event = dict[str, Any]
Case = tuple[Any, Any, list[Event], Any]  # scenario, plan, history, client


def _card(case: Case) -> str:
    scenario, plan, events, client = case
    return json.dumps(score(scenario, plan, events, client).to_json())


def _afresh(case: Case) -> str:
    """The card as a scorer with nothing kept works it out."""
    prepared._KEPT.clear()
    scorer._PASSED.clear()
    counterfactual.CHOICES.clear()
    counterfactual.TIMELINES.clear()
    effects._JUDGED.clear()
    case[0].derived_memo.pop(effects._HARM, None)
    return _card(case)


def _in_turn(cases: list[Case]) -> list[str]:
    """Each case's card afresh, then each scored in turn three times from what was kept."""
    fresh = [_afresh(c) for c in cases]
    for _ in range(3):
        assert [_card(c) for c in cases] == fresh
    return fresh


def _flagship() -> tuple[Any, Any, list[Event], Any]:
    loaded = load(library.resolve(library.FLAGSHIP))
    plan = default_plan()
    client = scenario_client(loaded.path, loaded.scenario, plan)
    events = run_transcript(
        loaded, load_transcript(library.reference_transcript(library.FLAGSHIP))
    ).history()
    return loaded, plan, events, client


def _by(events: list[Event], action: str, role: str) -> list[Event]:
    """The history with the first ``action`` decision taken by ``role`` instead."""
    out, moved = [], False
    for e in events:
        if not moved and e.get("type") == "action_taken" and e.get("action") == action:
            e, moved = {**e, "role": role}, True
        out.append(e)
    assert moved
    return out


def test_a_share_by_another_role_follows_the_role_and_the_plan() -> None:
    loaded, plan, events, client = _flagship()
    moved = _by(events, "diagnose", "communications_lead")  # not the diagnosis's seat
    stingy = plan.model_copy(
        update={"discipline": plan.discipline.model_copy(update={"wrong_role_credit": 0.2})}
    )
    s = loaded.scenario
    fresh = _in_turn(
        [(s, plan, events, client), (s, plan, moved, client), (s, stingy, moved, client)]
    )
    assert len(set(fresh)) == 3
    assert "the plan gives this to the" in fresh[1] and "the plan gives this to the" not in fresh[0]


def test_the_plans_cadence_is_its_own() -> None:
    loaded, plan, events, client = _flagship()
    rules = [
        r.model_copy(update={"every": {k: v * 2 for k, v in r.every.items()}})
        if r.kind == "cadence" and isinstance(r.every, dict)
        else r
        for r in plan.rules
    ]
    assert rules != plan.rules
    slower = plan.model_copy(update={"rules": rules})
    s = loaded.scenario
    fresh = _in_turn([(s, plan, events, client), (s, slower, events, client)])
    assert fresh[0] != fresh[1]


def test_a_client_and_none_are_kept_apart() -> None:
    loaded, plan, events, client = _flagship()
    s = loaded.scenario
    fresh = _in_turn([(s, plan, events, client), (s, plan, events, None)])
    assert fresh[0] != fresh[1]


def test_every_bundled_scenario_keeps_its_own() -> None:
    """Harm meters, the leadership standing in for an absent client, the steps' filters: one
    scenario's never answers for another's."""
    plan = default_plan()
    cases: list[Case] = []
    for path in library.bundled():
        loaded = load(path)
        try:
            transcript = load_transcript(library.reference_transcript(loaded.scenario.id))
        except InputError:  # no bundled transcript for it
            continue
        client = scenario_client(loaded.path, loaded.scenario, plan)
        cases.append((loaded.scenario, plan, run_transcript(loaded, transcript).history(), client))
    assert len(cases) >= 2
    fresh = _in_turn(cases)
    assert len(set(fresh)) == len(fresh)
