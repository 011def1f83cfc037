"""Conditional injects fire exactly when their condition becomes true, once, and never otherwise."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.engine import Engine
from drillbook.simulator.refusals import ActionRejected
from enginekit import act, deliveries, recording

Decision = tuple[float, str, str, dict]


def fired(loaded: LoadedScenario, *decisions: Decision) -> dict[str, list[float]]:
    """Play ``decisions`` and run to the end; inject id → delivery times."""
    engine = Engine(loaded.scenario, seed=1)
    events = recording(engine)
    for at, role, action, params in decisions:
        act(engine, at, role, action, **params)
    engine.finish()
    return deliveries(events)


def inject(id_: str, when: str, extra: str = "") -> str:
    return (
        f"- {{id: {id_}, when: {when}, to: [incident_commander], channel: chat, title: T{extra}}}"
    )


ACK = (0, "on_call", "acknowledge", {})


@pytest.mark.parametrize(
    ("decisions", "expected"),
    [
        ((), [20.0]),
        (((19, "on_call", "acknowledge", {}),), None),
        # canonical order: what is due at +0:20 (the deadline) happens before a decision at +0:20
        (((20, "on_call", "acknowledge", {}),), [20.0]),
        (((21, "on_call", "acknowledge", {}),), [20.0]),  # too late: it already fired
        (((5, "incident_commander", "acknowledge", {}),), [20.0]),  # the wrong role
    ],
)
def test_not_done_by(
    lab: Callable[..., LoadedScenario], decisions: tuple, expected: list[float] | None
) -> None:
    loaded = lab(inject("nag", '{not_done: acknowledge, by: "+0:20", role: on_call}'))
    assert fired(loaded, *decisions).get("nag") == expected


@pytest.mark.parametrize(
    ("decisions", "expected"),
    [
        ((), None),
        (((25, "on_call", "contain", {"method": "fallback"}),), [30.0]),  # + the delay of 5
        (((30, "on_call", "contain", {"method": "take_offline"}),), [35.0]),
        (((35, "on_call", "contain", {"method": "fallback"}),), None),  # after "by"
        (((25, "on_call", "contain", {"method": "rate_limit"}),), None),  # "where" does not match
    ],
)
def test_done_by_with_where_and_delay(
    lab: Callable[..., LoadedScenario], decisions: tuple, expected: list[float] | None
) -> None:
    when = '{done: contain, by: "+0:30", where: {method: [fallback, take_offline]}}'
    loaded = lab(inject("quick", when, ", delay: 5"))
    assert fired(loaded, *decisions).get("quick") == expected


def test_done_without_by_fires_at_the_decision(lab: Callable[..., LoadedScenario]) -> None:
    loaded = lab(inject("noted", "{done: note}"))
    assert fired(loaded, (97.5, "on_call", "note", {"text": "x"})) == {
        "alert": [5.0],
        "choice": [10.0],
        "late": [60.0],
        "noted": [97.5],
    }


@pytest.mark.parametrize(("option", "expected"), [("honour", [12.0]), ("cancel", None)])
def test_chosen(
    lab: Callable[..., LoadedScenario], option: str, expected: list[float] | None
) -> None:
    loaded = lab(inject("honoured", "{chosen: {inject: choice, option: honour}}"))
    answer = (12, "incident_commander", "answer", {"inject": "choice", "option": option})
    assert fired(loaded, answer).get("honoured") == expected


def test_an_answer_before_the_question_arrives_is_refused(
    lab: Callable[..., LoadedScenario],
) -> None:
    engine = Engine(lab().scenario)
    events = recording(engine)
    with pytest.raises(ActionRejected, match="inject 'choice' has not reached incident_commander"):
        act(engine, 9, "incident_commander", "answer", inject="choice", option="honour")
    with pytest.raises(ActionRejected, match="has not reached on_call"):
        act(engine, 11, "on_call", "answer", inject="choice", option="honour")
    assert [e["type"] for e in events] == ["inject_delivered", "inject_delivered"]
    assert engine.state.answers == set()


def test_delivered(lab: Callable[..., LoadedScenario]) -> None:
    loaded = lab(inject("followup", "{delivered: late}", ", delay: 15"))
    assert fired(loaded).get("followup") == [75.0]


def test_investigated_counts_the_finding_not_the_request_nor_a_refusal(
    lab: Callable[..., LoadedScenario],
) -> None:
    loaded = lab(inject("looked", "{investigated: dash, role: technical_lead}"))
    assert fired(loaded, (10, "on_call", "investigate", {"source": "dash"})).get("looked") is None
    got = fired(loaded, (10, "technical_lead", "investigate", {"source": "dash"}))
    assert got["looked"] == [14.0]  # the dashboard takes 4 minutes
    loaded = lab(inject("looked", "{investigated: logs}"))
    assert fired(loaded, (10, "on_call", "investigate", {"source": "logs"})).get("looked") is None


@pytest.mark.parametrize(
    ("decisions", "expected"),
    [
        (
            ((15, "incident_commander", "classify", {"severity": "high", "types": ["data"]}),),
            [15.0],
        ),
        (
            (
                (12, "on_call", "notify", {"audience": "client"}),
                (15, "incident_commander", "classify", {"severity": "high", "types": ["data"]}),
            ),
            None,
        ),
        (
            (
                (12, "on_call", "notify", {"audience": "leadership"}),
                (15, "incident_commander", "classify", {"severity": "high", "types": ["data"]}),
            ),
            [15.0],
        ),
    ],
)
def test_all_and_not(
    lab: Callable[..., LoadedScenario], decisions: tuple, expected: list[float] | None
) -> None:
    when = "{all: [{done: classify}, {not: {done: notify, where: {audience: client}}}]}"
    assert fired(lab(inject("unsent", when)), *decisions).get("unsent") == expected


@pytest.mark.parametrize(
    ("decisions", "expected"),
    [((), [50.0]), (((33, "on_call", "escalate", {"to": "incident_commander"}),), [33.0])],
)
def test_any_with_after(
    lab: Callable[..., LoadedScenario], decisions: tuple, expected: list[float]
) -> None:
    when = '{any: [{done: escalate}, {after: "+0:50"}]}'
    assert fired(lab(inject("either", when)), *decisions).get("either") == expected


def test_a_conditional_inject_fires_once(lab: Callable[..., LoadedScenario]) -> None:
    loaded = lab(inject("noted", "{done: note}"))
    notes = [(t, "on_call", "note", {"text": "x"}) for t in (10, 20, 30)]
    assert fired(loaded, *notes)["noted"] == [10.0]


def test_an_inject_due_at_a_decision_arrives_before_it(lab: Callable[..., LoadedScenario]) -> None:
    # "choice" is due at +0:10: a decision at +0:10 sees it delivered (canonical order)
    loaded = lab(inject("seen", "{all: [{delivered: choice}, {done: note}]}"))
    assert fired(loaded, (10, "on_call", "note", {"text": "x"}))["seen"] == [10.0]


def test_outlook_tells_closed_branches_from_open_ones(lab) -> None:
    """A waiting inject whose condition can no longer hold is 'never'; facts only accumulate."""
    from drillbook.simulator.conditions import outlook
    from drillbook.simulator.engine import Engine
    from enginekit import act

    loaded = lab(
        "- {id: unacked, when: {not_done: acknowledge, by: 30}, to: [on_call], channel: chat, title: U}\n"
        "- {id: quiet, when: {all: [{done: public_statement}, {not: {done: consult}}]}, to: [on_call], channel: chat, title: Q}\n"
        "- {id: fast, when: {done: contain, by: 20}, to: [on_call], channel: chat, title: F}\n"
    )
    engine = Engine(loaded.scenario)
    when = {i.id: i.when for i in loaded.scenario.injects if i.when is not None}

    def look(inject_id: str) -> str:
        return outlook(when[inject_id], engine.state, engine.meters, engine.now)

    assert [look(i) for i in ("unacked", "quiet", "fast")] == ["maybe", "maybe", "maybe"]
    act(engine, 10, "on_call", "acknowledge")
    act(engine, 12, "on_call", "consult", **{"with": "legal_advisor"})
    engine.run_until(25)
    assert look("unacked") == "never"  # acknowledged before +0:30
    assert look("quiet") == "never"  # legal was consulted: a statement now is coordinated
    assert look("fast") == "never"  # +0:20 has passed without containment
    assert not engine.can_still_fire("unacked") and not engine.can_still_fire("fast")
    assert engine.can_still_fire("alert") is False  # a timed inject does not wait on a condition
