"""The flagship scored: the model team, the article's own story, and single-fault variants.

Each variant is the model team with one thing done wrong; it must lose credit on the rule
that names that thing and on no other rule (the exact set of changed rules is asserted).
"""

from __future__ import annotations

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios.transcript import Transcript
from drillbook.scoring import score
from drillbook.scoring.client import ClientObligation
from scoringkit import (
    article,
    card_of,
    changed,
    edit,
    flagship,
    is_,
    model,
    plan,
    play,
    skylark,
    with_params,
)


@pytest.fixture(scope="module")
def model_card():
    return card_of(play(model()))


def test_model_team_scores_high_with_p_or_s(model_card):
    assert model_card.readiness >= 85
    assert model_card.rating in ("P", "S")
    assert model_card.severity == "critical"
    assert model_card.client == "skylark-regional"
    assert {r.status for r in model_card.rules} <= {"met", "not_applicable"}


def test_article_story_scores_low_with_m_or_u():
    card = card_of(play(article()))
    assert card.readiness <= 40
    assert card.rating in ("M", "U")
    status = {r.id: r.status for r in card.rules}
    # "no containment plan, no evidence preserved, no review"
    assert status["contain"] == "missed"
    assert status["preserve-evidence"] == "missed"
    assert status["preserve-evidence-before-changes"] == "violated"
    # no resolution of record (resolved without a verified fix), so the review is not due yet
    assert status["post-incident-review"] == "pending"
    # "nobody acts before 07:30"
    assert status["acknowledge-alert"] == "late"
    assert card.rule("acknowledge-alert").credit == 0
    # "four hours to root cause": still inside the plan's 24-hour investigation window
    assert status["diagnose-root-cause"] == "met"
    # "another three to a fix", untested: it does not count as the plan's tested fix
    fix = card.rule("implement-fix")
    assert fix.status == "missed" and "tested" in fix.detail


def _late_containment(t: Transcript) -> Transcript:
    return edit(t, change=lambda d: d.model_copy(update={"at": 90.0}) if is_(d, "contain") else d)


def _rollback_before_evidence(t: Transcript) -> Transcript:
    def change(d):
        if is_(d, "contain"):
            return with_params(d, method="rollback")
        if is_(d, "preserve_evidence"):
            return d.model_copy(update={"at": 21.0})  # after the rollback at +0:19
        return d

    return edit(t, change=change)


def _low_instead_of_critical(t: Transcript) -> Transcript:
    return edit(t, change=lambda d: with_params(d, severity="low") if is_(d, "classify") else d)


def _client_never_told(t: Transcript) -> Transcript:
    # Without the call, the client's duty manager never rings back, so there is no question
    # to answer either: the model team's answer to it goes with the notice.
    return edit(
        t,
        keep=lambda d: (
            not is_(d, "notify", audience="client")
            and not is_(d, "answer", inject="client-duty-manager")
        ),
    )


def _statement_without_legal(t: Transcript) -> Transcript:
    return edit(t, keep=lambda d: not is_(d, "consult", **{"with": "legal_advisor"}))


