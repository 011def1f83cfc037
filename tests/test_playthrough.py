"""What a headless run prepares once and does a stretch at a time leaves every run exactly as
one command at a time through the session's door did: decisions played as steps
(``Engine.play``) against ``Session.apply``, the meters started from the scenario's book
(``MeterBook.fresh``) against reading every meter again, the opening's deliveries done
by the cursor itself against ``_deliver_due``, and a scripted delivery copied from its
head against building it key by key. Journals are compared whole, keys in their order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios import library
from drillbook.scenarios.actions import params_of
from drillbook.scenarios.loader import LoadedScenario, load
from drillbook.scenarios.transcript import Transcript, check_against, load_transcript
from drillbook.simulator.commands import Decide, Record
from drillbook.simulator.engine import Engine
from drillbook.simulator.headless import run_transcript
from drillbook.simulator.index import index_of
from drillbook.simulator.meters import MeterBook
from drillbook.simulator.playthrough import StepRefused, step_of
from drillbook.simulator.refusals import ActionRejected
from drillbook.simulator.session import RunSettings, Session
from enginekit import recording

TRANSCRIPTS = sorted(
    (Path(library.__file__).parent.parent / "data/scenarios/transcripts").glob("*.yaml")
)


def _through_the_door(loaded: LoadedScenario, t: Transcript, seed: int) -> Session:
    """A headless run as it was: every entry applied through ``Session.apply``."""
    check_against(t, loaded.scenario)
    session = Session(loaded, RunSettings(seed=seed, mode="headless"))
    session.start()
    for d in sorted([*t.decisions, *t.records], key=lambda step: (step.at, step.entry)):
        if hasattr(d, "action"):
            command: Decide | Record = Decide(d.role, d.action)
        else:
            command = Record(d.type, dict(d.fields))
        session.apply(command, at=d.at)
    session.end()
    return session


def _whole(session: Session) -> str:
    return json.dumps([session.history(), session.snapshot().meters])  # keys in their order


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.name)
def test_a_played_transcript_journals_what_the_door_does(path: Path) -> None:
    loaded = load(library.resolve(path.name.split(".")[0]))
    t = load_transcript(path)
    for seed in (1, 7):  # a source's jitter draws differently
        door = _whole(_through_the_door(loaded, t, seed))
        assert _whole(run_transcript(loaded, t, RunSettings(seed=seed, mode="headless"))) == door
        # and again, from the steps the first run kept
        assert _whole(run_transcript(loaded, t, RunSettings(seed=seed, mode="headless"))) == door


def _early_answer() -> tuple[LoadedScenario, Transcript]:
    """The flagship's model team, with its first answer given before the question reached it."""
    loaded = load(library.resolve(library.FLAGSHIP))
    t = load_transcript(library.reference_transcript(library.FLAGSHIP))
    first = next(i for i, d in enumerate(t.decisions) if d.action.action == "answer")
    early = t.decisions[first].model_copy(update={"at": 30.0})
    decisions = sorted([*t.decisions[:first], early, *t.decisions[first + 1 :]], key=lambda d: d.at)
    return loaded, Transcript(t.scenario, decisions, file=t.file)


def test_a_refused_step_is_refused_as_at_the_door() -> None:
    loaded, t = _early_answer()
    with pytest.raises(ActionRejected) as door:
        _through_the_door(loaded, t, 1)
    with pytest.raises(InputError) as played:
        run_transcript(loaded, t, RunSettings(seed=1, mode="headless"))
    [problem] = played.value.problems
    assert str(problem).endswith(f"+0:30 incident_commander answer: {door.value}")


def test_play_is_submit_a_step_at_a_time() -> None:
    """At the engine: the same events and state, and the same refusal at the same step with
    the decisions before it applied."""
    loaded, t = _early_answer()
    check_against(t, loaded.scenario)
    one, many = Engine(loaded.scenario, seed=1), Engine(loaded.scenario, seed=1)
    by_one, by_many = recording(one), recording(many)
    refused_at = None
    for i, d in enumerate(t.decisions):
        try:
            one.submit(d.role, d.action, at=d.at, checked=True)
        except ActionRejected as exc:
            refused_at, refusal = i, str(exc)
            break
    steps = [step_of(d.at, d.role, d.action, params_of(d.action)) for d in t.decisions]
    with pytest.raises(StepRefused) as info:
        many.play(steps)
    assert (info.value.step, str(info.value.refusal)) == (refused_at, refusal)
    assert by_many == by_one and many.state == one.state
    assert many._seq == one._seq and many.now == one.now


def test_play_stops_where_a_step_is_not_a_decision() -> None:
    loaded = load(library.resolve(library.FLAGSHIP))
    t = load_transcript(library.reference_transcript(library.FLAGSHIP))
    engine = Engine(loaded.scenario)
    steps = [step_of(d.at, d.role, d.action, {}) for d in t.decisions[:3]]
    assert engine.play([*steps[:2], None, steps[2]]) == 2
    assert engine.play([*steps[:2], None, steps[2]], 3) == 4
    assert [r.action for r in engine.state.actions] == [d.action.action for d in t.decisions[:3]]


def test_a_fresh_book_is_a_new_one() -> None:
    scenario = load(library.resolve(library.FLAGSHIP)).scenario
    start = index_of(scenario).starting_book
    assert start is not None
    fresh, new = start.fresh(), MeterBook(scenario.meters)
    assert vars(fresh)["_seg"] == vars(new)["_seg"] and fresh.values(0) == new.values(0)
    assert fresh._defs == new._defs and fresh._derived == new._derived
    fresh.set_rate("tickets_sold", 10.0, 1.0)  # its own from then on, the scenario's untouched
    new.set_rate("tickets_sold", 10.0, 1.0)
    assert fresh.values(100) == new.values(100) != start.values(100)
    assert start.fresh().values(100) == MeterBook(scenario.meters).values(100)


def test_every_opening_delivery_is_its_own_scripted_entry() -> None:
    """What the cursor relies on to deliver an opening item itself: the entry that holds the
    item's token is a scripted delivery of the item's inject (tokens are never reused)."""
    for path in library.bundled():
        opening = index_of(load(path).scenario).opening
        tokens = [item[3] for item in opening.items if item[2] is not None]
        assert len(set(tokens)) == len(tokens) and max(tokens, default=0) <= opening.tokens
        for _, _, key, token, _ in opening.items:
            if key is not None:
                p = opening.pending[key]
                assert (p.token, p.kind, p.payload) == (token, "scripted", {"inject": key})


def test_a_scripted_delivery_from_its_head_is_the_one_built_key_by_key() -> None:
    for path in library.bundled():
        scenario = load(path).scenario
        index = index_of(scenario)
        headed, built = Engine(scenario), Engine(scenario)
        by_head, by_keys = recording(headed), recording(built)
        for minute, inj in enumerate(i for i in scenario.injects if i.at is not None):
            for engine in (headed, built):
                engine.run_until(float(minute * 7))  # the meters moved on: texts filled anew
            headed._deliver_scripted(index.delivery(inj.id))
            built._deliver(
                inj.id,
                "scripted",
                to=list(inj.to),
                channel=inj.channel,
                title=built._render(inj.title),
                body=built._render(inj.body),
                **index.delivery_extra(inj),
            )
        assert [list(e.items()) for e in by_head] == [list(e.items()) for e in by_keys]
        assert by_head and headed.state == built.state
