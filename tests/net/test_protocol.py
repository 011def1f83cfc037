"""The protocol against hostile and unlucky seats: every bad message gets an error frame and
leaves the journal as it was; a reconnecting seat gets only what it missed; a retried command
is recorded once; the same code joined twice hands the seat to the newer connection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from drillbook.net.wire import MAX_FRAME
from drillbook.simulator.journal import Journal, read_journal
from netkit import open_table, seat

ACK = {"type": "action_taken", "role": "on_call", "action": "acknowledge", "params": {}}


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "malformed"),
        ('{"t": "command", "cid": "x", "command": ' * 40 + "1" + "}" * 40, "malformed"),
        ('{"t": "command", "cid": 1e999}', "malformed"),
        (json.dumps({"t": "shout"}), "unknown-message"),
        (json.dumps({"t": "command", "cid": "a1", "command": {"type": "rm -rf"}}), "forbidden"),
        (json.dumps({"t": "command", "command": ACK}), "malformed"),
        (
            json.dumps({"t": "command", "cid": "a2", "command": {**ACK, "role": "legal_advisor"}}),
            "forbidden",
        ),
        (
            json.dumps(
                {"t": "command", "cid": "a3", "command": {"type": "clock", "verb": "pause"}}
            ),
            "forbidden",
        ),
        (
            json.dumps({"t": "command", "cid": "a4", "command": {**ACK, "action": "launch"}}),
            "rejected",
        ),
        ("x" * (MAX_FRAME + 1), None),  # over the limit: the socket itself refuses (close 1009)
    ],
)
async def test_a_bad_message_is_answered_and_recorded_nowhere(
    tmp_path: Path, frame: str, code: str | None
) -> None:
    path = tmp_path / "run.jsonl"
    table = await open_table(journal=Journal(path))
    before = lines(path)
    raw = await seat(table.url, table.codes["on_call"])
    await raw.send(frame)
    if code is None:
        await raw.closed.wait()
        assert raw.ws.close_code == 1009
    else:
        error = await raw.until(lambda f: f["t"] == "error")
        assert error["code"] == code and error["message"]
        assert table.host.refusals == 1
    assert lines(path) == before
    await raw.close()
    await table.host.close()


@pytest.mark.parametrize(
    ("hello", "code"),
    [
        ({"t": "hello", "protocol": 99, "code": "x"}, "protocol"),
        ({"t": "hello", "protocol": 1, "code": "not-a-code"}, "bad-code"),
        ({"t": "command", "cid": "c", "command": ACK}, "expected-hello"),
        ({"t": "hello", "protocol": 1}, "bad-code"),
    ],
)
async def test_a_bad_hello_is_refused_and_closed(hello: dict, code: str) -> None:
    table = await open_table()
    from websockets.asyncio.client import connect

    async with connect(table.url, proxy=None) as ws:
        await ws.send(json.dumps(hello))
        answer = json.loads(await ws.recv())
        assert answer == {"t": "error", "code": code, "message": answer["message"]}
        await ws.wait_closed()
        assert ws.close_code == 4003
    assert table.host.live == {}
    await table.host.close()


async def test_an_observer_and_an_evaluator_send_only_what_they_may() -> None:
    table = await open_table()
    observer = await seat(table.url, table.codes["observer-1"])
    evaluator = await seat(table.url, table.codes["evaluator-1"])
    cmd = {"t": "command", "cid": "e1", "command": ACK}
    await observer.send(cmd)
    await evaluator.send(cmd)
    assert (await observer.until(lambda f: f["t"] == "error"))["code"] == "forbidden"
    assert (await evaluator.until(lambda f: f["t"] == "error"))["code"] == "forbidden"
    note = {"type": "evaluator_note", "text": "good bridge call", "capability": "command"}
    await evaluator.send({"t": "command", "cid": "e2", "command": note})
    ack = await evaluator.until(lambda f: f["t"] == "ack")
    assert ack["event"]["type"] == "evaluator_note" and ack["event"]["cid"] == "e2"
    await observer.close()
    await evaluator.close()
    await table.host.close()


async def test_a_flood_is_cut_off_and_the_journal_holds_only_what_got_through(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run.jsonl"
    table = await open_table(journal=Journal(path))
    raw = await seat(table.url, table.codes["evaluator-1"])
    for i in range(200):
        note = {"type": "evaluator_note", "text": f"note {i}"}
        await raw.send({"t": "command", "cid": f"n{i}", "command": note})
    await raw.until(lambda f: f["t"] == "error" and f["code"] == "flood")

    def acked() -> int:
        return sum(f["t"] == "ack" for f in raw.frames)

    # every frame was either recorded and acknowledged, or refused (told at most once a second)
    await raw.until(lambda f: acked() + table.host.refusals == 200, 20)
    recorded = [e for e in read_journal(path).events if e["type"] == "evaluator_note"]
    assert 0 < len(recorded) == acked() < 200
    floods = [f for f in raw.frames if f.get("code") == "flood"]
    assert 1 <= len(floods) <= 3  # told, not flooded back
    await raw.close()
    await table.host.close()


async def test_a_retried_command_is_recorded_once_and_answered_with_the_first_event() -> None:
    table = await open_table()
    table.at(7)
    raw = await seat(table.url, table.codes["on_call"])
    cmd = {"t": "command", "cid": "same-id", "command": {**ACK, "params": {"re": "anomaly-alert"}}}
    await raw.send(cmd)
    first = await raw.until(lambda f: f["t"] == "ack")
    await raw.close()
    again = await seat(table.url, table.codes["on_call"], last_seq=first["event"]["seq"])
    await again.send(cmd)
    second = await again.until(lambda f: f["t"] == "ack")
    assert second["event"] == first["event"] and second["repeat"] is True
    decisions = [e for e in table.session.history() if e["type"] == "action_taken"]
    assert len(decisions) == 1 and decisions[0]["cid"] == "same-id"
    await again.close()
    await table.host.close()


async def test_a_reconnecting_seat_gets_only_what_it_missed() -> None:
    table = await open_table()
    raw = await seat(table.url, table.codes["incident_commander"])
    table.at(10)
    await table.settled()
    seen = raw.events()
    last = seen[-1]["seq"]
    await raw.close()
    table.at(60)  # the seat is away for fifty story minutes
    back = await seat(table.url, table.codes["incident_commander"], last_seq=last)
    welcome = back.frames[0]
    await back.until(lambda f: len(back.events()) == welcome["backlog"], 5)
    missed = back.events()
    want = [e["seq"] for e in table.session.history("incident_commander") if e["seq"] > last]
    assert [e["seq"] for e in missed] == want and want
    assert {e["seq"] for e in missed}.isdisjoint(e["seq"] for e in seen)
    await back.close()
    await table.host.close()


async def test_the_same_code_twice_gives_the_seat_to_the_newer_connection() -> None:
    table = await open_table()
    older = await seat(table.url, table.codes["on_call"])
    newer = await seat(table.url, table.codes["on_call"])
    told = await older.until(lambda f: f["t"] == "error")
    assert told["code"] == "replaced"
    await older.closed.wait()
    assert older.ws.close_code == 4000
    table.at(7)  # the page goes to the newer connection only
    await newer.until(lambda f: f["t"] == "event" and f["event"]["type"] == "inject_delivered")
    assert table.host.connected() == ["on_call"]
    await newer.close()
    await table.host.close()


async def test_a_revoked_code_closes_the_seat_and_no_longer_opens_it() -> None:
    table = await open_table()
    raw = await seat(table.url, table.codes["legal_advisor"])
    fresh = table.host.reissue("legal_advisor")
    assert (await raw.until(lambda f: f["t"] == "error"))["code"] == "revoked"
    await raw.closed.wait()
    stale = await seat(table.url, table.codes["legal_advisor"])
    assert stale.frames[0]["code"] == "bad-code"
    good = await seat(table.url, fresh)
    assert good.frames[0]["t"] == "welcome" and fresh != table.codes["legal_advisor"]
    for r in (stale, good):
        await r.close()
    await table.host.close()


async def test_a_command_id_in_the_journal_is_answered_after_a_restart(tmp_path: Path) -> None:
    from drillbook.net.host import Host
    from drillbook.net.seats import SeatCodes, seats_for
    from drillbook.simulator.commands import Decide
    from drillbook.simulator.replay import resume

    first = await open_table(journal=Journal(tmp_path / "run.jsonl"))
    first.at(7)
    ack = Decide.of("on_call", {"action": "acknowledge", "re": "anomaly-alert"})
    recorded = first.session.apply(Decide("on_call", ack.action, cid="sent-before-the-crash"))
    await first.host.close()
    first.session.journal.close()  # the host is gone; its journal holds the decision
    session = resume(tmp_path / "run.jsonl")
    codes = SeatCodes(seats_for(session.scenario.role_ids), first.codes)
    host = Host(session, codes)
    port = await host.start()
    raw = await seat(f"ws://127.0.0.1:{port}", first.codes["on_call"], last_seq=recorded["seq"])
    cmd = {
        "t": "command",
        "cid": "sent-before-the-crash",
        "command": {**ACK, "params": {"re": "anomaly-alert"}},
    }
    await raw.send(cmd)
    answer = await raw.until(lambda f: f["t"] == "ack")
    assert answer["repeat"] is True and answer["event"]["seq"] == recorded["seq"]
    assert sum(e["type"] == "action_taken" for e in session.history()) == 1
    await raw.close()
    await host.close()
    session.journal.close()


async def test_a_clock_command_retried_after_a_restart_is_not_applied_twice(
    tmp_path: Path,
) -> None:
    """A facilitator's speed change whose ack was lost in a host crash is sent again to the
    restarted host: its command id is in the journal's clock line, so it is answered as a
    repeat — not journaled a second time."""
    from drillbook.net.host import Host
    from drillbook.net.seats import SeatCodes, seats_for
    from drillbook.simulator.commands import set_speed
    from drillbook.simulator.events import Kind
    from drillbook.simulator.replay import resume

    first = await open_table(journal=Journal(tmp_path / "run.jsonl"))
    speed = set_speed(30)
    recorded = first.session.apply(type(speed)(speed.verb, 30, cid="speed-before-the-crash"))
    assert recorded is not None and recorded["cid"] == "speed-before-the-crash"
    await first.host.close()
    first.session.journal.close()
    session = resume(tmp_path / "run.jsonl")
    clocks = [e for e in session.history() if e["type"] == Kind.CLOCK]
    host = Host(session, SeatCodes(seats_for(session.scenario.role_ids), first.codes))
    port = await host.start()
    raw = await seat(f"ws://127.0.0.1:{port}", first.codes["facilitator"])
    await raw.send(
        {
            "t": "command",
            "cid": "speed-before-the-crash",
            "command": {"type": "clock", "verb": "speed", "speed": 30},
        }
    )
    answer = await raw.until(lambda f: f["t"] == "ack")
    assert answer["repeat"] is True and answer["event"]["seq"] == recorded["seq"]
    assert [e for e in session.history() if e["type"] == Kind.CLOCK] == clocks
    await raw.close()
    await host.close()
    session.journal.close()


async def test_silent_sockets_filling_the_host_give_way_to_a_seat(monkeypatch) -> None:
    """A full host closes the oldest socket that never said hello for the newcomer, so a
    handful of silent connections cannot keep a player out; joined seats are never closed
    for it, and a host full of seats says 'busy'."""
    from drillbook.net import host as hostmod
    from websockets.asyncio.client import connect

    monkeypatch.setattr(hostmod, "MAX_CONNECTIONS", 3)
    table = await open_table()
    silent = [await connect(table.url, proxy=None) for _ in range(3)]
    oncall = await seat(table.url, table.codes["on_call"])
    assert oncall.frames[0]["t"] == "welcome"
    await silent[0].wait_closed()  # the oldest gave way
    assert silent[0].close_code == 4003
    lead = await seat(table.url, table.codes["incident_commander"])
    tech = await seat(table.url, table.codes["technical_lead"])
    assert [s.frames[0]["t"] for s in (lead, tech)] == ["welcome", "welcome"]
    for ws in silent:
        await ws.wait_closed()  # every silent one gave way, one per seat
    async with connect(table.url, proxy=None) as ws:  # refused before it can say hello
        answer = json.loads(await ws.recv())
        assert answer == {"t": "error", "code": "busy", "message": answer["message"]}
        await ws.wait_closed()
    assert set(table.host.live) == {"on_call", "incident_commander", "technical_lead"}
    for s in (oncall, lead, tech):
        await s.close()
    await table.host.close()


@pytest.mark.parametrize(
    "text",
    ["lone \\ud800 high", "\\udfff", "pair then lone \\ud83d\\ude00\\ud83d"],
)
async def test_a_lone_surrogate_from_a_seat_is_refused_and_nothing_breaks(
    tmp_path: Path, text: str
) -> None:
    """JSON's \\u escapes can spell half a surrogate pair: text no file or frame can encode.
    It is refused at the door with an error frame; the journal and the other seats go on."""
    path = tmp_path / "run.jsonl"
    table = await open_table(journal=Journal(path))
    evaluator = await seat(table.url, table.codes["evaluator-1"])
    oncall = await seat(table.url, table.codes["on_call"])
    note = '{"t":"command","cid":"n1","command":{"type":"evaluator_note","text":"TEXT"}}'
    decision = (
        '{"t":"command","cid":"d1","command":{"type":"action_taken","role":"on_call",'
        '"action":"acknowledge","params":{"rationale":"TEXT"}}}'
    )
    note, decision = (frame.replace("TEXT", text) for frame in (note, decision))
    await evaluator.send(note)
    await oncall.send(decision)
    for raw in (evaluator, oncall):
        error = await raw.until(lambda f: f["t"] == "error")
        assert error["code"] == "malformed" and "lone surrogate" in error["message"]
    await oncall.send({"t": "command", "cid": "d2", "command": ACK})
    assert (await oncall.until(lambda f: f["t"] == "ack"))["cid"] == "d2"
    await evaluator.until(lambda f: f["t"] == "event" and f["event"]["type"] == "action_taken")
    await table.host.close()
    table.session.journal.close()
    assert [e["type"] for e in read_journal(path).events].count("action_taken") == 1
