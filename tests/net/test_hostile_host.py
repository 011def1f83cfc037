"""`drillbook join` against a hostile or broken host on loopback: garbage, frames of the wrong
shape, a frame over the seat's limit, events out of order, a host that never answers. The
player gets one line and a non-zero status (never a traceback, never a seat hanging on)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from drillbook.net.remote import JoinError, RemoteSession
from drillbook.net.seats import Seat
from drillbook.net.wire import SeatKind
from netkit import open_table
from websockets.asyncio.server import ServerConnection, serve

from drillbook.cli import main


async def real_welcome() -> dict[str, Any]:
    """The welcome a real host gives the on-call seat (what the fake host starts from)."""
    table = await open_table()
    welcome = table.host._welcome(Seat("on_call", SeatKind.ROLE), -1, 0)
    await table.host.close()
    return json.loads(json.dumps(welcome))


def event(seq: int, **fields: Any) -> dict[str, Any]:
    body = {"seq": seq, "type": "clock", "sim": 1.0, "verb": "start", **fields}
    return {"t": "event", "seq": seq, "event": body}


@asynccontextmanager
async def fake_host(frames: list[Any]) -> AsyncIterator[str]:
    """A host that answers a hello with ``frames`` (text sent as is), then waits."""

    async def handler(ws: ServerConnection) -> None:
        await ws.recv()
        for frame in frames:
            await ws.send(frame if isinstance(frame, str) else json.dumps(frame))
        await ws.wait_closed()

    async with serve(handler, "127.0.0.1", 0, max_size=None, compression=None) as server:
        yield f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}"


async def joined(url: str) -> int:
    async with asyncio.timeout(30):
        return await asyncio.to_thread(main, ["join", url, "--code", "x", "--headless"])


def one_line(capsys: pytest.CaptureFixture[str], says: str) -> None:
    err = capsys.readouterr().err
    assert "Traceback" not in err, err[-2000:]
    assert len(err.strip().splitlines()) == 1, err[-2000:]
    assert says in err, err


@pytest.mark.parametrize(
    ("broken", "says"),
    [
        # garbage: the seat reconnected for ever, then said "no answer within 10 s"
        (lambda w: ["{not json"], "not the protocol"),
        (lambda w: [{"t": "welcome"}], "a welcome without its 'seat'"),
        (lambda w: [{**w, "scenario": "gone"}], "a welcome without its scenario"),
        (lambda w: [{**w, "state": {**w["state"], "now": "soon"}}], "'now' is not a number"),
        # after the welcome: a KeyError on the network thread, the seat following for ever
        (lambda w: [w, {"t": "event", "event": {}}], "an event without its number"),
        (lambda w: [w, event(3, sim="late")], "an event without its story time"),
        (lambda w: [w, {"t": "state", "now": 1}], "is not a number"),
        (lambda w: [w, {"t": "verdicts", "decisions": [{"seq": "x"}]}], "verdicts without"),
        (lambda w: [w, "\x00" * 10], "not the protocol"),
    ],
)
async def test_a_host_that_sends_what_is_not_the_protocol_is_one_line(
    capsys: pytest.CaptureFixture[str], broken: Any, says: str
) -> None:
    frames = broken(await real_welcome())
    async with fake_host(frames) as url:
        status = await joined(url)
    assert status != 0
    one_line(capsys, says)


async def test_a_frame_over_the_seat_s_limit_is_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A frame over 16 MiB closed the socket (1009) and the seat tried again for ever."""
    welcome = await real_welcome()
    async with fake_host([welcome, "x" * (16 * 1024 * 1024 + 1)]) as url:
        status = await joined(url)
    assert status != 0
    one_line(capsys, "over 16 MiB")


async def test_events_out_of_order_are_taken_once_in_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    welcome = await real_welcome()
    ended = {"seq": 9, "type": "run_ended", "sim": 5.0, "reason": "end of play"}
    frames = [welcome, event(5), event(3), event(5), {"t": "event", "seq": 9, "event": ended}]
    async with fake_host(frames) as url:
        status = await joined(url)
    assert status == 0
    assert "3 events received" not in capsys.readouterr().err


async def test_a_host_that_never_answers_is_one_line() -> None:
    async with fake_host([]) as url:
        remote = RemoteSession(url, "x")
        with pytest.raises(JoinError, match=r"no answer from the host within 0\.5 s"):
            await asyncio.to_thread(remote.connect, 0.5)
