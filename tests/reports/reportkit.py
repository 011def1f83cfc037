"""Helpers for the reports tests: play a flagship journal, and hand-built Scorecards.

The hand-built cards stand for what the scorer returns where a test needs figures it
controls (wording, ranking, due dates, trend arithmetic); the end-to-end tests use the real
scorer. Figures follow the flagship's calibration: containment at +1:00 sells
2,400 + 20 × 110 = 4,600 tickets ($644,000).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from drillbook.reports.exercise import Exercise, people_of, sha256_of
from drillbook.scenarios import library
from drillbook.scenarios.loader import LoadedScenario, load
from drillbook.scenarios.transcript import load_transcript
from drillbook.scoring.scorecard import (
    CapabilityResult,
    DecisionVerdict,
    ImpactLine,
    RatingOverride,
    RuleResult,
    Scorecard,
    Verdict,
)
from drillbook.simulator.commands import Decide, Record
from drillbook.simulator.journal import Journal, read_journal
from drillbook.simulator.session import RunSettings, Session

CAPS = {
    "detection": "Detection and escalation",
    "classification": "Classification",
    "containment": "Containment",
    "notification": "Client notification",
    "evidence": "Evidence preservation",
    "learning": "Post-incident learning",
}
SOURCES = {
    "ack": "Detect and confirm. Verify that the incident is real and assess initial severity.",
    "classify": "They make decisions about severity classification, escalation, and communication.",
    "contain": "Contain. Stop the harm from continuing.",
    "notify-client": "Initial notification within 1 hour for Critical incidents, 4 hours for High",
    "evidence-first": "Preserve evidence (before making changes).",
    "final-report": "Final incident report within 2 weeks of resolution",
}


def _rule(rid, cap, kind, title, status, credit, due=None, done=None, decisions=(), detail=""):
    def off(m):
        return None if m is None else f"+{int(m) // 60}:{int(m) % 60:02d}"

    late = None if due is None or done is None else done - due
    return RuleResult(
        id=rid,
        capability=cap,
        kind=kind,
        title=title,
        status=status,
        credit=credit,
        due=off(due),
        done=off(done),
        due_min=due,
        done_min=done,
        late_by=late,
        detail=detail,
        source=SOURCES.get(rid, ""),
        decisions=list(decisions),
    )


def _cap(cid, score, rating, rules, override=None, computed=None):
    return CapabilityResult(
        id=cid,
        title=CAPS[cid],
        score=score,
        rating=override.rating if override else rating,
        computed_rating=computed or rating,
        override=override,
        rules=rules,
    )


def _decisions(events, verdicts):
    out = []
    for e in events:
        if e["type"] != "action_taken":
            continue
        v = verdicts.get(e["seq"], [])
        sim = e["sim"]
        out.append(
            DecisionVerdict(
                seq=e["seq"],
                at=f"+{int(sim) // 60}:{int(sim) % 60:02d}",
                sim=sim,
                role=e["role"],
                action=e["action"],
                params=e.get("params", {}),
                summary=e["action"].replace("_", " "),
                re=e.get("params", {}).get("re"),
                rationale=e.get("params", {}).get("rationale"),
                plan_step=v[0][2] if v else None,
                verdicts=[
                    Verdict(rule=r, status=s, credit=1.0 if s == "met" else 0.3) for r, s, _ in v
                ],
            )
        )
    return out


def card_with(card: Scorecard, readiness: float, scores: dict[str, float]) -> Scorecard:
    """``card`` with its readiness and some capability scores set (for trend arithmetic)."""
    caps = {cid: replace(c, score=scores.get(cid, c.score)) for cid, c in card.capabilities.items()}
    return replace(card, readiness=readiness, capabilities=caps)


def _seq(events, action, role=None):
    return next(
        e["seq"]
        for e in events
        if e["type"] == "action_taken"
        and e["action"] == action
        and (role is None or e["role"] == role)
    )


def flagship_impact(tickets: int) -> dict[str, ImpactLine]:
    """The flagship's meters for a team that let ``tickets`` sell at $14 ($140 lost each),
    against a plan's timeline of 4,600 tickets."""
    return {
        "tickets_sold": ImpactLine(
            meter="tickets_sold",
            label="Tickets sold at $14",
            unit="tickets",
            format="count",
            actual=tickets,
            counterfactual=4600,
        ),
        "revenue_lost": ImpactLine(
            meter="revenue_lost",
            label="Revenue lost",
            unit="USD",
            format="money",
            actual=tickets * 140,
            counterfactual=644000,
        ),
    }


