"""Each lint check fires on a scenario broken its way, and stays quiet on the clean one."""

from __future__ import annotations

import pytest
from drillbook.authoring.lint import lint


def checks(loaded, **kw) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in lint(loaded.scenario, **kw):
        out.setdefault(f.check, []).append(f"{f.level}: {f.message}")
    return out


def test_clean_scenario_has_no_findings(mini):
    assert checks(mini()) == {}


def test_inject_due_after_the_end_is_unreachable(mini):
    found = checks(mini(lambda d: d["injects"][0].update(at="+5:00")))
    assert found["unreachable-inject"] == [
        "error: inject 'alert' can never be delivered: it is due at +5:00, after the end of play (+4:00)"
    ]


def test_inject_waiting_on_an_undelivered_inject_is_unreachable(mini):
    def change(d):
        d["injects"][1]["at"] = "+6:00"  # the question never comes, so neither branch can

    found = checks(mini(change))
    assert {m.split(":")[1].strip() for m in found["unreachable-inject"]} >= {
        "inject 'after-x' can never be delivered"
    }
    assert any("'ask' is never delivered" in m for m in found["unreachable-inject"])


def test_cycle_of_conditional_injects_is_unreachable(mini):
    def change(d):
        d["injects"].append(
            {
                "id": "c1",
                "when": {"delivered": "c2"},
                "to": ["on_call"],
                "channel": "chat",
                "title": "C1",
                "expects": ["note"],
            }
        )
        d["injects"].append(
            {
                "id": "c2",
                "when": {"delivered": "c1"},
                "to": ["on_call"],
                "channel": "chat",
                "title": "C2",
                "expects": ["note"],
            }
        )

    found = checks(mini(change))
    assert len(found["unreachable-inject"]) == 2


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        ({"not_done": "contain", "by": "+9:00"}, "'by +9:00' is past the end of play (+4:00)"),
        ({"after": "+4:01"}, "'after +4:01' is past the end of play (+4:00)"),
        ({"meter": "harm", "above": 5000}, "meter 'harm' is capped at 1000, below 5000"),
        (
            {"all": [{"done": "contain", "by": 30}, {"not_done": "contain", "by": 30}]},
            "'contain' cannot be both done and not done by +0:30",
        ),
        (
            {"investigated": "dash", "role": "incident_commander"},
            "incident_commander can reach source 'dash'",
        ),
    ],
)
def test_conditions_that_can_never_be_true(mini, when, reason):
    def change(d):
        d["injects"][4]["when"] = when

    found = checks(mini(change))
    assert any(reason in m for m in found["never-true"]), found
    assert found["unreachable-inject"]


def test_meter_that_never_grows_cannot_cross(mini):
    def change(d):
        d["meters"].append({"id": "flat", "label": "Flat"})
        d["injects"][4]["when"] = {"meter": "flat", "above": 1}

    assert any("never grows" in m for m in checks(mini(change))["never-true"])


def test_option_that_leads_nowhere(mini):
    found = checks(mini(lambda d: d["injects"].pop(3)))  # nothing depends on option y any more
    assert found["dead-option"] == [
        "warning: option 'y' of 'ask' leads nowhere: no condition depends on it"
    ]


def test_question_whose_answer_changes_nothing(mini):
    def change(d):
        del d["injects"][2:4]

    assert "dead-question" in checks(mini(change))


def test_inject_that_expects_nothing_and_changes_nothing(mini):
    found = checks(mini(lambda d: d["injects"][0].pop("expects")))
    assert found["idle-inject"] == [
        "warning: inject 'alert' expects nothing and changes nothing (no expects, no question, no branch on its delivery)"
    ]


def test_inject_referenced_by_a_branch_is_not_idle(mini):
    def change(d):
        d["injects"][0].pop("expects")
        d["injects"][4]["when"] = {"delivered": "alert"}

    assert "idle-inject" not in checks(mini(change))


def test_meter_no_action_can_stop(mini):
    found = checks(mini(lambda d: d["meters"][0].pop("rates")))
    assert found["unstoppable-meter"][0].startswith(
        "warning: no action can stop or slow meter 'harm'"
    )


