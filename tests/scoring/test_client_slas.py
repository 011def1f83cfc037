"""Every SLA of a client profile becomes a rule: one with no rule is an error saying what to
add; untimed terms go under ``commitments``. A cadence SLA sets the interval of the plan's
``client-update-cadence`` rule, which has none of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scoring import default_plan
from drillbook.scoring.files import client_from
from scoringkit import card_of, model, play

PROFILE = """\
id: acme
name: Acme
sla:
  - name: Notice
    text: Within one hour.
    rule: notify-client
    within: "+1:00"
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        client_from(path, default_plan())
    return [str(p).replace(str(path), "c.yaml") for p in info.value.problems]


def test_a_profile_whose_slas_name_rules_loads(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    text = PROFILE + "commitments:\n  - {name: Change control, text: Two approvers.}\n"
    path.write_text(text, encoding="utf-8")
    profile = client_from(path, default_plan())
    assert [c.name for c in profile.commitments] == ["Change control"]


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (
            "  - {name: Updates, text: Every two hours.}\n",
            "c.yaml:8:5: SLA 'Updates' names no rule; expected 'rule: RULE-ID'",
        ),
        (
            "  - {name: Updates, rule: client-update-cadence}\n",
            "c.yaml:8:5: SLA 'Updates' binds the timed rule 'client-update-cadence' but gives no "
            "window; expected 'within: \"+H:MM\"'",
        ),
        (
            '  - {name: Statements, rule: public-statement-coordinated, within: "+1:00"}\n',
            "c.yaml:8:68: SLA 'Statements': rule 'public-statement-coordinated' is not timed",
        ),
    ],
)
def test_an_sla_that_is_not_a_rule_is_placed(tmp_path: Path, entry: str, words: str) -> None:
    got = problems(tmp_path, PROFILE + entry)
    assert len(got) == 1 and got[0].startswith(words), got


def test_the_client_update_cadence_applies_only_where_an_sla_sets_it() -> None:
    events = play(model())
    without = card_of(events, client=False).rule("client-update-cadence")
    assert without is not None and without.status == "not_applicable"
    with_sla = card_of(events).rule("client-update-cadence")  # Skylark: no update SLA
    assert with_sla is not None and with_sla.status == "not_applicable"


def test_a_cadence_sla_scores_client_updates_only(tmp_path: Path) -> None:
    """Updates to the response team are not updates to the client: the cheapest way to look
    busy is to message everyone but the one the contract names."""
    from drillbook.scenarios.actions import parse_action
    from drillbook.scenarios.transcript import Decision
    from drillbook.scoring import score
    from scoringkit import edit, flagship, plan

    path = tmp_path / "c.yaml"
    path.write_text(
        PROFILE + '  - {name: Updates, rule: client-update-cadence, within: "+0:30"}\n',
        encoding="utf-8",
    )
    profile = client_from(path, plan())
    base = model()
    team = edit(
        base,
        keep=lambda d: d.action.action != "status_update",
    )
    busy = [
        Decision(
            at=float(m),
            role="incident_commander",
            action=parse_action({"action": "status_update", "audience": "response_team"}),
        )
        for m in range(30, 200, 25)
    ]
    from dataclasses import replace

    team = replace(team, decisions=sorted([*team.decisions, *busy], key=lambda d: d.at))
    events = play(team)
    got = score(flagship().scenario, plan(), events, profile).rule("client-update-cadence")
    assert got is not None and got.status != "met" and got.credit < 0.5, got.detail
    assert got.detail.startswith("0 update(s)")
