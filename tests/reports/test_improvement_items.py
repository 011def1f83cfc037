"""Improvement items that agree with the scorer, go to the role whose duty the work is, and
include what the team itself added during play (issue 15)."""

from __future__ import annotations

from datetime import date

from drillbook.reports.improvement import corrective_action, in_play_items, lesson_owner
from drillbook.scoring.plan import default_plan
from drillbook.scoring.scorecard import RuleResult

ON = date(2025, 2, 11)


def _missed(credit: float, detail: str) -> RuleResult:
    return RuleResult(
        id="notify-all",
        capability="notification",
        kind="coverage",
        title="Tell everyone the plan names",
        status="missed",
        credit=credit,
        due="+1:00",
        detail=detail,
    )


def test_a_partly_covered_step_is_not_called_not_done() -> None:
    said = corrective_action(_missed(0.5, "1 of 2 covered."))
    assert "1 of 2 covered" in said and "not done" not in said
    assert "only partly done" in corrective_action(_missed(0.5, ""))
    assert "it was not done in this exercise" in corrective_action(_missed(0.0, ""))


def test_a_lesson_goes_to_the_role_whose_duty_it_names() -> None:
    plan = default_plan()
    # filed under detection, but it asks for a fix: on-call "doesn't need to fix the problem"
    assert lesson_owner("Fix the feed loader so it rejects fares in cents", "detection", plan) == (
        "technical_lead"
    )
    assert lesson_owner("Preserve evidence before anything restarts", None, plan) in (
        "data_lead",
        "legal_advisor",
    )
    # no duty named: the role the plan gives most of that capability's steps
    assert lesson_owner("We were slow", "containment", plan) == "technical_lead"
    assert lesson_owner("We were slow", "containment", None) == "technical_lead"


def test_action_items_added_in_play_are_in_the_plan() -> None:
    events = [
        {"seq": 9, "type": "note", "sim": 1},
        {
            "seq": 10,
            "type": "action_taken",
            "sim": 300,
            "role": "incident_commander",
            "action": "add_action_item",
            "params": {"text": "Kill switch per client", "owner": "Priya", "due": 2 * 24 * 60},
        },
        {
            "seq": 11,
            "type": "action_taken",
            "sim": 310,
            "role": "on_call",
            "action": "add_action_item",
            "params": {"text": "Vault the dashboard password", "owner": "data_lead", "due": 90},
        },
    ]
    items = in_play_items(events, {"technical_lead": "Priya"}, ON, numbered=3)
    assert [(i.ref, i.action, i.owner, i.due) for i in items] == [
        ("IP-4", "Kill switch per client", "Priya (Technical Lead)", "2025-02-13"),
        ("IP-5", "Vault the dashboard password", "Data Lead", "2025-02-12"),
    ]
    assert items[0].origin == "added in play by Incident Commander"
