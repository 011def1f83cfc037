"""The AAR/IP in every format, for the flagship's model and weak teams, scored for real."""

from __future__ import annotations

import json
import re

import pytest
from drillbook.reports.aar import build_aar
from drillbook.reports.exercise import Exercise
from drillbook.reports.report import render_aar
from drillbook.reports.text import md as md_text
from drillbook.reports.timeline import DEADLINE_KINDS
from drillbook.scoring.scorecard import RATING_TEXT
from drillbook.simulator.meters import render_value
from markupsafe import escape


def _money(ex: Exercise) -> tuple[str, str]:
    line = ex.scorecard.impact["revenue_lost"]
    meter = ex.scenario.meter("revenue_lost")
    return render_value(meter, line.actual), render_value(meter, line.counterfactual)


@pytest.fixture(params=["model", "weak"])
def exercise(request: pytest.FixtureRequest) -> Exercise:
    return request.getfixturevalue(f"{request.param}_exercise")


def test_counterfactual_sentence_in_every_format(exercise: Exercise) -> None:
    actual, planned = _money(exercise)
    sentence = f"Your response cost {actual}; on the plan's timeline, {planned}."
    aar = build_aar(exercise)
    assert aar.summary.cost_sentence == sentence
    assert str(escape(sentence)) in render_aar(aar, "html")
    assert md_text(sentence) in render_aar(aar, "md")
    assert json.loads(render_aar(aar, "json"))["summary"]["cost_sentence"] == sentence


def test_weak_team_costs_the_article_figure(weak_exercise: Exercise) -> None:
    # The article: "By then, the airline had absorbed $2.1 million in lost revenue."
    assert _money(weak_exercise)[0] == "$2,100,000"


def test_ratings_table_lists_every_capability_with_both_ratings(exercise: Exercise) -> None:
    aar = build_aar(exercise)
    html = render_aar(aar, "html")
    md = render_aar(aar, "md")
    for c in exercise.scorecard.capabilities.values():
        title = re.escape(str(escape(c.title)))
        row = re.search(rf"<td><a href=\"#cap-{c.id}\">{title}</a></td>.*?</tr>", html, re.S)
        assert row, c.id
        assert f'rating r-{c.computed_rating} computed"' in row.group(0)
        assert f">{c.rating}</span>" in row.group(0)
        evaluator = " (evaluator)" if c.override else ""
        if c.override and c.override.note:  # the rating's note, beside it
            evaluator = f" (evaluator: “{md_text(c.override.note)}”)"
        assert (
            f"| {md_text(c.title)} | {c.score:.0f} | {c.rating}{evaluator} | {c.computed_rating} |"
            in md
        )


def test_evaluator_override_is_shown_beside_the_computed_rating(model_exercise: Exercise) -> None:
    aar = build_aar(model_exercise)
    cap = next(c for c in aar.capabilities if c.id == "notification")
    assert (cap.rating, cap.override_rating, cap.computed_rating) == ("S", "S", "P")
    assert cap.override_note == "Client call rushed."
    md = render_aar(aar, "md")
    assert "Evaluator's rating **S**; computed **P**" in md
    html = render_aar(aar, "html")
    row = re.search(r'<td><a href="#cap-notification">.*?</tr>', html, re.S)
    assert row and "“Client call rushed.”" in row.group(0)  # in the ratings table, beside S
    assert "| S (evaluator: “Client call rushed.”) | P |" in md


def test_weak_team_late_and_missed_steps_are_marked(weak_exercise: Exercise) -> None:
    card = weak_exercise.scorecard
    late = [r for r in card.rules if r.status == "late"]
    missed = [r for r in card.rules if r.status == "missed"]
    assert late and missed
    aar = build_aar(weak_exercise)
    html, md = render_aar(aar, "html"), render_aar(aar, "md")
    for r in late:
        assert f'class="flag late">{escape("late: " + r.title[:20])}' in html  # on the timeline
        assert md_text(f"{r.title}: {r.detail.rstrip('.')}.") in md  # in the analysis
    for r in missed:
        if r.kind not in DEADLINE_KINDS or r.due_min is None:
            continue  # a match or guard rule has no deadline to draw
        assert f"deadline: {md_text(r.title)} (due; not done) | plan | missed" in md
    # the decision log carries the verdict of the late acknowledgement
    ack = next(d for d in aar.decisions if d.decision.startswith("acknowledge"))
    assert ack.status == "late" and "late" in ack.verdicts[0].text


