"""The pieces without a screen: forms built from the action contract, and the words shown."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from drillbook.scenarios.actions import ACTION_NAMES
from drillbook.scenarios.loader import LoadedScenario
from drillbook.tui.format import at_label, story_clock, timing, verdict_text
from drillbook.tui.widgets.form_fields import Desk, check, field_specs


def desk(
    loaded: LoadedScenario, injects: list[dict] | None = None, current: str | None = None
) -> Desk:
    return Desk(loaded.scenario, injects or [], current)


def test_every_action_has_a_form_with_its_parameters_first(loaded: LoadedScenario) -> None:
    for name in ACTION_NAMES:
        specs = field_specs(name, desk(loaded))
        names = [s.name for s in specs]
        assert names[-2:] == ["re", "rationale"], name


def test_pickers_follow_the_annotation(loaded: LoadedScenario) -> None:
    classify = {s.name: s for s in field_specs("classify", desk(loaded))}
    assert classify["severity"].kind == "choice" and classify["severity"].required
    assert [v for _, v in classify["severity"].options] == ["critical", "high", "medium", "low"]
    assert classify["types"].kind == "choices"
    escalate = {s.name: s for s in field_specs("escalate", desk(loaded))}
    assert ("Incident Commander", "incident_commander") in escalate["to"].options
    consult = {s.name: s for s in field_specs("consult", desk(loaded))}
    assert "with" in consult  # the alias, as the contract spells it
    remediate = {s.name: s for s in field_specs("remediate", desk(loaded))}
    assert remediate["tested"].kind == "switch" and remediate["tested"].default is False
    impact = {s.name: s for s in field_specs("assess_impact", desk(loaded))}
    assert impact["disaggregated"].kind == "yesno" and impact["affected"].kind == "integer"
    item = {s.name: s for s in field_specs("add_action_item", desk(loaded))}
    assert item["due"].kind == "offset"
    assert {s.name: s.kind for s in field_specs("public_statement", desk(loaded))}["message"] == (
        "longtext"
    )


def test_scenario_ids_are_offered_by_label_and_give_no_order_away(loaded: LoadedScenario) -> None:
    s = loaded.scenario
    causes = {x.name: x for x in field_specs("diagnose", desk(loaded))}["root_cause"].options
    assert sorted(v for _, v in causes) == sorted(c.id for c in s.truth.causes)
    assert [label for label, _ in causes] == sorted(label for label, _ in causes)
    sources = {x.name: x for x in field_specs("investigate", desk(loaded))}["source"].options
    assert {v for _, v in sources} == {src.id for src in s.sources}
    duties = {x.name: x for x in field_specs("assess_regulatory", desk(loaded))}["obligations"]
    assert duties.kind == "choices" and len(duties.options) == len(s.truth.obligations)


def test_the_answer_form_offers_the_questions_received_and_their_options(
    loaded: LoadedScenario,
) -> None:
    call = {
        "inject": "client-duty-manager",
        "title": "Skylark asks",
        "question": {
            "prompt": "?",
            "options": [{"id": "honour", "label": "Honour"}, {"id": "wait", "label": "Wait"}],
        },
    }
    page = {"inject": "anomaly-alert", "title": "P3 alert"}
    specs = {
        s.name: s for s in field_specs("answer", desk(loaded, [page, call], "client-duty-manager"))
    }
    assert specs["inject"].options == [("Skylark asks", "client-duty-manager")]
    assert specs["inject"].default == "client-duty-manager"
    assert specs["option"].options == [("Honour", "honour"), ("Wait", "wait")]
    assert [v for _, v in specs["re"].options] == ["client-duty-manager", "anomaly-alert"]


def test_check_reads_pydantic_errors_as_lines_a_player_can_act_on() -> None:
    data, problems = check("classify", {"severity": None, "types": []})
    assert data is None
    assert problems[0] == "severity: required; choose or type a value"
    assert problems[1].startswith("types: ")
    data, problems = check("schedule_review", {"when": "1:30"})
    assert data is None and '"+H:MM"' in problems[0]
    data, problems = check("schedule_review", {"when": "+1:30", "re": None})
    assert problems == [] and data == {"action": "schedule_review", "when": "+1:30"}


def test_clock_and_verdict_words(loaded: LoadedScenario) -> None:
    s = loaded.scenario
    assert story_clock(s, 25) == "day 1 Tue 04:12 · T+0:25"
    assert at_label(s, 6) == "03:53" and at_label(s, 26 * 60) == "d2 Wed 05:47"
    assert (timing(12), timing(-3), timing(0.2), timing(None)) == (
        "12 min late",
        "3 min early",
        "on time",
        "",
    )
    late = SimpleNamespace(status="late", late_by=95.0)
    met = SimpleNamespace(status="met", late_by=-5.0)
    assert verdict_text([met, late]) == "late, 1 h 35 min late (+1 rule)"
    named = SimpleNamespace(status="met", late_by=-57.0, rule="escalate-ic")
    assert verdict_text([named]) == "met escalate-ic, 57 min early"  # the rule it counted for
    assert verdict_text([]) == "—"


@pytest.mark.parametrize("name", ["acknowledge", "verify_fix", "close"])
def test_actions_without_parameters_need_nothing(name: str) -> None:
    assert check(name, {"re": None, "rationale": None}) == ({"action": name}, [])
