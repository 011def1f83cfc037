"""Obligation clocks that start from the story, follow-up reports and amended notices.

Each case is the flagship's model team against the flagship with one obligation added, so
the only thing that changes in ``notification-clocks`` is that obligation's entries. The
model team diagnoses at +1:05; ``deal-sites`` arrives at +0:40; ``honour-cost`` never
arrives (the model team does not honour the fares).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from drillbook.scenarios.actions import parse_action
from drillbook.scenarios.model import Scenario
from drillbook.scenarios.transcript import Decision
from drillbook.scoring import score
from drillbook.scoring.scorecard import RuleResult
from drillbook.simulator.headless import run_transcript
from scoringkit import flagship, model, plan

DOT = {"id": "dot-inquiry", "regime": "DOT inquiry", "audience": "regulator", "recipient": "US DOT"}


def variant(**obligation: Any) -> Scenario:
    data = flagship().scenario.model_dump(by_alias=True, exclude_none=True)
    data["truth"]["obligations"].append({**DOT, **obligation})
    return Scenario.model_validate(data)


def clocks(s: Scenario, *extra: tuple[float, str, dict[str, Any]]) -> RuleResult:
    """``notification-clocks`` for the model team plus ``extra`` decisions (at, role, action)."""
    t = model()
    more = [Decision(at=at, role=role, action=parse_action(a)) for at, role, a in extra]
    t = replace(
        t, decisions=sorted([*t.decisions, *more], key=lambda d: d.at), document=None, file=""
    )
    events = run_transcript(replace(flagship(), scenario=s), t).history()
    card = score(s, plan(), events, None)
    got = card.rule("notification-clocks")
    assert got is not None
    return got


def notice(at: float, **params: Any) -> tuple[float, str, dict[str, Any]]:
    return (at, "legal_advisor", {"action": "notify", "audience": "regulator", **params})


def test_a_clock_starts_when_its_inject_arrives() -> None:
    s = variant(trigger={"delivered": "deal-sites"}, clock="+2:00")
    missed = clocks(s)
    assert "DOT inquiry: no notice to US DOT (due +2:40)" in missed.detail
    assert missed.missed_clock
    met = clocks(s, notice(150, regulator="dot-inquiry"))
    assert "DOT inquiry: US DOT told at +2:30, 10 min inside the window" in met.detail


def test_a_clock_whose_inject_never_arrives_never_starts() -> None:
    s = variant(trigger={"delivered": "honour-cost"}, clock="+2:00")
    assert "DOT inquiry: its clock has not started in this run" in clocks(s).detail


def test_a_clock_from_the_diagnosis_and_one_at_a_set_time() -> None:
    diagnosed = clocks(variant(trigger={"diagnosed": True}, clock="+1:00"))
    assert "no notice to US DOT (due +2:05)" in diagnosed.detail  # diagnosed at +1:05
    at = clocks(variant(trigger={"at": "+3:00"}, clock="+0:30"))
    assert "no notice to US DOT (due +3:30)" in at.detail


def test_not_diagnosing_does_not_stop_a_clock_that_runs_from_the_diagnosis() -> None:
    """The cheapest way out of a diagnosis clock is never to name the cause; the clock then
    runs from the plan's own diagnosis deadline instead."""
    s = variant(trigger={"diagnosed": True}, clock="+1:00")
    t = model()
    blind = replace(
        t,
        decisions=[d for d in t.decisions if d.action.action != "diagnose"],
        document=None,
        file="",
    )
    events = run_transcript(replace(flagship(), scenario=s), blind).history()
    got = score(s, plan(), events, None).rule("notification-clocks")
    assert got is not None and "no notice to US DOT (due" in got.detail
    assert got.missed_clock


