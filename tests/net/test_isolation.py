"""Isolation on the host: every frame sent to every seat is recorded, and none carries what
that seat may not see — another role's private inject, the MSEL, the truth, meters, verdicts
or scores; an observer's never a private inject or a decision."""

from __future__ import annotations

from drillbook.net.seatview import WITHHELD
from drillbook.scenarios import library, load
from drillbook.scenarios.transcript import load_transcript
from drillbook.simulator import commands
from drillbook.simulator.commands import Decide, SendAdhoc
from drillbook.simulator.session import reaches
from netkit import FLAGSHIP_MODEL, keys_anywhere, open_table, seat

from drillbook.commands.play import make_scorer, plan_loader

SECRET_KEYS = {"meters", "upcoming", "verdict", "why", "truth_severity", "seed", "plan", "client"}


async def test_every_frame_to_every_seat_is_that_seats_own() -> None:
    loaded = load(library.resolve(library.FLAGSHIP))
    scorer = make_scorer(loaded, plan_loader(None))
    table = await open_table(loaded, evaluators=1, observers=1, scorer=scorer)
    session, roles = table.session, table.session.scenario.role_ids
    seats = {name: await seat(table.url, code) for name, code in table.codes.items()}
    transcript = load_transcript(FLAGSHIP_MODEL)
    for d in sorted(transcript.decisions, key=lambda d: d.at)[:30]:
        table.at(d.at)
        session.apply(Decide(d.role, d.action))
    session.apply(SendAdhoc(("legal_advisor",), "email", "Private to legal", "for legal only"))
    session.apply(commands.note(text="IC slow to delegate", capability="command"))
    session.apply(commands.rating(capability="command", rating="S"))
    session.end()
    for raw in seats.values():
        await raw.until(lambda f: f["t"] == "event" and f["event"]["type"] == "run_ended")
    await seats["evaluator-1"].until(lambda f: f["t"] == "verdicts")  # scored off the loop
    await table.settled()
    truth = session.scenario.truth

    for name, frames in table.sent.items():
        assert frames == seats[name].frames  # what the host sent is what the seat got
        if name == "facilitator":
            continue
        welcome = frames[0]
        assert welcome["t"] == "welcome" and welcome["seat"] == name
        doc = welcome["scenario"]
        assert doc["truth"]["root_cause"] == WITHHELD
        assert [i["id"] for i in doc["injects"]] == [WITHHELD]
        assert "meters" not in doc and "based_on" not in doc and "client" not in doc
        text = str(frames)
        told = [
            f
            for f in frames[1:]
            if not (f["t"] == "event" and f["event"]["type"] == "action_taken")
        ]  # a seat's own diagnosis may name the true cause; nothing else the host sends does
        assert truth.root_cause not in str(told)
        for f in frames:
            assert not (keys_anywhere(f) & SECRET_KEYS), (name, f)
        events = [f["event"] for f in frames if f["t"] == "event"]
        kinds = {e["type"] for e in events}
        assert "facilitator" not in kinds  # the MSEL's edits
        assert "Private to legal" not in text or name in ("legal_advisor", "evaluator-1")
        verdicts = [f for f in frames if f["t"] == "verdicts"]
        assert bool(verdicts) == name.startswith("evaluator"), name  # scores: evaluators only
        if name in roles:
            assert all(name in e["to"] for e in events if e["type"] == "inject_delivered")
            assert all(  # its own decisions, and another's escalation to it
                e["role"] == name or reaches(e, name) for e in events if e["type"] == "action_taken"
            )
            assert not kinds & {"evaluator_note", "rating", "lesson"}
        elif name.startswith("observer"):
            assert not kinds & {"action_taken", "evaluator_note", "rating", "lesson"}
            for e in events:
                if e["type"] == "inject_delivered":
                    assert e["channel"] in ("news", "social") or set(roles) <= set(e["to"])
        else:  # an evaluator: decisions and notes, never MSEL edits
            assert {"action_taken", "evaluator_note", "rating"} <= kinds

    delivered = {r: 0 for r in roles}
    for e in session.history():
        if e["type"] == "inject_delivered":
            for r in e["to"]:
                delivered[r] += 1
    for r in roles:  # each role got every one of its own injects, and only those
        got = [e for e in seats[r].events() if e["type"] == "inject_delivered"]
        assert len(got) == delivered[r]
    observer = seats["observer-1"].events()
    assert any(e["type"] == "inject_delivered" for e in observer)  # the news reached it
    facilitator = seats["facilitator"].events()
    assert [e["seq"] for e in facilitator] == [e["seq"] for e in session.history()]
    for raw in seats.values():
        await raw.close()
    await table.host.close()
