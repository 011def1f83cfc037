"""Hostile seats against a real host on loopback: a command whose fields are not a console's,
text a terminal would obey, a seat that goes on talking after it was closed, a ping storm
that reads no pongs. Each is refused or cut, the journal holds nothing of it, the host logs
one line for it (never a traceback) and the other seats play on."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from pathlib import Path
from typing import Any

import pytest
from drillbook.net import connection
from drillbook.simulator.journal import Journal
from netkit import RawSeat, open_table, seat
from websockets.asyncio.client import connect

NOTE = {"type": "evaluator_note", "text": "the IC asked for the fare log"}
ADHOC = {
    "type": "facilitator",
    "verb": "adhoc",
    "to": ["on_call"],
    "channel": "chat",
    "title": "Ping",
    "body": "are you there?",
    "due": 30,
}


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def command(cid: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"t": "command", "cid": cid, "command": body}


async def still_served(raw: RawSeat) -> None:
    """The seat's connection is alive and answered (a refusal did not end it)."""
    await raw.send({"t": "ping"})
    await raw.until(lambda f: f["t"] == "pong")


def no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        assert record.exc_info is None, record.getMessage()
        assert "internal error" not in record.getMessage()


@pytest.mark.parametrize(
    ("name", "body"),
    [
        # a field named like the engine's own argument: it was a TypeError, the seat cut 1011
        ("evaluator-1", {**NOTE, "type_": "lesson"}),
        # the journal's own fields, forged into the line
        ("evaluator-1", {**NOTE, "wall": "1999-01-01T00:00:00Z", "hash": "0" * 64}),
        ("evaluator-1", {**NOTE, "verdict": {"status": "met"}}),
        ("evaluator-1", {"type": "lesson", "text": "x", "plan_change": "yes"}),
        # the facilitator's records were journaled as sent: a note whose text is a mapping
        ("facilitator", {"type": "evaluator_note", "text": {"a": [1, 2]}}),
        ("facilitator", {"type": "lesson", "text": 123}),
        ("facilitator", {"type": "hotwash_started", "extra": {"x": 1}}),
        # the facilitator's changes of the wrong kind were TypeErrors inside the engine
        ("facilitator", {**ADHOC, "due": "soon"}),
        ("facilitator", {**ADHOC, "title": {"x": 1}}),
        ("facilitator", {**ADHOC, "to": "on_call"}),
        ("facilitator", {**ADHOC, "priority": "high"}),
        ("facilitator", {"type": "facilitator", "verb": "cancel", "inject": {"a": 1}}),
        ("facilitator", {"type": "facilitator", "verb": "retime", "inject": ["deal-sites"]}),
        ("facilitator", {"type": "facilitator", "verb": "retime", "inject": "deal-sites"}),
    ],
)
async def test_a_command_with_fields_no_console_writes_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, body: dict[str, Any]
) -> None:
    path = tmp_path / "run.jsonl"
    table = await open_table(journal=Journal(path))
    before = lines(path)
    raw = await seat(table.url, table.codes[name])
    await raw.send(command("c1", body))
    error = await raw.until(lambda f: f["t"] == "error")
    assert error["code"] == "malformed", error
    assert len(error["message"]) < 200
    await still_served(raw)
    assert lines(path) == before
    no_traceback(caplog)
    await table.host.close()


async def test_a_console_s_own_records_still_go_through(tmp_path: Path) -> None:
    """What the consoles' dialogs write is taken as before (the fields refused are others)."""
    table = await open_table(journal=Journal(tmp_path / "run.jsonl"))
    raw = await seat(table.url, table.codes["evaluator-1"])
    sent = [
        {**NOTE, "capability": "communications", "about": "on_call"},
        {"type": "rating", "capability": "communications", "rating": "S", "note": None},
        {"type": "lesson", "capability": "communications", "text": "x", "question": 0},
        {"type": "lesson", "text": "y", "plan_change": True},
    ]
    for i, body in enumerate(sent):
        await raw.send(command(f"r{i}", body))
        ack = await raw.until(lambda f, i=i: f["t"] == "ack" and f["cid"] == f"r{i}")
        assert ack["event"]["type"] == body["type"], ack
    await table.host.close()


@pytest.mark.parametrize(
    ("name", "frame"),
    [
        ("evaluator-1", command("c1", {**NOTE, "text": "ok\x1b[2J\x1b]0;pwned\x07"})),
        ("evaluator-1", command("c1", {**NOTE, "text": "fare log\r\x1b[Kall clear"})),
        ("evaluator-1", command("c1", {**NOTE, "text": "reordered \u202eevil"})),
        ("evaluator-1", {"t": "\x1b[31mred\x1b[0m"}),
        ("on_call", command("c1", {"type": "action_taken", "action": "ack\x1bnowledge"})),
        ("facilitator", command("c1", {"type": "run_ended", "reason": "bye\x07"})),
        ("facilitator", command("c1", {**ADHOC, "body": "\x9b2J"})),
        ("on_call", {"t": "hello\x00", "protocol": 1}),
    ],
)
async def test_text_a_terminal_would_obey_is_refused_at_the_door(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, frame: dict[str, Any]
) -> None:
    """Control characters (ESC, BEL, CR, C1 CSI) and bidi overrides reached the journal, the
    other seats' consoles and the host's log as sent; refused, nothing of them is anywhere."""
    path = tmp_path / "run.jsonl"
    table = await open_table(journal=Journal(path))
    before = lines(path)
    raw = await seat(table.url, table.codes[name])
    caplog.set_level(logging.INFO, logger="drillbook.net")
    await raw.send(frame)
    error = await raw.until(lambda f: f["t"] == "error")
    assert error["code"] == "malformed" and "control character" in error["message"]
    await still_served(raw)
    assert lines(path) == before
    for record in caplog.records:
        text = record.getMessage()
        assert not any(c in text for c in "\x00\x07\x1b\r\x9b\u202e"), text
    await table.host.close()


