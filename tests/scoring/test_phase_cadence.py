"""Cadence that changes with the incident's phase: ``cadence: [{from: …, every: …}]``.

The flagship's model team classifies at +0:14, contains (effectively) at +0:19 and updates
the response team at +1:00, +2:00 and +3:00 before resolving at +3:30. Under the default
plan's hourly cadence that is met; under a half-hourly one it is not, unless the cadence
relaxes to hourly once the harm is contained.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from attackkit import SCENARIOS, case
from attackkit import card as attack_card
from attackkit import play as attack_play
from attackparts import NotApplicable
from attacks import silent
from drillbook.formats.yamlsource import InputError
from drillbook.scoring.plan import ResponsePlan, load_plan
from drillbook.scoring.planwords import rule_text
from drillbook.scoring.scorecard import RuleResult
from scoringkit import card_of, edit, is_, model, plan, play


def with_cadence(**changes: Any) -> ResponsePlan:
    data = plan().model_dump(by_alias=True, exclude_none=True)
    rule = next(r for r in data["rules"] if r["id"] == "status-cadence")
    rule.update(changes)
    return ResponsePlan.model_validate(data)


@cache
def model_events() -> list[dict[str, Any]]:
    return play(model())


def status(p: ResponsePlan, events: list[dict[str, Any]] | None = None) -> RuleResult:
    got = card_of(events or model_events(), with_plan=p).rule("status-cadence")
    assert got is not None
    return got


def test_a_stricter_cadence_alone_runs_late() -> None:
    got = status(with_cadence(every={"critical": "+0:30"}))
    assert got.status == "late"
    assert "(at most 30 min)" in got.detail


def test_the_cadence_relaxes_after_containment() -> None:
    p = with_cadence(every={"critical": "+0:30"}, cadence=[{"from": "containment", "every": 60}])
    got = status(p)
    assert got.status == "met", got.detail
    assert "(at most 30 min, then 1 h from +0:19)" in got.detail
    words = rule_text(p.rule("status-cadence"), p)
    assert "then every 1 h at every severity from containment" in words


def test_an_ineffective_containment_does_not_relax_the_cadence_early() -> None:
    """The cheapest way to a lighter cadence is to call anything a containment at once."""
    p = with_cadence(every={"critical": "+0:30"}, cadence=[{"from": "containment", "every": 60}])
    weak = edit(
        model(),
        change=lambda d: (
            d.model_copy(update={"action": d.action.model_copy(update={"method": "rate_limit"})})
            if is_(d, "contain")
            else d
        ),
    )
    got = status(p, play(weak))
    assert "from +0:19" not in got.detail
    assert got.status != "met"


def test_a_cadence_can_tighten_later_by_duration() -> None:
    # hourly, then half-hourly from an hour after classification (+1:14): the gap from
    # +1:00 to +2:00 runs past +1:44
    p = with_cadence(cadence=[{"from": "+1:00", "every": {"critical": "+0:30"}}])
    got = status(p)
    assert got.status == "late", got.detail
    assert "then 30 min from +1:14" in got.detail


def test_an_unchanged_rule_scores_as_before() -> None:
    assert status(plan()).to_json() == status(with_cadence()).to_json()


@pytest.mark.parametrize(
    ("phase", "words"),
    [
        ({"from": "lunch", "every": 60}, "is neither an anchor nor a duration; expected one of"),
        ({"from": "containment", "every": 0}, "an update every 0 minutes"),
    ],
)
def test_bad_cadence_phases_are_placed(tmp_path: Any, phase: dict[str, Any], words: str) -> None:
    from drillbook.scoring.plan import DEFAULT_PLAN_PATH

    text = DEFAULT_PLAN_PATH.read_text(encoding="utf-8")
    old = '    every: {critical: "+1:00", high: "+4:00"}\n'
    assert text.count(old) == 1
    flow = "{" + ", ".join(f"{k}: {v!r}" for k, v in phase.items()) + "}"
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace(old, old + f"    cadence: [{flow}]\n"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_plan(path)
    problems = [str(p) for p in info.value.problems]
    line = text[: text.index(old)].count("\n") + 2
    assert any(f"plan.yaml:{line}:" in p and words in p for p in problems), problems


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_a_run_without_updates_earns_little_cadence_credit(scenario_id: str) -> None:
    """The ``silent`` attack: no status update at all, and the incident resolved in hours.
    Counting what is owed over the plan's whole week made those silent hours a small share
    of it (0.99 credit); counted to when this run's open period closed, they are most of it."""
    try:
        t = silent(case(scenario_id))
    except NotApplicable as exc:
        pytest.skip(str(exc))
    c = attack_card(scenario_id, attack_play(scenario_id, t, lenient=True).events)
    got = c.rule("status-cadence")
    assert got is not None and got.status in ("late", "missed"), got
    if case(scenario_id).scenario.truth.severity == "critical":  # hourly: several owed
        assert got.credit < 0.5, got.detail
    else:  # one four-hourly update owed, late by a share of the plan's grace
        assert got.credit < 1, got.detail
