"""Properties no attack may break, on the flagship and on chat-history-exposure.

(a) Adding a wrong decision — a wrong severity, a wrong cause, an obligation that does not
    apply, a wrong fix — never raises readiness, wherever in time it is added. The base is the
    model team with a random subset of its decisions dropped, but never the team's own
    decisions of the kind being added: a wrong diagnosis must not stand in for a missing right
    one (nor, say, satisfy "diagnose before fixing" where the team never diagnosed).
(b) Moving a decision before its role could know anything never raises readiness. The base
    is the model team with random delays, so some steps are late and the move would earn
    back their lateness if knowability were not checked. "Could know" is read generously from
    the base journal (:func:`attackkit.awareness`), and a move that changes what reaches
    anyone (an early containment triggers its confirmation early) is left out: it would change
    other roles' knowledge, not only the moved decision's.
(c) Delaying a step never raises readiness: the team stalls, every decision from a random
    moment on taken later, and a longer stall never scores more than a shorter one. Random
    subsets are not used here on purpose: from a team that diagnosed before any evidence, a
    delay that lets the evidence arrive first is rightly worth more.
"""

from __future__ import annotations

from dataclasses import replace

from attackkit import awareness, card, case, deliveries, play, team, team_card
from attackparts import applicable_obligations, decision, kind, params, role_for, wrong_option
from drillbook.scenarios.actions import SEVERITIES
from drillbook.scenarios.transcript import Decision, Transcript
from drillbook.simulator.refusals import ActionRejected
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

SCENARIOS = ("airline-pricing-0347", "chat-history-exposure")
# Derandomized, no example database: the same examples on every machine. No shrinking: the
# assertion message already names the decision and the figures, and shrinking a failure
# costs minutes of engine runs.
_RUNS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
WRONG = ("severity", "cause", "obligation", "fix")
# Each wrong decision and the action whose model decisions the base must keep.
KEEPS = {
    "severity": "classify",
    "cause": "diagnose",
    "obligation": "assess_regulatory",
    "fix": "remediate",
}


def _with(sid: str, decisions: list[Decision]) -> Transcript:
    return replace(
        team(sid, "model"),
        decisions=sorted(decisions, key=lambda d: d.at),
        file="",
        document=None,
    )


def _readiness(sid: str, t: Transcript) -> float | None:
    """Readiness of ``t`` played strictly; None if the engine refuses a decision in it."""
    try:
        return card(sid, play(sid, t).events).readiness
    except ActionRejected:
        return None


def _wrong(sid: str, what: str, minute: float) -> Decision:
    """One wrong decision of kind ``what`` at ``minute``, by the role the plan gives it."""
    c = case(sid)
    truth = c.scenario.truth
    if what == "severity":
        # Under-classified: an over-classification is partly right (the plan credits erring
        # on the side of caution), so it is not the wrong decision this property is about.
        sev = SEVERITIES[-1] if truth.severity != SEVERITIES[-1] else SEVERITIES[0]
        return decision(
            minute, role_for(c, "classify"), "classify", severity=sev, types=truth.types
        )
    if what == "cause":
        wrong = next(x.id for x in truth.causes if x.id != truth.root_cause)
        return decision(minute, role_for(c, "diagnose"), "diagnose", root_cause=wrong)
    if what == "obligation":
        # Only obligations that do not apply: claiming every one that does as well would be a
        # partly right assessment, which may earn what a team without one does not.
        claimed = {o.id for o in applicable_obligations(c)}
        extra = next(o.id for o in truth.obligations if o.id not in claimed)
        return decision(
            minute, role_for(c, "assess_regulatory"), "assess_regulatory", obligations=[extra]
        )
    return decision(
        minute, role_for(c, "remediate"), "remediate", option=wrong_option(c), tested=True
    )


