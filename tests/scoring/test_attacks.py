"""Every attack of issue 9 on every bundled scenario: no cheap trick scores as readiness.

Each case plays an attack transcript (built by :mod:`attacks` from the scenario's own data)
through the real engine, headless, and scores it with the default plan and the scenario's
client profile, as ``drillbook run`` does. A whole-run cheat must end M or U overall; a single
fault must show the capability it hits below P and a readiness below the model team's. The
bundled teams anchor the scale: each model team P and at least 85, each weak team U, and the
article's own night on the flagship at most 40 with about the article's $2.1 M of impact.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest
from attackkit import FLAGSHIP, SCENARIOS, STRONG, Played, card, case, loaded, play, team, team_card
from attackparts import NotApplicable, contain_rate, harm_meter, ineffective_method
from attacks import ATTACKS, HITS, WHOLE_RUN, misleading_hits
from drillbook.scenarios.actions import parse_action
from drillbook.scenarios.transcript import Decision
from drillbook.scoring import Scorecard

ARTICLE_IMPACT = 2_100_000  # "By then, the airline had absorbed $2.1 million in lost revenue."


@cache
def attacked(scenario_id: str, attack: str) -> tuple[Played, Scorecard]:
    """The attack played and scored once per scenario (``pytest.skip`` if it cannot apply)."""
    try:
        t = ATTACKS[attack](case(scenario_id))
    except NotApplicable as exc:
        pytest.skip(f"{attack} on {scenario_id}: {exc}")
    played = play(scenario_id, t, lenient=True)
    return played, card(scenario_id, played.events)


def _summary(c: Scorecard) -> str:
    caps = ", ".join(f"{k} {v.rating} {v.score:g}" for k, v in c.capabilities.items())
    return f"readiness {c.readiness:g} {c.rating} ({caps})"


@pytest.mark.parametrize("attack", sorted(ATTACKS))
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_the_engine_plays_every_attack(scenario_id: str, attack: str):
    """The generators write decisions the engine takes: only an answer to a question that the
    attack itself stopped from being asked may be refused."""
    played, _ = attacked(scenario_id, attack)
    assert {d.action.action for d in played.refused} <= {"answer"}


@pytest.mark.parametrize("attack", sorted(WHOLE_RUN))
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_a_whole_run_cheat_ends_M_or_U(scenario_id: str, attack: str):
    _, c = attacked(scenario_id, attack)
    assert c.rating in ("M", "U"), _summary(c)


@pytest.mark.parametrize("attack", sorted(HITS))
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_a_single_fault_shows_where_it_hurts(scenario_id: str, attack: str):
    _, c = attacked(scenario_id, attack)
    model = team_card(scenario_id, "model")
    hits = misleading_hits(case(scenario_id)) if attack == "misleading" else HITS[attack]
    rated = {h: c.capabilities[h].rating for h in hits if h in c.capabilities}
    assert rated, f"none of {hits} was exercised; {_summary(c)}"
    assert any(r != "P" for r in rated.values()), f"{rated}; {_summary(c)}"
    assert c.readiness < model.readiness, f"{_summary(c)} against the model's {model.readiness:g}"


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_each_model_team_is_P_and_each_weak_team_U(scenario_id: str):
    model, weak = team_card(scenario_id, "model"), team_card(scenario_id, "weak")
    assert model.rating == "P" and model.readiness >= 85, _summary(model)
    assert weak.rating == "U", _summary(weak)


@pytest.mark.parametrize("scenario_id", STRONG)
def test_a_strong_but_imperfect_team_is_S_between_the_weak_and_the_model(scenario_id: str):
    """A few steps late and one update missed is a team with some challenges, not a P."""
    strong = team_card(scenario_id, "strong")
    weak, model = team_card(scenario_id, "weak"), team_card(scenario_id, "model")
    assert strong.rating == "S", _summary(strong)
    assert weak.readiness < strong.readiness < model.readiness


# What the strong teams change of the model team's: the time of these, nothing else.
RETIMED = {"contain", "notify", "assess_regulatory", "consult", "answer", "status_update"}
WORDS = {"message", "rationale", "re"}  # what was said may follow the new times


@pytest.mark.parametrize("scenario_id", STRONG)
def test_a_strong_team_is_its_model_team_with_steps_late(scenario_id: str):
    """Guards the strong files against drift: when the model team changes (a new decision,
    a test before the fix), the strong team must change with it."""

    def what(d: Decision) -> tuple:
        data = d.action.model_dump(mode="json", by_alias=True, exclude_none=True)
        said = tuple(sorted((k, str(v)) for k, v in data.items() if k not in WORDS))
        return (d.role, said) if d.action.action in RETIMED else (d.at, d.role, said)

    model = Counter(what(d) for d in team(scenario_id, "model").decisions)
    strong = Counter(what(d) for d in team(scenario_id, "strong").decisions)
    assert model - strong == Counter({what(missed_update()): 1})
    assert strong - model == Counter()


def missed_update() -> Decision:
    return Decision(
        at=0,
        role="incident_commander",
        action=parse_action({"action": "status_update", "audience": "response_team"}),
    )


def test_the_articles_night_scores_at_most_40_and_costs_what_the_article_says():
    c = team_card(FLAGSHIP, "article")
    assert c.readiness <= 40, _summary(c)
    money = [line for line in c.impact.values() if line.format == "money"]
    assert len(money) == 1
    assert abs(money[0].actual - ARTICLE_IMPACT) <= 0.15 * ARTICLE_IMPACT


def test_the_attacks_are_built_from_each_scenarios_own_data():
    """Blind claims every obligation and tries every cause the scenario lists, whatever they
    are called; the ineffective method is one its meter says leaves the harm running."""
    for sid in SCENARIOS:
        s = loaded(sid).scenario
        t = ATTACKS["blind"](case(sid))
        said = [d.action.model_dump() for d in t.decisions]
        assert {x.id for x in s.truth.causes} == {
            p["root_cause"] for p in said if p["action"] == "diagnose"
        }
        claimed = next(p["obligations"] for p in said if p["action"] == "assess_regulatory")
        assert set(claimed) == {o.id for o in s.truth.obligations}
        assert all(d.at == 0 for d in t.decisions)
        method, _ = ineffective_method(case(sid))
        assert (contain_rate(harm_meter(s).rates, method) or 1.0) > 0
