"""What pydantic used to check on every Scorecard, now proved of the scorer's own cards.

The card's records are plain dataclasses (see ``scoring.scorecard``): nothing validates them
as they are made, so the promises their fields make — credit 0–1, readiness and scores
0–100, statuses and ratings from their lists, a float wherever a field says float (a whole
number must not slip through as an int: the JSON would read ``5`` for ``5.0``) — are checked
here over every bundled scenario's teams, every attack script on every bundled scenario,
and runs cut short at random moments (a provisional card: pending rules, overdue credit).
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from functools import cache
from typing import Any

import pytest
from attackkit import SCENARIOS, card, case, play, team
from attackparts import NotApplicable
from attacks import ATTACKS
from drillbook.formats.errors import InputError
from drillbook.scenarios import library
from drillbook.scoring.scorecard import (
    RATINGS,
    STATUS_ORDER,
    CapabilityResult,
    DecisionVerdict,
    ImpactLine,
    RatingOverride,
    RuleResult,
    Scorecard,
    Verdict,
)
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

# Each record's fields that hold a number, and whether None is allowed.
FLOATS: dict[type, dict[str, bool]] = {
    RuleResult: {
        "credit": False,
        "weight": False,
        "due_min": True,
        "done_min": True,
        "late_by": True,
    },
    Verdict: {"credit": False, "late_by": True},
    DecisionVerdict: {"sim": False},
    RatingOverride: {"sim": True},
    CapabilityResult: {"score": False, "computed_score": True},
    ImpactLine: {"actual": False, "counterfactual": False},
    Scorecard: {"readiness": False, "computed_readiness": True},
}
RANGES: dict[tuple[type, str], tuple[float, float]] = {
    (RuleResult, "credit"): (0.0, 1.0),
    (Verdict, "credit"): (0.0, 1.0),
    (CapabilityResult, "score"): (0.0, 100.0),
    (CapabilityResult, "computed_score"): (0.0, 100.0),
    (Scorecard, "readiness"): (0.0, 100.0),
    (Scorecard, "computed_readiness"): (0.0, 100.0),
}
STATUSES = frozenset(STATUS_ORDER)


def _records(c: Scorecard) -> list[Any]:
    out: list[Any] = [c, *c.rules, *c.capabilities.values(), *c.impact.values()]
    out += [o.override for o in c.capabilities.values() if o.override is not None]
    for d in c.decisions:
        out += [d, *d.verdicts]
    return out


def problems(c: Scorecard) -> list[str]:
    """Every broken promise of a card, one line each (empty: it keeps them all)."""
    found: list[str] = []
    for rec in _records(c):
        name = type(rec).__name__
        for f, optional in FLOATS[type(rec)].items():
            v = getattr(rec, f)
            if v is None and optional:
                continue
            if type(v) is not float or math.isnan(v):
                found.append(f"{name}.{f}: {v!r} is not a float")
                continue
            low, high = RANGES.get((type(rec), f), (-math.inf, math.inf))
            if not low <= v <= high:
                found.append(f"{name}.{f}: {v!r} outside {low:g}–{high:g}")
        if hasattr(rec, "status") and rec.status not in STATUSES:
            found.append(f"{name}.status: {rec.status!r}")
        for f in ("rating", "computed_rating"):
            v = getattr(rec, f, "P")
            if v not in RATINGS and not (v is None and isinstance(rec, Scorecard)):
                found.append(f"{name}.{f}: {v!r}")
    for d in c.decisions:
        if type(d.seq) is not int:
            found.append(f"DecisionVerdict.seq: {d.seq!r}")
    for r in c.rules:
        if type(r.missed_clock) is not bool or not all(type(s) is int for s in r.decisions):
            found.append(f"RuleResult {r.id}: missed_clock or decisions mistyped")
    try:
        json.dumps(c.to_json(), allow_nan=False)
    except (TypeError, ValueError) as exc:
        found.append(f"to_json: {exc}")
    return found


def _has_team(scenario_id: str, kind: str) -> bool:
    try:
        return library.reference_transcript(scenario_id, kind).exists()
    except InputError:  # no such bundled team for this scenario
        return False


TEAMS = [
    (sid, kind)
    for sid in SCENARIOS
    for kind in ("model", "weak", "strong", "article")
    if _has_team(sid, kind)
]


@cache
def _played(scenario_id: str, kind: str) -> list[dict[str, Any]]:
    return play(scenario_id, team(scenario_id, kind)).events


@pytest.mark.parametrize(("scenario_id", "kind"), TEAMS)
def test_every_bundled_teams_card_keeps_its_promises(scenario_id: str, kind: str) -> None:
    assert problems(card(scenario_id, _played(scenario_id, kind))) == []


@pytest.mark.parametrize("attack", sorted(ATTACKS))
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_attacks_card_keeps_its_promises(scenario_id: str, attack: str) -> None:
    try:
        t = ATTACKS[attack](case(scenario_id))
    except NotApplicable:
        pytest.skip(f"{attack} does not apply to {scenario_id}")
    assert problems(card(scenario_id, play(scenario_id, t, lenient=True).events)) == []


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    team_at=st.sampled_from(TEAMS),
    cut=st.floats(0.0, 1.0),
)
def test_a_card_of_a_run_in_progress_keeps_its_promises(
    team_at: tuple[str, str], cut: float
) -> None:
    """Play stopped anywhere: pending rules, overdue credit still being earned."""
    events = _played(*team_at)
    c = card(team_at[0], events[: max(1, int(len(events) * cut))])
    assert problems(c) == []


def test_a_broken_card_is_caught() -> None:
    """The check itself can fail: a credit above 1, an int where a float is promised."""
    good = card("airline-pricing-0347", _played("airline-pricing-0347", "model"))
    assert problems(good) == []
    bad_rule = replace(good.rules[0], credit=1.5)
    bad_line = next(iter(good.impact.values()))
    bad = replace(
        good,
        rules=[bad_rule, *good.rules[1:]],
        impact={bad_line.meter: replace(bad_line, actual=3)},
        rating="Q",
    )
    found = problems(bad)
    assert any("RuleResult.credit" in p for p in found)
    assert any("ImpactLine.actual: 3 is not a float" in p for p in found)
    assert any("Scorecard.rating: 'Q'" in p for p in found)
