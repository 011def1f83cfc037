"""The flagship, calibrated on the article: "by 6 AM, over 12,000 tickets", "$2.1 million".

06:00 is +2:13 after the 03:47 start; the revenue team arrives at 07:30 (+3:43).
"""

from __future__ import annotations

import pytest
from drillbook.scenarios import library
from drillbook.scenarios.loader import load
from drillbook.scenarios.transcript import load_transcript
from drillbook.simulator.commands import Decide
from drillbook.simulator.engine import Engine
from drillbook.simulator.headless import run_transcript
from drillbook.simulator.session import RunSettings
from enginekit import act, deliveries, recording

FLAGSHIP = load(library.resolve(library.FLAGSHIP))
SIX_AM = 2 * 60 + 13
ARTICLE_LOSS = 2_100_000


def test_the_flagship_is_the_articles_story() -> None:
    s = FLAGSHIP.scenario
    assert s.id == "airline-pricing-0347"
    assert s.start == "Tue 03:47"
    assert s.truth.root_cause == "stale-inventory-feed" and len(s.truth.causes) >= 3
    assert len(s.injects) >= 10
    assert len([i for i in s.injects if i.when is not None]) >= 2
    assert set(s.role_ids) == {
        "on_call",
        "incident_commander",
        "technical_lead",
        "communications_lead",
        "data_lead",
        "legal_advisor",
    }


def test_nobody_acts_over_12000_tickets_by_six_and_about_2_1_million_in_the_end() -> None:
    engine = Engine(FLAGSHIP.scenario, seed=1)
    events = recording(engine)
    engine.run_until(SIX_AM)
    assert engine.meters.value("tickets_sold", SIX_AM) > 12_000
    report = next(e for e in events if e.get("inject") == "sellout-report")
    assert report["sim"] == SIX_AM
    assert report["title"] == "06:00 sales report: 12,630 tickets at $14"
    ended = engine.finish()
    assert ended["meters"]["revenue_lost"] == pytest.approx(ARTICLE_LOSS, rel=0.05)


def test_the_articles_timeline_ends_at_about_2_1_million() -> None:
    transcript = load_transcript(library.reference_transcript(library.FLAGSHIP, "article"))
    session = run_transcript(FLAGSHIP, transcript, RunSettings(seed=1, mode="headless"))
    assert session._engine.meters.value("tickets_sold", SIX_AM)  # the story at 06:00 > 12_000
    assert session.history()[-1]["meters"]["revenue_lost"] == pytest.approx(ARTICLE_LOSS, rel=0.05)
    got = deliveries(session.history())
    # nobody acknowledged, contained or called the client: the story says so
    assert got["alert-escalated"] == [21.0]
    assert got["still-selling"] == [60.0]
    assert got["revenue-team-panic"] == [223.0]


@pytest.mark.parametrize("method", ["take_offline", "fallback", "human_review", "rollback"])
@pytest.mark.parametrize("minute", [8, 20])
def test_containing_within_20_minutes_loses_a_small_fraction(method: str, minute: int) -> None:
    engine = Engine(FLAGSHIP.scenario, seed=1)
    act(engine, minute, "technical_lead", "contain", method=method)
    ended = engine.finish()
    lost = ended["meters"]["revenue_lost"]
    assert lost == pytest.approx(minute * 60 * 140)  # 60 tickets a minute, $140 each, then none
    assert lost < 0.1 * ARTICLE_LOSS


def test_rate_limiting_slows_but_does_not_stop_the_loss() -> None:
    engine = Engine(FLAGSHIP.scenario, seed=1)
    act(engine, 20, "technical_lead", "contain", method="rate_limit")
    engine.run_until(100)
    # 1,200 by +0:20, then 15 a minute
    assert engine.meters.value("tickets_sold", 100) == pytest.approx(1200 + 80 * 15)


def test_the_model_team_keeps_the_loss_small_and_triggers_no_penalty_inject() -> None:
    transcript = load_transcript(library.reference_transcript(library.FLAGSHIP))
    session = run_transcript(FLAGSHIP, transcript, RunSettings(seed=1, mode="headless"))
    assert session.history()[-1]["meters"]["revenue_lost"] < 0.1 * ARTICLE_LOSS
    got = deliveries(session.history())
    for penalty in ("alert-escalated", "still-selling", "revenue-team-panic", "vendor-confirms"):
        assert penalty not in got
    assert got["containment-confirmed"] == [24.0]  # contained at +0:19, confirmed 5 min later
    assert got["client-duty-manager"] == [40.0]  # told at +0:25, the call 15 min later


def test_the_msel_marks_branches_the_team_has_closed() -> None:
    from drillbook.scenarios import library, load
    from drillbook.scenarios.actions import parse_action
    from drillbook.simulator.session import RunSettings, Session

    session = Session(load(library.resolve(library.FLAGSHIP)), RunSettings())
    session.start()
    rows = {r["inject"]: r for r in session.snapshot().upcoming}
    assert rows["alert-escalated"]["open"] and rows["still-selling"]["open"]
    session.apply(Decide.of("on_call", parse_action({"action": "acknowledge"})), at=8)
    session.apply(
        Decide.of("technical_lead", parse_action({"action": "contain", "method": "fallback"})),
        at=19,
    )
    rows = {r["inject"]: r for r in session.snapshot().upcoming}
    assert rows["alert-escalated"]["open"] is False  # acknowledged before +0:21
    assert rows["still-selling"]["open"] is False  # contained before +1:00
    assert rows["client-duty-manager"]["open"] is True  # the client can still be told
    session.end()
    delivered = {e["inject"] for e in session.history() if e["type"] == "inject_delivered"}
    assert not {"alert-escalated", "still-selling"} & delivered