def model_card(events, *, override=None):
    ack, cls, con = _seq(events, "acknowledge"), _seq(events, "classify"), _seq(events, "contain")
    note = next(
        e["seq"]
        for e in events
        if e.get("action") == "notify" and e["params"]["audience"] == "client"
    )
    ev, fr = _seq(events, "preserve_evidence"), _seq(events, "final_report")
    rules = [
        _rule("ack", "detection", "deadline", "Acknowledge the alert", "met", 1, 15, 8, [ack]),
        _rule(
            "classify",
            "classification",
            "deadline",
            "Classify the incident",
            "met",
            1,
            30,
            14,
            [cls],
        ),
        _rule("contain", "containment", "deadline", "Contain the harm", "met", 1, 60, 19, [con]),
        _rule(
            "notify-client",
            "notification",
            "deadline",
            "Notify the client",
            "met",
            1,
            60,
            25,
            [note],
        ),
        _rule(
            "evidence-first",
            "evidence",
            "precedence",
            "Preserve evidence before changing the system",
            "met",
            1,
            None,
            17,
            [ev],
        ),
        _rule(
            "final-report",
            "learning",
            "deadline",
            "Send the final report",
            "met",
            1,
            20370,
            14400,
            [fr],
        ),
    ]
    caps = {
        "detection": _cap("detection", 100, "P", ["ack"]),
        "classification": _cap("classification", 100, "P", ["classify"]),
        "containment": _cap("containment", 100, "P", ["contain"]),
        "notification": _cap(
            "notification", 100, "P", ["notify-client"], override=override, computed="P"
        ),
        "evidence": _cap("evidence", 100, "P", ["evidence-first"]),
        "learning": _cap("learning", 95, "P", ["final-report"]),
    }
    verdicts = {
        ack: [("ack", "met", "Detect and confirm")],
        cls: [("classify", "met", "Classify")],
        con: [("contain", "met", "Contain")],
        note: [("notify-client", "met", "Notify the client")],
        ev: [("evidence-first", "met", "Preserve evidence")],
        fr: [("final-report", "met", "Final report")],
    }
    return Scorecard(
        scenario="airline-pricing-0347",
        title="3:47 AM: the $14 fares",
        plan="The article's response plan",
        severity="critical",
        readiness=98.5,
        rating="P",
        capabilities=caps,
        rules=rules,
        decisions=_decisions(events, verdicts),
        impact=flagship_impact(tickets=1140),
        critical_path=["contain", "notify-client"],
    )


