"""Lint that is right (issue 16, 5): an answer is a decision that can stop a meter; a branch
through ``not:`` is followed; a ``where:`` literal the action can never carry is an error at
validate, placed, with the values it could be."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.authoring.lint import lint
from drillbook.formats.yamlsource import InputError


def checks(loaded) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in lint(loaded.scenario):
        out.setdefault(f.check, []).append(f.message)
    return out


def test_a_meter_stopped_by_an_answer_is_stoppable(mini):
    def change(d):
        d["meters"][0]["rates"] = [
            {"when": {"chosen": {"inject": "ask", "option": "x"}}, "rate": 0}
        ]

    assert "unstoppable-meter" not in checks(mini(change))


def test_a_meter_nothing_stops_is_still_reported(mini):
    def change(d):
        d["meters"][0]["rates"] = [{"when": {"after": 60}, "rate": 0}]

    assert checks(mini(change))["unstoppable-meter"]


def test_an_option_driving_a_branch_through_not_leads_somewhere(mini):
    def change(d):
        # Only 'x' is named, under not:, so it is choosing 'y' that brings "after-x" on.
        d["injects"][2]["when"] = {
            "all": [{"delivered": "ask"}, {"not": {"chosen": {"inject": "ask", "option": "x"}}}]
        }
        del d["injects"][3]  # no branch names 'y' directly any more

    assert "dead-option" not in checks(mini(change))


def test_options_named_through_done_answer_lead_somewhere(mini):
    def change(d):
        d["injects"][3]["when"] = {"done": "answer", "where": {"inject": "ask", "option": "y"}}

    assert "dead-option" not in checks(mini(change))


def test_an_option_nothing_depends_on_is_still_reported(mini):
    def change(d):
        del d["injects"][3]

    assert checks(mini(change))["dead-option"] == [
        "option 'y' of 'ask' leads nowhere: no condition depends on it"
    ]


@pytest.mark.parametrize(
    ("where", "path_end", "expected"),
    [
        (
            {"method": "ground_fleet"},
            "ground_fleet",
            "'ground_fleet' is never a 'method' of 'contain'",
        ),
        (
            {"method": ["rollback", "ground_fleet"]},
            "ground_fleet",
            "expected one of: take_offline, fallback",
        ),
    ],
)
def test_a_where_literal_the_action_never_carries_is_placed_at_validate(
    mini, where, path_end, expected
):
    def change(d):
        d["meters"][0]["rates"] = [{"when": {"done": "contain", "where": where}, "rate": 0}]

    with pytest.raises(InputError) as exc:
        mini(change)
    [problem] = exc.value.problems
    assert expected in problem.message and "can never match" in problem.message
    text = Path(problem.file).read_text(encoding="utf-8").splitlines()
    assert text[problem.line - 1][problem.col - 1 :].startswith(path_end)


@pytest.mark.parametrize(
    ("action", "where", "expected"),
    [
        ("notify", {"audience": "press"}, "expected one of: response_team, leadership, client"),
        ("diagnose", {"root_cause": "c"}, "expected one of: a, b"),
        ("investigate", {"source": "logs"}, "expected one of: dash"),
        ("answer", {"inject": "ask", "option": "z"}, "expected one of: x, y"),
        ("remediate", {"tested": "yes"}, "expected one of: True, False"),
    ],
)
def test_every_closed_parameter_is_checked(mini, action, where, expected):
    def change(d):
        d["injects"][4]["when"] = {"not_done": action, "by": 60, "where": where}

    with pytest.raises(InputError) as exc:
        mini(change)
    [problem] = exc.value.problems
    assert "can never match" in problem.message and expected in problem.message


def test_free_text_and_right_literals_pass(mini):
    def change(d):
        d["injects"][4]["when"] = {
            "not_done": "notify",
            "by": 60,
            "where": {"audience": ["client", "regulator"], "message": "anything at all"},
        }

    assert mini(change).scenario.injects[4].when is not None
