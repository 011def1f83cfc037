"""Autopilot responders contain again when the story says the method chosen does not work.

pipeline-failure-0200: the plan's first method (take the system offline) stops the wrong
declines but shows 2,300 stores "financing unavailable"; the client's call about it asks for
containment again, and only blocking the bad inputs stops both harms.
"""

from __future__ import annotations

import random

import pytest
from drillbook.readiness.containment import guide
from drillbook.readiness.runner import Spec, play, run_one
from drillbook.readiness.team import TEAMS_DIR, TeamModel, load_team
from drillbook.scenarios import library, load
from drillbook.simulator.events import Kind

PIPELINE = str(library.resolve("pipeline-failure-0200"))
FLAGSHIP = str(library.resolve(library.FLAGSHIP))
SIGNAL = "financing-off"


def _pipeline_team(*, familiar: bool, wrong: float = 0.25) -> TeamModel:
    """The on-call team with a backup, moved to the pipeline scenario's sources; everyone
    knows the system, or nobody does."""
    base = load_team(TEAMS_DIR / "on-call-with-backup.yaml").model_dump(by_alias=True)
    sources = [s.id for s in load(PIPELINE).scenario.sources]
    base["access"] = {s: {"credentials": "known"} for s in sources}
    base["systems"] = [{"id": "spendline", "sources": sources}]
    for person in base["people"]:
        person["knows"] = ["spendline"] if familiar else []
    base["diagnosis"]["wrong_cause"] = wrong
    return TeamModel.model_validate(base)


def _nights(spec: Spec, runs: int) -> list[list[dict]]:
    return [play(spec, i)[0].history() for i in range(runs)]


def _contains(events: list[dict]) -> list[tuple[float, str, str | None]]:
    return [
        (float(e["sim"]), e["action"], e["params"].get("method"))
        for e in events
        if e["type"] == Kind.DECISION and e["action"] in ("contain", "lift_containment")
    ]


def test_the_guide_reads_which_method_works_from_the_story() -> None:
    g = guide(load(PIPELINE).scenario)
    assert set(g.signals) == {"financing-off", "rollback-no-effect"}
    assert g.signals["financing-off"] == {"take_offline"}
    assert g.effective == ("block_inputs",)
    assert "take_offline" in g.candidates and "rate_limit" not in g.candidates
    assert guide(load(FLAGSHIP).scenario).signals == {}  # the flagship's story never says so


def test_the_next_method_follows_what_the_person_knows() -> None:
    g = guide(load(PIPELINE).scenario)
    rng = random.Random(1)
    assert g.next_method(["take_offline"], True, 1.0, rng) == "block_inputs"
    assert g.next_method(["take_offline"], False, 0.0, rng) == "block_inputs"
    wrong = {g.next_method(["take_offline"], False, 1.0, rng) for _ in range(40)}
    assert wrong and "block_inputs" not in wrong and "take_offline" not in wrong
    assert g.next_method(list(g.candidates), False, 0.5, rng) is None


def test_a_containment_the_story_answers_is_lifted_and_replaced_after_the_story_says_so():
    spec = Spec(PIPELINE, _pipeline_team(familiar=True), seed=4)
    replaced = 0
    for events in _nights(spec, 6):
        contains = _contains(events)
        heard = [
            float(e["sim"])
            for e in events
            if e["type"] == Kind.INJECT_DELIVERED and e.get("inject") == SIGNAL
        ]
        if not heard:  # the team never took it offline tonight: nothing to answer
            assert all(a != "lift_containment" for _, a, _ in contains)
            continue
        assert contains[0][1:] == ("contain", "take_offline")
        lift, again = contains[1], contains[2]
        assert lift[1] == "lift_containment" and again[1:] == ("contain", "block_inputs")
        assert lift[0] == again[0] >= heard[0]  # never before the call reached the team
        replaced += 1
    assert replaced, "some night took the system offline and heard about it"


def test_someone_who_does_not_know_the_system_may_settle_on_a_method_that_does_not_work():
    spec = Spec(PIPELINE, _pipeline_team(familiar=False, wrong=1.0), seed=4)
    seconds = [
        [m for _, a, m in _contains(events) if a == "contain"][1:2] for events in _nights(spec, 6)
    ]
    assert any(seconds)
    assert all(s[0] != "block_inputs" for s in seconds if s)


def test_time_to_contain_is_when_a_containment_stopped_the_harm() -> None:
    spec = Spec(PIPELINE, _pipeline_team(familiar=True), seed=4)
    for i in range(4):
        events = play(spec, i)[0].history()
        result = run_one(spec, i)
        contains = [(t, m) for t, a, m in _contains(events) if a == "contain"]
        working = [t for t, m in contains if m == "block_inputs"]
        if working:
            assert result.times["contain"] == pytest.approx(working[0])
            assert result.times["contain"] > contains[0][0]  # not when it was taken offline
        else:  # the harm was never stopped: the night was never contained
            assert result.times["contain"] is None


@pytest.mark.parametrize("team", ["article-agency", "on-call-with-backup"])
def test_the_flagships_nights_never_contain_again(team: str) -> None:
    spec = Spec(FLAGSHIP, load_team(TEAMS_DIR / f"{team}.yaml"), seed=2)
    for events in _nights(spec, 6):
        assert [a for _, a, _ in _contains(events)] == ["contain"]