def test_a_follow_up_needs_a_notice_of_its_own() -> None:
    s = variant(
        trigger={"delivered": "deal-sites"},
        clock="+2:00",
        follow_ups=[{"id": "update", "clock": "+1:00", "from": "notice"}],
    )
    one = clocks(s, notice(150, regulator="US DOT"))
    assert "DOT inquiry follow-up update: none (due +3:30)" in one.detail
    two = clocks(s, notice(150, regulator="US DOT"), notice(200, regulator="US DOT"))
    assert "DOT inquiry follow-up update: sent at +3:20, 10 min inside the window" in two.detail
    assert two.credit > one.credit


def test_a_notice_before_the_diagnosis_must_be_amended() -> None:
    s = variant(trigger="awareness", clock="+2:00", amend={"clock": "+1:00"})
    early = notice(30, regulator="dot-inquiry")  # before the diagnosis at +1:05
    owed = clocks(s, early)
    assert "DOT inquiry amended notice: none though the first preceded the diagnosis" in owed.detail
    amended = clocks(
        s, early, (100, "legal_advisor", {"action": "amend", "of": "notify", "regulator": "US DOT"})
    )
    assert "DOT inquiry amended notice: sent at +1:40" in amended.detail
    after = clocks(s, notice(70, regulator="dot-inquiry"))  # after the diagnosis: complete
    assert "amended" not in after.detail


def test_an_amendment_before_the_diagnosis_does_not_count() -> None:
    """Amending at once, before anything new is known, is not the corrected report."""
    s = variant(trigger="awareness", clock="+2:00", amend={"clock": "+1:00"})
    quick = (31, "legal_advisor", {"action": "amend", "of": "notify", "regulator": "US DOT"})
    got = clocks(s, notice(30, regulator="dot-inquiry"), quick)
    assert "amended notice: none" in got.detail


@pytest.mark.parametrize(
    ("obligation", "where", "words"),
    [
        ({"trigger": {"delivered": "nope"}}, "delivered", "unknown inject 'nope'; expected one of"),
        (
            {"trigger": {"delivered": "deal-sites", "diagnosed": True}},
            "trigger",
            "names exactly one of 'delivered'",
        ),
        ({"follow_ups": [{"id": "u", "clock": 60}]}, "follow_ups", "expected 'clock'"),
    ],
)
def test_bad_story_clocks_are_placed(
    tmp_path: Any, obligation: dict[str, Any], where: str, words: str
) -> None:
    import yaml
    from drillbook.formats.yamlsource import InputError
    from drillbook.scenarios.loader import load

    text = flagship().path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["truth"]["obligations"].append({**DOT, **obligation})
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(path)
    problems = [str(p) for p in info.value.problems]
    assert any(words in p and "s.yaml:" in p for p in problems), problems


def test_the_plans_timeline_meets_story_clocks_follow_ups_and_amendments() -> None:
    from drillbook.scoring.context import RunContext
    from drillbook.scoring.counterfactual import best_timeline
    from drillbook.scoring.graph import precedence_graph, step_order

    s = variant(
        trigger={"delivered": "deal-sites"},
        clock="+0:30",
        follow_ups=[{"id": "update", "clock": "+4:00"}],
        amend={"clock": "+2:00"},
    )
    ended = [
        {"seq": 0, "type": "run_started", "sim": 0.0, "seed": 0},
        {"seq": 1, "type": "run_ended", "sim": float(s.ends)},
    ]
    ctx = RunContext.build(s, plan(), ended, None)
    _, events = best_timeline(ctx, step_order(plan(), precedence_graph(plan())))
    got = score(s, plan(), events, None).rule("notification-clocks")
    assert got is not None and got.status == "met", got.detail
    assert "DOT inquiry follow-up update: sent" in got.detail
    assert "DOT inquiry amended notice: sent" in got.detail


def test_the_headline_pairs_one_clocks_due_with_its_own_notice() -> None:
    """The model team tells the client 41 min inside its window and the passengers days
    inside theirs: the headline's due and done are one clock's (the closest call), not the
    earliest due beside the latest notice — which read as nine minutes late."""
    r = clocks(flagship().scenario)
    assert r.status == "met"
    assert r.done_min is not None and r.due_min is not None
    assert r.done_min <= r.due_min
    assert (r.due_min - r.done_min) == pytest.approx(41)