VARIANTS = {
    "late containment": (_late_containment, {"contain"}),
    "rollback before evidence": (
        _rollback_before_evidence,
        {"preserve-evidence-before-changes"},
    ),
    # An under-classification is wrong, so it does not stop the classification clock either.
    "low instead of critical": (
        _low_instead_of_critical,
        {"severity-matches-truth", "classify-severity"},
    ),
    # The flagship's client contract makes the one-hour notice an obligation too.
    "client never told": (_client_never_told, {"notify-client", "notification-clocks"}),
    "public statement without legal": (
        _statement_without_legal,
        {"public-statement-coordinated"},
    ),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_single_fault_loses_on_its_rule_and_nowhere_else(name, model_card):
    build, expected = VARIANTS[name]
    card = card_of(play(build(model())))
    assert changed(model_card, card) == expected
    for rule_id in expected:
        assert card.rule(rule_id).credit < model_card.rule(rule_id).credit
    assert card.readiness < model_card.readiness


def test_late_containment_is_late_by_the_right_amount():
    card = card_of(play(_late_containment(model())))
    r = card.rule("contain")
    assert r.status == "late"
    assert (r.due, r.done) == ("+1:06", "+1:30")  # awareness +0:06, window one hour
    assert r.late_by == 24
    # linear to nothing at due + max(60 × 2, 30) minutes: 1 − 24/120
    assert r.credit == pytest.approx(0.8)


def test_violations_cap_the_capability_rating():
    card = card_of(play(_rollback_before_evidence(model())))
    evidence = card.capabilities["evidence"]
    assert evidence.score == pytest.approx(100 * 1 / 3, abs=0.1)  # weights 1 and 2
    assert evidence.computed_rating == "U"
    # with the guard weighing little, the score alone would rate communication S…
    light = plan().model_copy(
        update={
            "rules": [
                r.model_copy(update={"weight": 1.0})
                if r.id == "public-statement-coordinated"
                else r
                for r in plan().rules
            ]
        }
    )
    card = card_of(play(_statement_without_legal(model())), with_plan=light)
    comms = card.capabilities["communication"]
    assert light.ratings.rate(comms.score) == "S"
    assert comms.computed_rating == "M"  # …but a broken guard caps it at M


def test_under_classifying_costs_more_than_over_classifying():
    def classified(sev: str) -> float:
        t = edit(
            model(), change=lambda d: with_params(d, severity=sev) if is_(d, "classify") else d
        )
        return card_of(play(t)).rule("severity-matches-truth").credit

    # the truth is critical: nothing is above it, so compare one level under with a high truth
    assert classified("high") < 1
    assert classified("low") < classified("medium") < classified("high")


def test_decision_log_names_injects_plan_steps_and_verdicts(model_card):
    events = play(model())
    actions = [e for e in events if e["type"] == "action_taken"]
    assert [d.seq for d in model_card.decisions] == [e["seq"] for e in actions]
    by_action = {d.action: d for d in reversed(model_card.decisions)}
    contain = by_action["contain"]
    assert contain.re == "booking-spike"  # declared with `re`
    assert contain.plan_step.startswith("Contain.")
    assert {v.rule for v in contain.verdicts} == {"contain", "preserve-evidence-before-changes"}
    assert all(v.status == "met" for v in contain.verdicts)
    # inferred: the on-call's first investigation answers the alert that expects it
    assert by_action["investigate"].re == "anomaly-alert"
    assert by_action["answer"].re == "client-duty-manager"
    classify = by_action["classify"]
    assert classify.at == "+0:14" and classify.role == "incident_commander"
    assert {v.rule for v in classify.verdicts} == {"classify-severity", "severity-matches-truth"}


def test_a_late_decision_says_how_late():
    card = card_of(play(_late_containment(model())))
    contain = next(d for d in card.decisions if d.action == "contain")
    verdict = next(v for v in contain.verdicts if v.rule == "contain")
    assert (verdict.status, verdict.late_by) == ("late", 24)
    assert "24 min late" in verdict.note


def test_impact_and_the_plans_timeline(model_card):
    # the flagship's calibration: 60 tickets a minute, 110 after +0:40, $140 lost on each
    model_lost = model_card.impact["revenue_lost"]
    assert model_lost.actual == 1140 * 140  # contained at +0:19
    # on the plan's timeline containment comes at its deadline, +1:06
    assert model_lost.counterfactual == (40 * 60 + 26 * 110) * 140
    story = card_of(play(article())).impact["revenue_lost"]
    assert story.actual == 2_100_000  # the article's figure
    assert story.counterfactual == model_lost.counterfactual


def test_critical_path_follows_the_plans_order(model_card):
    path = model_card.critical_path
    assert path[0] == "acknowledge-alert"
    for earlier, later in [
        ("preserve-evidence", "diagnose-root-cause"),
        ("implement-fix", "verify-fix"),
        ("resolve-incident", "post-incident-review"),
        ("action-items-owned", "final-report"),
    ]:
        assert path.index(earlier) < path.index(later)


def test_client_profile_tightens_windows():
    notify_late = edit(
        model(),
        keep=lambda d: not is_(d, "answer"),  # the duty manager now calls back after +0:45
        change=lambda d: (
            d.model_copy(update={"at": 50.0}) if is_(d, "notify", audience="client") else d
        ),
    )
    events = play(notify_late)
    # Skylark wants the first call within 30 minutes; the plan allows an hour
    assert card_of(events).rule("notify-client").status == "late"
    assert card_of(events, client=False).rule("notify-client").status == "met"
    report_late = edit(
        model(),
        change=lambda d: d.model_copy(update={"at": 250 * 60.0}) if is_(d, "final_report") else d,
    )
    events = play(report_late)
    # the contract's ten days (an SLA naming the rule) against the plan's two weeks
    assert card_of(events).rule("final-report").status == "late"
    assert card_of(events, client=False).rule("final-report").status == "met"


def test_client_obligation_makes_an_obligation_apply():
    profile = skylark().model_copy(
        update={"obligations": [ClientObligation(id="gdpr-art33-breach", regime="GDPR Art. 33")]}
    )
    card = score(flagship().scenario, plan(), play(model()), profile)
    assert card.rule("regulatory-assessment-matches").status == "violated"
    clocks = card.rule("notification-clocks")
    assert clocks.status == "missed" and "GDPR" in clocks.detail


def test_evaluator_ratings_notes_and_lessons(model_card):
    events = play(model())
    end = events[-1]["sim"]
    events = [
        *events[:-1],
        {"seq": 900, "type": "rating", "sim": end, "capability": "containment", "rating": "S", "note": "slow to agree the method"},
        {"seq": 901, "type": "evaluator_note", "sim": end, "capability": "containment", "text": "fallback chosen well"},
        {"seq": 902, "type": "lesson", "sim": end, "capability": "learning", "text": "book the review at once"},
        events[-1],
    ]  # fmt: skip
    card = card_of(events)
    cap = card.capabilities["containment"]
    assert (cap.rating, cap.computed_rating) == ("S", "P")
    assert cap.override.note == "slow to agree the method"
    assert cap.notes == ["fallback chosen well"]
    assert card.capabilities["learning"].lessons == ["book the review at once"]
    # An evaluator's rating feeds readiness (its capability's score moves into the S band);
    # what the rules alone gave stays beside it.
    assert card.computed_readiness == model_card.readiness
    assert card.readiness < model_card.readiness
    assert card.capabilities["containment"].score == model_card.capabilities["containment"].score


def test_rating_for_a_capability_the_plan_lacks_is_left_out():
    # e.g. a journal rated under another plan, scored against this one: still scorable
    events = play(model())
    events.insert(5, {"seq": 999, "type": "rating", "sim": 10, "capability": "luck", "rating": "U"})
    card = score(flagship().scenario, plan(), events, source="run.jsonl")
    plain = score(flagship().scenario, plan(), play(model()), source="run.jsonl")
    assert "luck" not in card.capabilities
    assert card.readiness == plain.readiness
    assert card.capabilities == plain.capabilities


def test_a_rating_that_is_not_p_s_m_or_u_is_a_placed_error():
    events = play(model())
    events.insert(
        5, {"seq": 999, "type": "rating", "sim": 10, "capability": "containment", "rating": "A"}
    )
    with pytest.raises(InputError) as exc:
        score(flagship().scenario, plan(), events, source="run.jsonl")
    assert str(exc.value).startswith("run.jsonl:6:1: event 999 (rating): rating 'A'")


def test_a_run_in_progress_is_scored_on_what_is_due_so_far():
    events = [e for e in play(model()) if e["sim"] <= 30 and e["type"] != "run_ended"]
    card = card_of(events)
    status = {r.id: r.status for r in card.rules}
    assert status["contain"] == "met"  # done at +0:19
    assert status["diagnose-root-cause"] == "pending"  # due +24:06, not yet
    assert status["post-incident-review"] == "pending"
    assert card.provisional and "diagnose-root-cause" in card.pending
    assert card.readiness == 100
    # the meters now, from the inputs replayed to the last event (+0:30)
    assert card.impact["tickets_sold"].actual == 1140
