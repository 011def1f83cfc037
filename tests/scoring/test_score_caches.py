"""What the scorer keeps between calls changes no answer.

The plan's timeline is memoised by what it reads of a run, and a live session's own history
is judged for containment without a replay; both must give exactly what working it all out
afresh gives, and neither may be trusted where its premise does not hold.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from drillbook.readiness.runner import Spec, play, shared
from drillbook.readiness.team import TEAMS_DIR, load_team
from drillbook.scenarios import library
from drillbook.scenarios.loader import load
from drillbook.scenarios.transcript import load_transcript
from drillbook.scoring import counterfactual, default_plan, effects, score
from drillbook.scoring.files import scenario_client
from drillbook.simulator.events import Kind
from drillbook.simulator.headless import run_transcript

Event = dict[str, Any]


def _flagship() -> tuple[Any, Any, Any, Any]:
    loaded = load(library.resolve(library.FLAGSHIP))
    plan = default_plan()
    return loaded, plan, scenario_client(loaded.path, loaded.scenario, plan)


def _fresh(loaded: Any, plan: Any, client: Any, events: list[Event]) -> str:
    """The scorecard as a scorer with nothing kept works it out."""
    counterfactual.CHOICES.clear()
    counterfactual.TIMELINES.clear()
    effects._JUDGED.clear()
    return json.dumps(score(loaded.scenario, plan, events, client).to_json())


@pytest.fixture
def plays(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the plan timelines worked out (not found in the memo)."""
    calls: list[int] = []
    real = counterfactual._best

    def counted(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(counterfactual, "_best", counted)
    return calls


def test_a_run_that_chose_alike_reuses_the_timeline_and_scores_as_afresh(
    plays: list[int],
) -> None:
    loaded, plan, client = _flagship()
    base = load_transcript(library.reference_transcript(library.FLAGSHIP))
    first = run_transcript(loaded, base).history()
    _fresh(loaded, plan, client, first)
    assert len(plays) == 1
    # the same choices, one decision a minute later: the plan's timeline keeps choices, not times
    i = next(i for i, d in enumerate(base.decisions) if d.action.action == "acknowledge")
    later = [*base.decisions]
    later[i] = later[i].model_copy(update={"at": later[i].at + 1})
    second = run_transcript(loaded, replace(base, decisions=later)).history()
    assert second != first
    kept = json.dumps(score(loaded.scenario, plan, second, client).to_json())
    assert len(plays) == 1  # found, not worked out again
    assert kept == _fresh(loaded, plan, client, second)


def test_a_run_that_chose_otherwise_is_worked_out_again(plays: list[int]) -> None:
    loaded, plan, client = _flagship()
    base = load_transcript(library.reference_transcript(library.FLAGSHIP))
    _fresh(loaded, plan, client, run_transcript(loaded, base).history())
    # the team's own words in its client notice are a choice the plan's timeline keeps
    i = next(
        i
        for i, d in enumerate(base.decisions)
        if d.action.action == "notify" and getattr(d.action, "audience", None) == "client"
    )
    other = [*base.decisions]
    other[i] = other[i].model_copy(
        update={"action": other[i].action.model_copy(update={"message": "Other."})}
    )
    events = run_transcript(loaded, replace(base, decisions=other)).history()
    kept = json.dumps(score(loaded.scenario, plan, events, client).to_json())
    assert len(plays) == 2
    assert kept == _fresh(loaded, plan, client, events)


def _contains(events: list[Event]) -> list[int]:
    return [
        i
        for i, e in enumerate(events)
        if e["type"] == Kind.DECISION and e["action"] in ("contain", "lift_containment")
    ]


def _both(scenario: Any, events: list[Event]) -> tuple[Any, Any]:
    end = max(float(e["sim"]) for e in events)
    seed = int(events[0].get("seed") or 0)
    effects._JUDGED.clear()
    replayed = effects.containment_effects(scenario, events, end, seed)
    read = effects.containment_effects(scenario, events, end, seed, own_history=True)
    return replayed, read


@pytest.mark.parametrize("path", library.bundled(), ids=lambda p: p.stem)
def test_an_own_history_is_judged_as_its_replay(path: Path) -> None:
    """Every bundled transcript's run, ended and cut short right after each containment."""
    loaded = load(path)
    for transcript_path in sorted(path.parent.glob(f"transcripts/{path.stem}.*.yaml")):
        transcript = load_transcript(transcript_path)
        events = run_transcript(loaded, transcript).history()
        for cut in [*(i + 1 for i in _contains(events)), len(events)]:
            replayed, read = _both(loaded.scenario, events[:cut])
            assert read == replayed


@pytest.mark.parametrize("team", ["article-agency", "on-call-with-backup"])
def test_simulated_nights_are_judged_as_their_replays(team: str) -> None:
    spec = Spec(
        str(library.resolve(library.FLAGSHIP)), load_team(TEAMS_DIR / f"{team}.yaml"), seed=5
    )
    scenario = shared(spec).loaded.scenario
    judged = 0
    for i in range(25):
        events = play(spec, i)[0].history()
        replayed, read = _both(scenario, events)
        assert read == replayed
        judged += bool(replayed)
    assert judged > 0  # nights with a containment to judge


def test_a_journal_read_back_is_replayed_not_trusted() -> None:
    """A containment the engine would refuse (a role not at the table) stops nothing: without
    the caller's word that the events are its own session's, the scorer replays them."""
    loaded, _, _ = _flagship()
    transcript = load_transcript(library.reference_transcript(library.FLAGSHIP))
    events = run_transcript(loaded, transcript).history()
    i = _contains(events)[0]
    forged = [*events[:i], {**events[i], "role": "intruder"}, *events[i + 1 :]]
    end, seed = max(float(e["sim"]) for e in forged), int(events[0]["seed"])
    effects._JUDGED.clear()
    honest = effects.containment_effects(loaded.scenario, events, end, seed)
    judged = effects.containment_effects(loaded.scenario, forged, end, seed)
    seq = events[i]["seq"]
    assert honest[seq].effective
    assert not judged[seq].effective


def test_the_replay_key_is_the_story_whatever_the_line_carries_besides() -> None:
    """A live decision's key (taken by name) is the key of the same line read back from a
    file with its chain and wall time (new objects, a plain string type), and values that
    are equal but read differently (``1`` and ``True``, ``0.0`` and ``-0.0``) key apart."""
    loaded, _, _ = _flagship()
    transcript = load_transcript(library.reference_transcript(library.FLAGSHIP))
    events = run_transcript(loaded, transcript).history()
    read_back = [
        {**e, "wall": 1.5, "hash": "ab", "chain": "cd"}
        for e in json.loads(json.dumps(events))  # no object shared with the live history
    ]
    assert effects._story_key(read_back) == effects._story_key(events)
    i = _contains(events)[0]

    def with_x(value: Any) -> list[Event]:
        return [*events[:i], {**events[i], "params": {**events[i]["params"], "x": value}}]

    keys = [effects._story_key(with_x(v)) for v in (1, True, 1.0, 0.0, -0.0, "1", [1])]
    assert len(set(keys)) == len(keys)
    unpicklable = effects._story_key(with_x(lambda: None))
    assert isinstance(unpicklable[1], str) and unpicklable != effects._story_key(with_x(None))
