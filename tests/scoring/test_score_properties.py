"""Properties of the scorer, on journals derived from the flagship's two teams.

Delaying a step never helps. The domain is the model team and the article's story on purpose.
Neither can *undo* a violation by a delay: the model team breaks no rule, and the story never
preserves evidence at all. Elsewhere a delay can help, rightly: moving a rollback past the
moment evidence is preserved removes a precedence violation — the plan rewards that order,
which is not "doing a step later raising the score".
"""

from __future__ import annotations

import json
from functools import cache

from drillbook.formats.yamlsource import InputError
from drillbook.scenarios.transcript import Transcript
from drillbook.scoring import Scorecard
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scoringkit import article, card_of, edit, model, play

TEAMS = {"model": model, "article": article}
_RUNS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
MINUTES = st.integers(min_value=1, max_value=30 * 24 * 60)  # up to a month


@cache
def _base(team: str) -> Scorecard:
    return card_of(play(TEAMS[team]()))


def _delayed(t: Transcript, index: int, minutes: float) -> list | None:
    """``t`` with decision ``index`` taken ``minutes`` later, played; None if the engine then
    refuses a decision (answering the client before the client has called)."""
    target = t.decisions[index]

    def change(d):
        return d.model_copy(update={"at": d.at + minutes}) if d is target else d

    try:
        return play(edit(t, change=change))
    except InputError:
        return None


@st.composite
def delays(draw: st.DrawFn) -> tuple[str, int, int]:
    team = draw(st.sampled_from(sorted(TEAMS)))
    index = draw(st.integers(min_value=0, max_value=len(TEAMS[team]().decisions) - 1))
    return team, index, draw(MINUTES)


def _counted(team: str, index: int) -> bool:
    """Whether decision ``index`` of a team earned anything at its own time: one made before
    the team could know earns nothing, and delaying it until the team could is not a delay of
    a step but the step finally being possible (its own property covers that)."""
    base = _base(team)
    d = TEAMS[team]().decisions[index]
    return any(
        x.counted and x.sim == d.at and x.role == d.role and x.action == d.action.action
        for x in base.decisions
    )


@_RUNS
@given(delays())
def test_delaying_any_one_action_never_raises_readiness(case):
    team, index, minutes = case
    assume(_counted(team, index))
    events = _delayed(TEAMS[team](), index, minutes)
    assume(events is not None)
    card, base = card_of(events), _base(team)
    assert card.readiness <= base.readiness
    for r in card.rules:  # nor does any single rule earn more for it
        before = base.rule(r.id)
        if before.status != "not_applicable" and r.status != "not_applicable":
            assert r.credit <= before.credit, r.id


@_RUNS
@given(delays(), MINUTES)
def test_a_longer_delay_never_scores_more_than_a_shorter_one(case, more):
    team, index, minutes = case
    assume(_counted(team, index))
    t = TEAMS[team]()
    shorter, longer = _delayed(t, index, minutes), _delayed(t, index, minutes + more)
    assume(shorter is not None and longer is not None)
    assert card_of(longer).readiness <= card_of(shorter).readiness


@_RUNS
@given(delays())
def test_the_same_journal_always_gives_the_same_scorecard(case):
    team, index, minutes = case
    events = _delayed(TEAMS[team](), index, minutes)
    assume(events is not None)
    one = card_of(events)
    # the journal as written and read back (JSON lines), and scored a second time
    again = card_of([json.loads(json.dumps(e)) for e in events])
    assert one == again
    assert json.dumps(one.to_json()) == json.dumps(again.to_json())  # the same bytes, key order too
    assert json.dumps(one.to_json()) == json.dumps(card_of(events).to_json())
