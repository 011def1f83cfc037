"""Findings, the three that matter, and the Improvement Plan, on hand-built scorecards."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from drillbook.reports.aar import build_aar
from drillbook.reports.findings import all_findings, top_findings
from drillbook.reports.improvement import DUE_DAYS, rule_owner
from drillbook.scenarios.actions import describe as decision_text
from drillbook.scoring import default_plan
from reportkit import exercise_of, override, play


def _weak(tmp_path: Path, **kw):
    return exercise_of(play(tmp_path / "w.jsonl", "article", **kw), "article")


def test_three_findings_put_the_harm_first(tmp_path: Path) -> None:
    ex = _weak(tmp_path)
    card = ex.scorecard
    ranked = top_findings(card, all_findings(card), lambda rule: rule == "contain")
    # every problem lost all its credit except the late ones; containment stops the $14 sales
    assert [f.rule for f in ranked] == ["contain", "notify-client", "evidence-first"]


def test_strengths_fill_in_when_there_are_few_problems(tmp_path: Path) -> None:
    ex = exercise_of(play(tmp_path / "m.jsonl", "model"), "model")
    ranked = top_findings(ex.scorecard, all_findings(ex.scorecard), lambda rule: False)
    assert [f.kind for f in ranked] == ["strength"] * 3
    assert [f.rule for f in ranked][:2] == ["contain", "notify-client"]  # the critical path


def test_due_dates_come_sooner_for_worse_ratings(tmp_path: Path) -> None:
    ex = _weak(tmp_path)
    items = {i.rule: i for i in build_aar(ex).improvement_plan}
    # exercise on 2025-02-11; detection rated M (30 days), containment U (14 days)
    assert items["ack"].due == "2025-03-13"
    assert items["contain"].due == "2025-02-25"
    assert DUE_DAYS["U"] < DUE_DAYS["M"] < DUE_DAYS["S"] < DUE_DAYS["P"]


def test_owner_is_the_plan_steps_role_named_from_the_roster(tmp_path: Path) -> None:
    ex = _weak(tmp_path, roster={"technical_lead": "Priya"})
    # without a plan: the role that took the decision, else the article's role for the work
    items = {i.rule: i for i in build_aar(ex).improvement_plan}
    assert items["contain"].owner == "Priya (Technical Lead)"
    assert items["notify-client"].owner == "Communications Lead"
    assert items["evidence-first"].owner_role == "technical_lead"  # who broke the rule
    # with the plan: the plan's step says who; a precedence rule belongs to the step first
    plan = default_plan()
    precedence = next(r for r in plan.rules if r.kind == "precedence")
    result = replace(ex.scorecard.rules[0], id=precedence.id, decisions=[1])
    assert rule_owner(result, {1: "on_call"}, plan) == plan.step(precedence.before).role
    assert rule_owner(result, {1: "on_call"}, None) == "on_call"


def test_override_due_date_follows_the_rating_in_force(tmp_path: Path) -> None:
    ex = exercise_of(
        play(
            tmp_path / "m.jsonl",
            "model",
            records=[(21595.0, "lesson", {"capability": "notification", "text": "Call sooner."})],
        ),
        "model",
        override=override("U"),
    )
    item = build_aar(ex).improvement_plan[0]
    assert (item.origin, item.capability, item.due) == (
        "hot-wash lesson",
        "notification",
        "2025-02-25",
    )


def test_decision_text_quotes_words_in_full_and_shows_offsets() -> None:
    long = "x" * 200
    assert decision_text("notify", {"audience": "client", "message": long}).endswith(f"“{long}”")
    assert decision_text("schedule_review", {"when": 7200}) == "schedule review (when=+120:00)"
