"""The two scenarios drawn from documented incidents keep what their stories say.

Each scenario's header states its calibration and its truth says which remedies fix the harm.
These claims are what makes the exercise teach the real incident's lesson: in the benefits
scandal every model version carried the nationality indicator, so a rollback changes nothing;
in the recruiting case a word filter leaves the proxies the model also learned, and only new
labels fix it. If an edit to a meter's rules breaks one of them, the scenario stops telling its
story, so each claim is played through the engine here.
"""

from __future__ import annotations

from functools import cache

import pytest
from drillbook.scenarios import library, load
from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.engine import Engine
from enginekit import act

BENEFITS = "benefits-fraud-scoring"
RECRUITING = "recruiting-model-bias"


@cache
def _loaded(scenario_id: str) -> LoadedScenario:
    return load(library.resolve(scenario_id))


def _added(scenario_id: str, meter: str, until: float, *decisions: tuple) -> float:
    """How much ``meter`` grows from the start to ``until`` after ``decisions`` (at, role,
    action, params), the harm a response adds to what was done before play began."""
    engine = Engine(_loaded(scenario_id).scenario)
    before = engine.meters.value(meter, 0)  # read before the clock moves: values look forward
    for at, role, action, params in decisions:
        act(engine, at, role, action, **params)
    engine.run_until(until)
    return engine.meters.value(meter, until) - before


def _contain(at: float, method: str) -> tuple:
    return (at, "technical_lead", "contain", {"method": method})


def _remedy(at: float, option: str) -> tuple:
    return (at, "technical_lead", "remediate", {"option": option, "tested": True})


@pytest.mark.parametrize(
    ("scenario_id", "meter", "fixes"),
    [(BENEFITS, "families_flagged", {"feature"}), (RECRUITING, "women_ranked_down", {"retrain"})],
)
def test_only_the_remedies_the_truth_names_stop_the_harm(
    scenario_id: str, meter: str, fixes: set[str]
) -> None:
    assert set(_loaded(scenario_id).scenario.truth.fixes) == fixes
    for option in ("rollback", "retrain", "threshold", "feature", "pipeline_fix", "patch"):
        later = _added(scenario_id, meter, 600, _remedy(120, option)) - _added(
            scenario_id, meter, 121, _remedy(120, option)
        )
        assert (later == 0) == (option in fixes), (option, later)


def test_benefits_a_rollback_keeps_flagging_and_caseworker_review_stops_it() -> None:
    nothing = _added(BENEFITS, "families_flagged", 480)
    assert _added(BENEFITS, "families_flagged", 480, _contain(30, "rollback")) == nothing
    assert _added(BENEFITS, "families_flagged", 480, _contain(30, "human_review")) == 15
    # Switching the check off stops the flags too, and holds every new allowance instead.
    assert _added(BENEFITS, "families_flagged", 480, _contain(30, "take_offline")) == 15
    assert _added(BENEFITS, "allowances_held", 480, _contain(30, "take_offline")) == 4 * 450
    assert _added(BENEFITS, "allowances_held", 480, _contain(30, "human_review")) == 0


def test_benefits_calibration_as_its_header_states() -> None:
    # "within the hour adds about 40 families; at the end of the working day about 1,500"
    assert _added(BENEFITS, "families_flagged", 60) == pytest.approx(40, rel=0.3)
    assert _added(BENEFITS, "families_flagged", 570) == pytest.approx(1500, rel=0.05)


def test_recruiting_a_word_filter_or_v1_leaves_the_penalty_and_new_labels_end_it() -> None:
    nothing = _added(RECRUITING, "women_ranked_down", 480)
    for option in ("feature", "rollback"):
        assert _added(RECRUITING, "women_ranked_down", 480, _remedy(60, option)) == nothing
    assert _added(RECRUITING, "women_ranked_down", 480, _remedy(60, "retrain")) == 12
    # Hiding the stars keeps applications flowing; switching screening off does not.
    assert _added(RECRUITING, "applications_waiting", 480, _contain(60, "human_review")) == 0
    assert _added(RECRUITING, "applications_waiting", 480, _contain(60, "take_offline")) > 1000


def test_recruiting_calibration_as_its_header_states() -> None:
    # "in the first hour adds about a dozen women, one that waits for the batch about 260";
    # 40 % of those ranked down close unseen.
    assert _added(RECRUITING, "women_ranked_down", 60) == pytest.approx(12, rel=0.1)
    assert _added(RECRUITING, "women_ranked_down", 300) == pytest.approx(260, rel=0.05)
    assert _added(RECRUITING, "closed_unseen", 300) == pytest.approx(
        0.4 * _added(RECRUITING, "women_ranked_down", 300)
    )


def test_recruiting_lifting_the_stars_before_the_retrain_brings_the_penalty_back() -> None:
    stars_off = _contain(60, "human_review")
    lift = (120, "technical_lead", "lift_containment", {})
    contained = _added(RECRUITING, "women_ranked_down", 480, stars_off)
    assert _added(RECRUITING, "women_ranked_down", 480, stars_off, lift) > contained
    fixed_first = _added(RECRUITING, "women_ranked_down", 480, stars_off, _remedy(100, "retrain"))
    assert _added(
        RECRUITING, "women_ranked_down", 480, stars_off, _remedy(100, "retrain"), lift
    ) == (fixed_first)


def test_benefits_trust_falls_with_the_story_and_recovers_only_once_put_right() -> None:
    end = float(_loaded(BENEFITS).scenario.ends)
    put_right = (400, "communications_lead", "remediate_harm", {"measure": "suspend and review"})
    assert _value(BENEFITS, "trust", end) == 20  # the floor: nobody put anything right
    assert _value(BENEFITS, "trust", 400) < 64
    assert _value(BENEFITS, "trust", end, put_right) > _value(BENEFITS, "trust", 400, put_right)


def _value(scenario_id: str, meter: str, at: float, *decisions: tuple) -> float:
    engine = Engine(_loaded(scenario_id).scenario)
    for t, role, action, params in decisions:
        act(engine, t, role, action, **params)
    engine.run_until(at)
    return engine.meters.value(meter, at)