def test_improvement_plan_from_problems_and_lessons(weak_exercise: Exercise) -> None:
    aar = build_aar(weak_exercise)
    problems = [
        r
        for r in weak_exercise.scorecard.rules
        if r.status in ("late", "missed", "violated", "pending")
    ]
    assert [i.rule for i in aar.improvement_plan] == [r.id for r in problems]
    ack = next(i for i in aar.improvement_plan if i.rule == "acknowledge-alert")
    # the plan gives the step to on-call; the roster names who played it
    assert (ack.owner_role, ack.owner, ack.status) == ("on_call", "Sam (On-call engineer)", "open")
    # the exercise ran on 2025-02-11; detection was rated U: due in 14 days
    assert ack.due == "2025-02-25"
    md = render_aar(aar, "md")
    assert f"| {ack.ref} | " in md and "| Sam (On-call engineer) | 2025-02-25 | open |" in md
    data = json.loads(render_aar(aar, "json"))
    assert len(data["improvement_plan"]) == len(problems)


def test_model_team_lessons_become_items(model_exercise: Exercise) -> None:
    aar = build_aar(model_exercise)
    lessons = [i for i in aar.improvement_plan if i.origin == "hot-wash lesson"]
    assert [i.action for i in lessons] == [
        "Act on the hot-wash lesson: Agree a kill switch per client.",
        "Act on the hot-wash lesson: Keep the dashboard credentials in the vault.",
    ]
    assert lessons[0].capability == "containment" and lessons[1].capability is None
    question = model_exercise.scenario.discussion[2]
    assert aar.lessons[0].question == question
    assert str(escape(question)) in render_aar(aar, "html")


def test_decision_log_has_every_decision_with_rationale_and_step(model_exercise: Exercise) -> None:
    aar = build_aar(model_exercise)
    decided = [e for e in model_exercise.events if e["type"] == "action_taken"]
    assert [d.seq for d in aar.decisions] == [e["seq"] for e in decided]
    contain = next(d for d in aar.decisions if d.decision.startswith("contain"))
    assert contain.rationale == "Rule-based fare floor; the model stays up for diagnosis."
    assert contain.inject == "booking-spike" and contain.inject_title
    assert contain.plan_step and contain.person == "Priya"
    html = render_aar(aar, "html")
    assert str(escape("Why: Rule-based fare floor; the model stays up for diagnosis.")) in html


def test_participants_and_notes(model_exercise: Exercise) -> None:
    aar = build_aar(model_exercise)
    people = {p.role: p.person for p in aar.participants}
    assert people["on_call"] == "Sam" and people["technical_lead"] == "Priya"
    cap = next(c for c in aar.capabilities if c.id == "containment")
    assert [n.text for n in cap.notes] == ["IC ran a tight bridge."]
    assert [n.text for n in aar.general_notes] == ["Scribe fell behind."]


def test_json_carries_the_same_content(exercise: Exercise) -> None:
    aar = build_aar(exercise)
    data = json.loads(render_aar(aar, "json"))
    assert data["format"] == "drillbook-aar/1"
    assert data == json.loads(aar.model_dump_json())
    assert data["summary"]["readiness"] == exercise.scorecard.readiness
    assert data["summary"]["rating_text"] == RATING_TEXT[exercise.scorecard.rating]
    assert len(data["decisions"]) == len(aar.decisions)


def test_html_is_self_contained_and_printable(exercise: Exercise) -> None:
    html = render_aar(build_aar(exercise), "html")
    assert "<svg" in html and "<style>" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "@import" not in html and "url(" not in html
    assert "@media print" in html and "@page" in html