async def test_a_huge_name_sent_back_is_cut_short(caplog: pytest.LogCaptureFixture) -> None:
    """A message type, role or command type of 60,000 characters was quoted whole in the
    error frame and the host's log line."""
    table = await open_table()
    raw = await seat(table.url, table.codes["on_call"])
    await raw.send({"t": "x" * 60_000})
    await raw.send(command("c1", {"type": "action_taken", "role": "r" * 60_000}))
    await raw.until(lambda f: f["t"] == "error" and f["code"] == "forbidden")
    for error in (f for f in raw.frames if f["t"] == "error"):
        assert len(error["message"]) < 200, error["message"][:100]
    assert all(len(r.getMessage()) < 300 for r in caplog.records)
    await table.host.close()


async def test_a_revoked_seat_is_heard_no_more(tmp_path: Path) -> None:
    """A seat whose code the facilitator revoked went on being heard until its socket closed:
    a note sent right after the revocation was journaled."""
    path = tmp_path / "run.jsonl"
    table = await open_table(journal=Journal(path))
    raw = await seat(table.url, table.codes["evaluator-1"])
    table.host.reissue("evaluator-1")
    await raw.send(command("after-revoke", NOTE))
    await raw.closed.wait()
    await asyncio.sleep(0.05)
    assert not any(e.get("cid") == "after-revoke" for e in table.session.history())
    assert "after-revoke" not in path.read_text(encoding="utf-8")
    await table.host.close()


async def test_a_replaced_seat_that_reads_nothing_is_cut(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The older connection of a seat joined again, its reader stopped: its writer waited in
    a send for ever, so it was never closed, kept its place among the host's sockets, and
    every decision it still sent was recorded as the seat's."""
    monkeypatch.setattr(connection, "CLOSE_SECONDS", 0.2)
    table = await open_table()
    table.at(7)
    sock = socket.create_connection(("127.0.0.1", table.host.port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    ws = await connect(table.url, sock=sock, compression=None, proxy=None, max_queue=1)
    hello = {"t": "hello", "protocol": 1, "code": table.codes["on_call"], "last_seq": -1}
    await ws.send(json.dumps(hello))
    while "on_call" not in table.host.live:
        await asyncio.sleep(0.01)
    ws.transport.pause_reading()
    old = table.host.live["on_call"]
    for _ in range(400):  # far more than any socket buffer: its writer is stuck in a send
        old.push({"t": "state", "pad": "x" * 60_000})
    await asyncio.sleep(0.1)
    newer = await seat(table.url, table.codes["on_call"])
    ack = {"type": "action_taken", "action": "acknowledge", "params": {"re": "anomaly-alert"}}
    await ws.send(json.dumps(command("from-the-old-one", ack)))
    for _ in range(500):
        if old.writer.done() and table.host._open == 1:
            break
        await asyncio.sleep(0.01)
    assert old.writer.done() and table.host._open == 1
    assert not any(e.get("cid") == "from-the-old-one" for e in table.session.history())
    await still_served(newer)
    no_traceback(caplog)
    ws.transport.abort()
    await table.host.close()


async def test_a_ping_storm_that_reads_no_pongs_is_cut(caplog: pytest.LogCaptureFixture) -> None:
    """Every WebSocket ping is answered with a pong written straight to the socket: a client
    that sent pings and read nothing grew the host's write buffer by what it sent (34 MB for
    38 MB of pings), below the flood limit, which counts messages, not control frames."""
    table = await open_table()
    observer = await seat(table.url, table.codes["observer-1"])
    sock = socket.create_connection(("127.0.0.1", table.host.port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    ws = await connect(table.url, sock=sock, compression=None, proxy=None)
    hello = {"t": "hello", "protocol": 1, "code": table.codes["evaluator-1"], "last_seq": -1}
    await ws.send(json.dumps(hello))
    ws.transport.pause_reading()
    largest = 0
    for i in range(400):  # up to 400 × 250 pings of 125 bytes: 12.5 MB
        if ws.protocol.state.name != "OPEN":
            break
        for _ in range(250):
            ws.protocol.send_ping(b"x" * 125)
        ws.send_data()
        await asyncio.sleep(0.002 if i % 10 else 0.02)
        for conn in table.host.live.values():
            largest = max(largest, conn.ws.transport.get_write_buffer_size())
    assert ws.protocol.state.name != "OPEN" or "evaluator-1" not in table.host.live
    assert largest <= connection.UNREAD_REPLIES + 64 * 1024
    await still_served(observer)
    no_traceback(caplog)
    ws.transport.abort()
    await table.host.close()