@st.composite
def wrong_additions(draw: st.DrawFn) -> tuple[str, str, tuple[bool, ...], int]:
    """(scenario, kind of wrong decision, which model decisions to keep, its minute)."""
    sid = draw(st.sampled_from(SCENARIOS))
    n = len(team(sid, "model").decisions)
    keep = tuple(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    ends = int(case(sid).scenario.ends)
    return sid, draw(st.sampled_from(WRONG)), keep, draw(st.integers(0, ends - 1))


@_RUNS
@given(wrong_additions())
def test_adding_a_wrong_decision_never_raises_readiness(example):
    sid, what, keep, minute = example
    model = team(sid, "model").decisions
    base = [d for d, k in zip(model, keep, strict=True) if k or kind(d) == KEEPS[what]]
    wrong = _wrong(sid, what, minute)
    before = _readiness(sid, _with(sid, base))
    after = _readiness(sid, _with(sid, [*base, wrong]))
    assume(before is not None and after is not None)
    assert after <= before, f"{kind(wrong)} {params(wrong)} at {wrong.at:g}: {before} → {after}"


@st.composite
def delayed_teams(draw: st.DrawFn) -> tuple[str, tuple[int, ...]]:
    """(scenario, how late each model decision is): some up to three hours late, no answer."""
    sid = draw(st.sampled_from(SCENARIOS))
    lates = [
        0 if kind(d) == "answer" else draw(st.sampled_from((0, 0, 30, 90, 180)))
        for d in team(sid, "model").decisions
    ]
    return sid, tuple(lates)


def _played(sid: str, decisions: list[Decision]) -> tuple[float, list] | None:
    try:
        events = play(sid, _with(sid, decisions)).events
    except ActionRejected:
        return None
    return card(sid, events).readiness, events


@_RUNS
@given(delayed_teams(), st.data())
def test_moving_a_decision_before_its_role_could_know_never_raises_readiness(team_, data):
    sid, lates = team_
    model = team(sid, "model").decisions
    base = [d.model_copy(update={"at": d.at + late}) for d, late in zip(model, lates, strict=True)]
    played = _played(sid, base)
    assume(played is not None)
    before, events = played  # type: ignore[misc]
    aware = awareness(events, case(sid).scenario.role_ids)
    movable = [
        i
        for i, d in enumerate(base)
        if kind(d) not in ("answer", "investigate")
        and aware.get(d.role, 0) > 0
        and d.at >= aware[d.role]
    ]
    assume(movable)
    i = data.draw(st.sampled_from(movable))
    d = base[i]
    early = data.draw(st.integers(min_value=0, max_value=int(aware[d.role]) - 1))
    moved = [*base[:i], d.model_copy(update={"at": float(early)}), *base[i + 1 :]]
    result = _played(sid, moved)
    assume(result is not None)
    after, moved_events = result  # type: ignore[misc]
    assume(deliveries(moved_events) == deliveries(events))
    assert after <= before, f"{d.role} {kind(d)} moved {d.at:g} → {early}: {before} → {after}"


@st.composite
def stalls(draw: st.DrawFn) -> tuple[str, float, int, int]:
    sid = draw(st.sampled_from(SCENARIOS))
    times = sorted({d.at for d in team(sid, "model").decisions})
    start = draw(st.sampled_from(times))
    return sid, start, draw(st.integers(1, 24 * 60)), draw(st.integers(1, 24 * 60))


def _stalled(sid: str, start: float, minutes: int) -> Transcript:
    return _with(
        sid,
        [
            d.model_copy(update={"at": d.at + minutes}) if d.at >= start else d
            for d in team(sid, "model").decisions
        ],
    )


@_RUNS
@given(stalls())
def test_a_longer_stall_never_scores_more(example):
    sid, start, shorter, more = example
    base = team_card(sid, "model").readiness
    short = _readiness(sid, _stalled(sid, start, shorter))
    long = _readiness(sid, _stalled(sid, start, shorter + more))
    assume(short is not None and long is not None)
    assert short <= base  # type: ignore[operator]
    assert long <= short, (
        f"stall from {start:g}: {shorter} min → {short}, {shorter + more} → {long}"
    )
