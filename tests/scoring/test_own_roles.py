"""Roles of the scenario's own, mapped onto the plan's duties, and scenarios with no client.

The flagship is rewritten with two roles of its own: ``comms_director`` (who carries the
Communications Lead's duties) and ``general_counsel`` (the Legal Advisor's); its model team
is rewritten the same way. Played and scored against the unchanged default plan, the team
must score what the original scores — the plan's "whose step is this" reaches the new roles
through their duties — and lose that credit when the duties are not declared.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from drillbook.formats.yamlsource import InputError
from drillbook.scenarios import library
from drillbook.scenarios.loader import LoadedScenario, load
from drillbook.scenarios.transcript import Transcript, load_transcript
from drillbook.scoring import Scorecard, score
from drillbook.scoring.context import RunContext
from drillbook.scoring.counterfactual import best_timeline
from drillbook.scoring.graph import precedence_graph, step_order
from drillbook.simulator.headless import run_transcript
from scoringkit import plan

RENAMES = {"communications_lead": "comms_director", "legal_advisor": "general_counsel"}
DUTIES = {
    "comms_director": ("Communications director", "communications_lead"),
    "general_counsel": ("General counsel", "legal_advisor"),
}


def _rename(text: str) -> str:
    for old, new in RENAMES.items():
        text = text.replace(old, new)
    return text


def _with_duties(text: str) -> str:
    for role, (title, duty) in DUTIES.items():
        text = text.replace(
            f"  - id: {role}\n", f"  - id: {role}\n    title: {title}\n    duties: [{duty}]\n"
        )
    return text


def build(tmp: Path, *, duties: bool = True, client: str = "") -> tuple[LoadedScenario, Transcript]:
    flagship = library.resolve(library.FLAGSHIP)
    text = _rename(flagship.read_text(encoding="utf-8"))
    # the consult parameter names the kind of counsel, not a seat: keep it
    text = text.replace("with: general_counsel", "with: legal_advisor")
    if duties:
        text = _with_duties(text)
    text = text.replace("client: clients/skylark-regional.yaml\n", client)
    path = tmp / "own.yaml"
    path.write_text(text, encoding="utf-8")
    team = _rename(library.reference_transcript(library.FLAGSHIP).read_text(encoding="utf-8"))
    team = team.replace("with: general_counsel", "with: legal_advisor")
    tpath = tmp / "own.model.yaml"
    tpath.write_text(team, encoding="utf-8")
    return load(path), load_transcript(tpath)


def card(loaded: LoadedScenario, team: Transcript) -> Scorecard:
    events = run_transcript(loaded, team).history()
    return score(loaded.scenario, plan(), events, None)


@cache
def original() -> Scorecard:
    loaded = load(library.resolve(library.FLAGSHIP))
    team = load_transcript(library.reference_transcript(library.FLAGSHIP))
    return score(loaded.scenario, plan(), run_transcript(loaded, team).history(), None)


def test_roles_of_its_own_take_their_duties_steps(tmp_path: Path) -> None:
    loaded, team = build(tmp_path)
    s = loaded.scenario
    assert s.role_title("comms_director") == "Communications director"
    assert s.role_title("technical_lead") == "Technical Lead"
    got = card(loaded, team)
    assert (got.readiness, got.rating) == (original().readiness, original().rating)
    assert not [v for d in got.decisions for v in d.verdicts if "the plan gives this" in v.note]


def test_a_role_without_the_duty_earns_the_reduced_credit(tmp_path: Path) -> None:
    """The cheapest way round the plan's duties: a seat the plan has never heard of."""
    loaded, team = build(tmp_path, duties=False)
    got = card(loaded, team)
    assert got.readiness < original().readiness
    said = [v.note for d in got.decisions for v in d.verdicts if "the plan gives this" in v.note]
    assert any(
        "done by comms_director; the plan gives this to the Communications Lead" in n for n in said
    )


def test_the_plans_timeline_seats_its_steps_by_duty(tmp_path: Path) -> None:
    loaded, _ = build(tmp_path)
    ended: list[dict[str, Any]] = [
        {"seq": 0, "type": "run_started", "sim": 0.0, "seed": 0},
        {"seq": 1, "type": "run_ended", "sim": float(loaded.scenario.ends)},
    ]
    ctx = RunContext.build(loaded.scenario, plan(), ended, None)
    _, events = best_timeline(ctx, step_order(plan(), precedence_graph(plan())))
    got = score(loaded.scenario, plan(), events, None)
    assert (got.readiness, got.rating) == (100.0, "P"), [
        (r.id, r.detail) for r in got.rules if r.status not in ("met", "not_applicable", "pending")
    ]


def test_with_no_client_and_nobody_in_its_place_the_client_rules_do_not_apply(
    tmp_path: Path,
) -> None:
    loaded, team = build(tmp_path, client="no_client: nobody\n")
    got = card(loaded, team)
    for rule_id in ("notify-client", "client-update-cadence"):
        r = got.rule(rule_id)
        assert r is not None and r.status == "not_applicable", (rule_id, r)
    guard = got.rule("public-statement-coordinated")
    assert guard is not None and guard.status == "met", guard.detail


def test_with_leadership_in_the_clients_place_telling_leadership_tells_the_client(
    tmp_path: Path,
) -> None:
    loaded, team = build(tmp_path, client="no_client: leadership\n")
    # no client to tell, consult or update, so no client calling back with a question
    cut = [
        d
        for d in team.decisions
        if d.action.model_dump().get("audience") != "client"
        and d.action.model_dump(by_alias=True).get("with") != "client"
        and d.action.action != "answer"
    ]
    from dataclasses import replace

    got = card(loaded, replace(team, decisions=cut, document=None, file=""))
    notify = got.rule("notify-client")
    assert notify is not None and notify.status == "met", notify.detail  # leadership at +0:20


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (
            lambda t: t.replace(
                "no_client: leadership\n", "no_client: leadership\nclient: c.yaml\n"
            ),
            "says there is no outside client, but client names a profile",
        ),
        (
            lambda t: t.replace("no_client: leadership", "no_client: maybe"),
            "'leadership' or 'nobody'",
        ),
        (
            lambda t: t.replace("    duties: [communications_lead]", "    duties: [Comms]"),
            "not an id",
        ),
    ],
)
def test_bad_roles_and_clients_are_placed(tmp_path: Path, edit: Any, words: str) -> None:
    loaded, _ = build(tmp_path, client="no_client: leadership\n")
    text = edit(loaded.path.read_text(encoding="utf-8"))
    loaded.path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(loaded.path)
    got = [str(p) for p in info.value.problems]
    assert any(words in p and "own.yaml:" in p for p in got), got