def test_meter_stopped_only_by_time_is_unstoppable(mini):
    found = checks(
        mini(lambda d: d["meters"][0].update(rates=[{"when": {"after": 60}, "rate": 0}]))
    )
    assert "unstoppable-meter" in found


def test_role_that_receives_nothing(mini):
    found = checks(mini(lambda d: d["roles"].append({"id": "legal_advisor"})))
    assert found["silent-role"] == [
        "warning: role 'legal_advisor' receives no inject; they will sit idle unless they investigate"
    ]


def test_plan_rule_never_prompted(mini):
    rules = {
        "notify-client": {"notify"},
        "public-statement-coordinated": {"public_statement", "consult"},
    }
    found = checks(mini(), plan_rules=rules)
    assert found["unexercised-rule"] == [
        "warning: plan rule 'public-statement-coordinated' is never prompted: no inject expects any of consult, public_statement"
    ]


def test_findings_are_placed_at_the_offending_line(mini):
    loaded = mini(lambda d: d["roles"].append({"id": "legal_advisor"}))
    (finding,) = lint(loaded.scenario)
    problem = finding.placed_in(loaded.document.positions)
    text = loaded.path.read_text().splitlines()
    assert "legal_advisor" in text[problem.line - 1]
    assert str(problem).startswith(f"{loaded.path}:{problem.line}:")


def test_a_root_cause_nothing_reveals_is_a_warning(mini):
    found = checks(mini(lambda d: d["truth"].pop("revealed_by")))
    assert found["unrevealed-truth"] == [
        "warning: truth.revealed_by is empty: any finding counts as revealing the root cause; "
        "expected the sources or injects that reveal it"
    ]


def test_a_root_cause_only_an_unreachable_inject_reveals_is_an_error(mini):
    def change(d):
        d["truth"]["revealed_by"] = ["after-x"]
        d["injects"][1]["at"] = "+6:00"  # the question never comes, so neither can after-x

    found = checks(mini(change))
    assert found["unrevealed-truth"] == [
        "error: the root cause can never be revealed in play: none of after-x is a source a "
        "role can reach or an inject that can be delivered"
    ]


def test_a_story_that_can_never_go_public_is_a_warning(mini):
    def change(d):
        d["truth"]["public_after"] = ["alert"]
        d["injects"][0]["at"] = "+5:00"  # after the end of play

    found = checks(mini(change))
    assert any("can never go public" in m for m in found["unrevealed-truth"])


def test_a_judged_question_naming_a_capability_the_plan_lacks_is_an_error(mini):
    def change(d):
        d["injects"][1]["question"]["capability"] = "vibes"

    found = checks(mini(change), capabilities=["communication", "regulatory"])
    assert found["unknown-capability"] == [
        "error: capability 'vibes' is not one of the plan's; expected one of: communication, "
        "regulatory"
    ]
    assert "unknown-capability" not in checks(mini(change))  # without a plan, nothing to check


def test_a_scenario_role_carrying_a_duty_the_plan_does_not_know_is_a_warning(mini, tmp_path):
    """``duties: [comms_lead]`` (for communications_lead) would leave the CEO's statements
    counting for no comms step: the lint says so, placed on the duty, under the given plan."""
    from drillbook.cli import main

    def change(d):
        d.setdefault("roles", []).append(
            {
                "id": "ceo",
                "title": "Chief executive",
                "duties": ["communications_lead", "comms_lead"],
            }
        )

    loaded = mini(change)
    found = checks(loaded, duties={"communications_lead", "incident_commander"})
    assert found["unknown-duty"] == [
        "warning: role 'ceo' carries 'comms_lead', which the plan has as no role or duty kind, so "
        "its decisions count for no such step; expected one of: communications_lead, "
        "incident_commander"
    ]
    assert "unknown-duty" not in checks(loaded)  # without a plan, nothing to check against
    assert main(["lint", str(loaded.path), "--strict"]) == 1  # the bundled plan's duties
