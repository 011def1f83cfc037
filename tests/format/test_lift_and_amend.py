"""``lift_containment`` undoes a containment (the harm resumes); ``amend`` corrects an earlier
message. LAB's ``units`` stop at 0/min once taken offline, 5/min while rate-limited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from drillbook.scenarios.conditions import Done
from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.conditions import outlook
from drillbook.simulator.engine import Engine
from drillbook.simulator.refusals import ActionRejected
from enginekit import act, deliveries, recording


def test_lifting_a_containment_restarts_the_harm(lab: Callable[..., LoadedScenario]) -> None:
    engine = Engine(lab().scenario)
    act(engine, 20, "technical_lead", "contain", method="take_offline")  # 200 units, stopped
    act(engine, 40, "technical_lead", "lift_containment")
    assert engine.meters.value("units", 40) == pytest.approx(200)
    assert engine.meters.value("units", 50) == pytest.approx(400)  # 20/min again (after +0:30)
    act(engine, 50, "technical_lead", "contain", method="rate_limit")
    assert engine.meters.value("units", 60) == pytest.approx(450)  # 5/min: contained again


def test_a_lift_naming_a_method_lifts_only_that_one(lab: Callable[..., LoadedScenario]) -> None:
    engine = Engine(lab().scenario)
    act(engine, 20, "technical_lead", "contain", method="rate_limit")
    act(engine, 25, "technical_lead", "contain", method="take_offline")
    act(engine, 40, "technical_lead", "lift_containment", method="take_offline")
    # the rate limit is still in force: 5/min from +0:40
    assert engine.meters.value("units", 50) == pytest.approx(engine.meters.value("units", 40) + 50)


def test_an_inject_waiting_on_no_containment_fires_after_a_lift(
    lab: Callable[..., LoadedScenario],
) -> None:
    loaded = lab(
        """
        - {id: relapse, when: {all: [{after: "+0:30"}, {not: {done: contain}}]}, to: [on_call], channel: meeting, title: Relapse}
        """
    )
    engine = Engine(loaded.scenario)
    events = recording(engine)
    act(engine, 20, "technical_lead", "contain", method="fallback")
    engine.run_until(35)
    assert "relapse" not in deliveries(events)
    inj = loaded.scenario.inject("relapse")
    # the MSEL reads the containment as settled, as things stand …
    assert inj is not None and outlook(inj.when, engine.state, engine.meters, 35) == "never"
    act(engine, 45, "technical_lead", "lift_containment")
    engine.run_until(50)
    assert deliveries(events)["relapse"] == [45]
    # … and once one has been lifted, a containment no longer closes a branch for good
    act(engine, 55, "technical_lead", "contain", method="fallback")
    assert outlook(Done(done="contain"), engine.state, engine.meters, 56) == "maybe"


@pytest.mark.parametrize(
    ("action", "params", "words"),
    [
        ("lift_containment", {}, "nothing is in force; expected an earlier contain"),
        ("lift_containment", {"method": "fallback"}, "no fallback containment is in force"),
        ("amend", {"of": "notify"}, "there is no earlier notify to amend"),
    ],
)
def test_nothing_to_lift_or_amend_is_refused(
    lab: Callable[..., LoadedScenario], action: str, params: dict, words: str
) -> None:
    engine = Engine(lab().scenario)
    if params:  # something else is contained, but not what the lift names
        act(engine, 10, "technical_lead", "contain", method="rate_limit")
    with pytest.raises(ActionRejected, match=words):
        act(engine, 20, "incident_commander", action, **params)


def test_an_amendment_follows_the_message_it_corrects(lab: Callable[..., LoadedScenario]) -> None:
    engine = Engine(lab().scenario)
    act(engine, 10, "incident_commander", "notify", audience="regulator", regulator="dpc")
    event = act(engine, 30, "incident_commander", "amend", of="notify", regulator="dpc")
    assert event["params"] == {"of": "notify", "regulator": "dpc"}