def weak_card(events):
    ack, cls = _seq(events, "acknowledge"), _seq(events, "classify")
    rem = _seq(events, "remediate")
    rules = [
        _rule(
            "ack",
            "detection",
            "deadline",
            "Acknowledge the alert",
            "late",
            0.2,
            15,
            225,
            [ack],
            "Acknowledged at +3:45, 3 h 30 min after the window.",
        ),
        _rule(
            "classify",
            "classification",
            "deadline",
            "Classify the incident",
            "late",
            0.3,
            30,
            250,
            [cls],
            "Classified high; the incident was critical.",
        ),
        _rule(
            "contain",
            "containment",
            "deadline",
            "Contain the harm",
            "missed",
            0,
            60,
            None,
            [],
            "Nothing stopped the model.",
        ),
        _rule(
            "notify-client",
            "notification",
            "deadline",
            "Notify the client",
            "missed",
            0,
            60,
            None,
            [],
            "The client was never told.",
        ),
        _rule(
            "evidence-first",
            "evidence",
            "precedence",
            "Preserve evidence before changing the system",
            "violated",
            0,
            None,
            643,
            [rem],
            "The pipeline was fixed before any evidence was kept.",
        ),
        _rule(
            "final-report",
            "learning",
            "deadline",
            "Send the final report",
            "missed",
            0,
            20103,
            None,
            [],
        ),
    ]
    caps = {
        "detection": _cap("detection", 20, "M", ["ack"]),
        "classification": _cap("classification", 30, "M", ["classify"]),
        "containment": _cap("containment", 0, "U", ["contain"]),
        "notification": _cap("notification", 0, "U", ["notify-client"]),
        "evidence": _cap("evidence", 0, "U", ["evidence-first"]),
        "learning": _cap("learning", 0, "U", ["final-report"]),
    }
    verdicts = {
        ack: [("ack", "late", "Detect and confirm")],
        cls: [("classify", "late", "Classify")],
        rem: [("evidence-first", "violated", "Preserve evidence")],
    }
    return Scorecard(
        scenario="airline-pricing-0347",
        title="3:47 AM: the $14 fares",
        plan="The article's response plan",
        severity="critical",
        readiness=8.3,
        rating="U",
        capabilities=caps,
        rules=rules,
        decisions=_decisions(events, verdicts),
        impact=flagship_impact(tickets=15000),
        critical_path=["contain", "notify-client"],
    )


def override(rating="S", note="Client call was rushed."):
    return RatingOverride(rating=rating, note=note, sim=300.0)


WALL = "2025-02-11T09:30:00.000Z"


def fixed_wall(stamp: str = WALL):
    return lambda: stamp


def play(
    journal: Path,
    kind: str = "model",
    *,
    loaded: LoadedScenario | None = None,
    records: list[tuple[float, str, dict[str, Any]]] = (),
    roster: dict[str, str] | None = None,
    practice: bool = False,
    wall: str = WALL,
    extra: list[tuple[float, str, dict[str, Any]]] = (),
) -> Path:
    """Play a bundled transcript into ``journal``, adding records (notes, lessons) and decisions.

    ``records`` are (sim, type, fields) journaled at their time; ``extra`` are
    (sim, role, action-dict) decisions submitted beside the transcript's.
    """
    loaded = loaded or load(library.resolve(library.FLAGSHIP))
    transcript = load_transcript(library.reference_transcript(library.FLAGSHIP, kind))
    settings = RunSettings(
        seed=transcript.seed or 0, roster=roster or {}, practice=practice, mode="headless"
    )
    session = Session(loaded, settings, journal=Journal(journal, wall=fixed_wall(wall)))
    session.start()
    steps: list[tuple[float, int, Any]] = []
    for i, d in enumerate(transcript.decisions):
        steps.append((d.at, i, ("decide", d.role, d.action)))
    for j, (at, role, action) in enumerate(extra):
        steps.append((at, 10_000 + j, ("decide", role, action)))
    for k, (at, type_, fields) in enumerate(records):
        steps.append((at, 20_000 + k, ("record", type_, fields)))
    for at, _, step in sorted(steps, key=lambda s: (s[0], s[1])):
        if step[0] == "decide":
            session.apply(Decide.of(step[1], step[2]), at=at)
        else:
            session.run_to(at)
            session.apply(Record(step[1], dict(step[2])))
    session.end()
    return journal


def exercise_of(path: Path, kind: str, **card_kw: Any) -> Exercise:
    """An Exercise with a hand-built scorecard (above) for a played journal."""
    jf = read_journal(path)
    loaded = load(jf.started["scenario_file"])
    card = (model_card if kind == "model" else weak_card)(jf.events, **card_kw)
    return Exercise(
        journal=jf,
        scenario=loaded.scenario,
        scorecard=card,
        sha256=sha256_of(path),
        client_name=None,
        people=people_of(jf.events),
    )
