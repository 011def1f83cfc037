"""One seat's socket on the host: its queue of frames, the task that sends them in order, and
its flood control. A seat that cannot keep up is closed (it catches up when it reconnects)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from drillbook.net import wire
from drillbook.net.seats import Seat
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

log = logging.getLogger("drillbook.net")

QUEUE_FRAMES = 20_000  # frames waiting for one seat before it is dropped (it will catch up)
CLOSE_SECONDS = 5.0  # a seat closed (revoked, replaced, too slow) that reads nothing is cut
UNREAD_REPLIES = 256 * 1024  # bytes of pongs a peer that reads nothing may leave unsent
RATE = 30.0  # frames a second a connection may send, on average …
BURST = 60.0  # … and at once
CLOSE_SLOW = 4008
Tap = Callable[[str, dict[str, Any]], None]


@dataclass
class TokenBucket:
    """At most ``burst`` frames at once and ``rate`` a second on average (flood control)."""

    rate: float = RATE
    burst: float = BURST
    wall: Callable[[], float] = time.monotonic
    tokens: float = field(default=-1.0)
    at: float = 0.0

    def take(self) -> bool:
        now = self.wall()
        if self.tokens < 0:
            self.tokens, self.at = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Connection:
    """One seat's live socket: its queue of frames and the task that sends them."""

    def __init__(self, seat: Seat, ws: ServerConnection, tap: Tap | None) -> None:
        self.seat = seat
        self.ws = ws
        self.queue: asyncio.Queue[tuple[dict[str, Any], str | None] | None] = asyncio.Queue(
            QUEUE_FRAMES
        )
        self.bucket = TokenBucket()
        self.tap = tap
        self.closing = False
        self.flood_told = 0.0
        self.writer = asyncio.get_running_loop().create_task(self._write())

    def push(self, message: dict[str, Any], text: str | None = None) -> None:
        """Queue a frame; ``text`` is the message already encoded (one frame for many seats
        is encoded once)."""
        if self.closing:
            return
        try:
            self.queue.put_nowait((message, text))
        except asyncio.QueueFull:
            log.warning(
                "seat %s: too slow (%d frames waiting); dropped", self.seat.name, QUEUE_FRAMES
            )
            self.close(CLOSE_SLOW, "too slow: reconnect to catch up")

    def close(self, code: int, reason: str) -> None:
        """Send what is queued, then close with ``code`` (the writer does it, in order)."""
        if self.closing:
            return
        self.closing = True
        self._close_with = (code, reason)
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait(None)
        if self.queue.full():
            self.writer.cancel()
            asyncio.get_running_loop().create_task(self.ws.close(code, reason))
        # A peer that reads nothing holds the writer in a send for ever, and the close frame
        # behind it: past ``CLOSE_SECONDS`` the socket is cut, so it neither stays open nor
        # holds its place among the host's connections.
        asyncio.get_running_loop().call_later(CLOSE_SECONDS, self._cut)

    def _cut(self) -> None:
        if not self.writer.done() or self.ws.state is not State.CLOSED:
            log.warning("seat %s: closed but not reading; connection cut", self.seat.name)
            self.writer.cancel()
            self.ws.transport.abort()

    async def _write(self) -> None:
        try:
            while True:
                queued = await self.queue.get()
                if queued is None:
                    code, reason = self._close_with
                    await self.ws.close(code, reason)
                    return
                message, text = queued
                if self.tap is not None:
                    self.tap(self.seat.name, message)
                await self.ws.send(wire.encode(message) if text is None else text)
        except ConnectionClosed:
            return
        except Exception:  # a bug of ours must not leave a seat waiting on a silent socket
            log.exception("seat %s: cannot send", self.seat.name)
            await self.ws.close(1011, "internal error")


class Guarded(ServerConnection):
    """A host's socket that a ping storm cannot fill: the library answers every ping with a
    pong written straight to the socket, unbounded, so a peer that sends pings and reads
    nothing would grow the host's memory by what it sends. Pongs left unread beyond
    ``UNREAD_REPLIES`` (counted since the peer last read everything) cut the connection."""

    unread_replies = 0

    def data_received(self, data: bytes) -> None:
        before = self.transport.get_write_buffer_size()
        super().data_received(data)
        if before == 0:
            self.unread_replies = 0  # the peer has taken everything sent so far
        self.unread_replies += max(0, self.transport.get_write_buffer_size() - before)
        if self.unread_replies > UNREAD_REPLIES and not self.transport.is_closing():
            log.warning("%s: sends pings, reads no pongs; connection cut", self.remote_address)
            self.transport.abort()
