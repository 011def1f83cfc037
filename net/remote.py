"""A joined seat's session: ``SessionLike`` over a WebSocket, for the same screens as local play.

The socket lives on a background thread with its own asyncio loop; the screens live on the UI
thread. They meet only through two hand-offs: frames received are queued and turned into
events and clock state in :meth:`RemoteSession.tick` (which the app's timer calls on the UI
thread, so Textual widgets are only touched from there), and :meth:`apply` sends a command
with a fresh command id and waits for the host's acknowledgement. A dropped connection is
re-opened with backoff, sending the last event number seen, and unacknowledged commands are
sent again with the *same* id, so the host records each once.

The seat's clock runs from the host's last reported state (its sim time, speed, running) and
the local time that state was received — never from the seat's own idea of the story.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import queue
import secrets
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drillbook.net import wire
from drillbook.net.hostframes import address_problem, check_host_frame
from drillbook.net.seatview import scenario_from_document, seat_loaded
from drillbook.scenarios.model import Scenario
from drillbook.simulator.commands import Command
from drillbook.simulator.events import FACILITATOR, Event, Kind
from drillbook.simulator.protocol import SeatView, Snapshot
from drillbook.simulator.refusals import ActionRejected
from drillbook.simulator.session import RunSettings
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

ACK_SECONDS = 10.0
BACKOFF = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0)
# Records a console keeps of itself (read marks, the seat it is on, where its clock stood):
# a joined console's are its own business, never sent to the host's journal.
CONSOLE_ONLY = frozenset({Kind.INJECT_READ, Kind.SEAT_TAKEN, Kind.CLOCK_MARK})
FATAL = frozenset({"bad-code", "protocol", "revoked", "replaced"})  # no reconnecting after these


class JoinError(Exception):
    """The host could not be reached, or refused this seat (one line for the person)."""


@dataclass
class _State:
    now: float = 0.0
    reached: float = 0.0
    speed: float = 1.0
    running: bool = False
    started: bool = False
    ended: bool = False
    received: float = 0.0
    meters: dict[str, float] | None = None
    upcoming: tuple[dict[str, Any], ...] = ()


class RemoteSession:
    """One seat of a hosted exercise. ``connect()`` joins; ``close()`` leaves."""

    def __init__(
        self,
        url: str,
        code: str,
        *,
        ssl: Any = None,
        wall: Callable[[], float] = time.monotonic,
        on_frame: Callable[[dict[str, Any]], None] | None = None,
        ack_seconds: float = ACK_SECONDS,
    ) -> None:
        self.url, self._code, self._ssl = url, code, ssl
        self._wall = wall
        self.on_frame = on_frame  # every frame received, on the network thread (tests, --events)
        self.ack_seconds = ack_seconds
        self.seat = ""
        self.kind = ""
        self.role: str | None = None
        self._scenario: Scenario | None = None
        self._settings = RunSettings()
        self._events: list[Event] = []
        self._subs: list[tuple[str, Callable[[Event], None]]] = []
        self._inbox: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self._state = _State()
        self.verdicts: dict[
            int, dict[str, Any]
        ] = {}  # evaluator and facilitator seats: the host scorer's, by seq
        self.verdicts_version = 0
        self._last_seq = -1  # the network thread's: the last event number received
        self._pending: dict[str, tuple[dict[str, Any], concurrent.futures.Future[Any]]] = {}
        self._loop = asyncio.new_event_loop()
        self._ws: ClientConnection | None = None
        self._welcomed = threading.Event()
        self._sending: set[asyncio.Future[None]] = set()
        self._stopping = False
        self.fatal: str | None = None  # why the host closed this seat for good
        self.reconnects = 0
        self._thread = threading.Thread(target=self._run, name=f"seat {url}", daemon=True)

    # ── joining and leaving ─────────────────────────────────────────────────────────────
    def connect(self, timeout: float = 10.0) -> RemoteSession:
        problem = address_problem(self.url)
        if problem is not None:  # before the thread: a bad address is the person's to fix
            raise JoinError(f"{self.url}: {problem}")
        self._thread.start()
        if not self._welcomed.wait(timeout):
            self.close()
            raise JoinError(
                self.fatal or f"{self.url}: no answer from the host within {timeout:g} s"
            )
        if self.fatal:
            self.close()
            raise JoinError(self.fatal)
        self.tick()  # the welcome and the catch-up are the session's first state
        return self

    def close(self) -> None:
        self._stopping = True
        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(self._shut(), self._loop)
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(5)

    async def _shut(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._connection_loop())
        finally:
            self._welcomed.set()
            self._loop.close()

    async def _connection_loop(self) -> None:
        attempt = 0
        while not self._stopping:
            try:
                async with connect(
                    self.url,
                    ssl=self._ssl,
                    max_size=wire.MAX_HOST_FRAME,
                    compression=None,
                    open_timeout=5,
                    proxy=None,
                ) as ws:
                    self._ws = ws
                    await ws.send(wire.encode(wire.hello(self._code, self._last_seq)))
                    attempt = 0
                    async for frame in ws:
                        message = wire.decode(frame, wire.MAX_HOST_FRAME, depth=64)
                        check_host_frame(message)
                        self._received(message)
                        if self.fatal:
                            return
                        if self._welcomed.is_set() and ws is self._ws and self._resend:
                            await self._send_pending(ws)
            except ssl.SSLCertVerificationError as exc:
                self.fatal = (
                    f"{self.url}: the host's certificate is not trusted ({exc.verify_message}); "
                    "expected --cafile with the host's certificate"
                )
                return
            except wire.WireError as exc:  # a host that is not drillbook's: not one to retry
                self.fatal = f"{self.url}: the host sent what is not the protocol ({exc})"
                return
            except ConnectionClosed as exc:
                if exc.sent is not None and exc.sent.code == 1009:  # over MAX_HOST_FRAME
                    self.fatal = f"{self.url}: the host sent a frame over 16 MiB; not the protocol"
                    return
            except (OSError, InvalidHandshake, TimeoutError):
                pass
            except InvalidURI as exc:
                self.fatal = f"{self.url}: not a WebSocket address ({exc}); expected ws://HOST:PORT"
                return
            self._ws = None
            if self._stopping or self.fatal:
                return
            if not self._welcomed.is_set() and attempt >= 3:
                self.fatal = f"{self.url}: cannot reach the host; expected a running drillbook host"
                return
            self.reconnects += 1
            await asyncio.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
            attempt += 1
            self._resend = True

    _resend = False

    async def _send_pending(self, ws: ClientConnection) -> None:
        """After a reconnection, send every unacknowledged command again (same ids)."""
        self._resend = False
        for cid, (message, _) in list(self._pending.items()):
            if cid in self._pending:
                await ws.send(wire.encode(message))

    def _received(self, message: dict[str, Any]) -> None:
        """On the network thread: note the event number, settle acks, queue the rest."""
        if self.on_frame is not None:
            self.on_frame(message)
        t = message["t"]
        if t == "event":
            self._last_seq = max(self._last_seq, int(message["seq"]))
            if self._backlog > 0:
                self._backlog -= 1
                if self._backlog == 0:
                    self._welcomed.set()
        elif t == "ack":
            entry = self._pending.pop(str(message.get("cid")), None)
            if entry is not None and not entry[1].done():
                entry[1].set_result(message)
            return
        elif t == "error":
            cid = message.get("cid")
            entry = self._pending.pop(cid, None) if isinstance(cid, str) else None
            if entry is not None and not entry[1].done():
                entry[1].set_result(message)
            if message.get("code") in FATAL:
                self.fatal = f"{self.url}: {message.get('message')}"
                self._welcomed.set()
            return
        elif t == "welcome":
            self._welcomed_with(message)
        self._inbox.put(message)

    def _welcomed_with(self, message: dict[str, Any]) -> None:
        first = self._scenario is None
        if first:
            try:
                self._scenario = scenario_from_document(message["scenario"])
            except (KeyError, TypeError, ValueError) as exc:
                self.fatal = f"{self.url}: the host's scenario does not load here ({exc!s:.300})"
                self._welcomed.set()
                return
            self.seat, self.kind, self.role = message["seat"], message["kind"], message.get("role")
            s = message.get("settings", {})
            self._settings = RunSettings(
                seed=int(s.get("seed") or 0),
                plan=s.get("plan"),
                client=s.get("client"),
                roster=dict(s.get("roster") or {}),
                practice=bool(s.get("practice")),
                mode=str(s.get("mode", "play")),
            )
        backlog = message.get("backlog", 0)
        self._backlog = backlog if isinstance(backlog, int) and backlog > 0 else 0
        if not self._backlog:
            self._welcomed.set()  # else once the catch-up is in: the screens open on it

    _backlog = 0

    # ── SessionLike ─────────────────────────────────────────────────────────────────────
    @property
    def scenario(self) -> Scenario:
        assert self._scenario is not None, "connect() first"
        return self._scenario

    @property
    def loaded(self) -> Any:
        return seat_loaded(self.scenario, self.url)

    @property
    def settings(self) -> RunSettings:
        return self._settings

    @property
    def ended(self) -> bool:
        return self._state.ended

    @property
    def journal_path(self) -> Path | None:
        return None  # the journal is the host's

    def apply(self, command: Command, *, at: float | None = None) -> Event | None:
        """Send ``command`` and wait for the host's answer (its event; a refusal raises
        ``ActionRejected``, as a local session's would)."""
        if at is not None:
            raise ActionRejected("a seat cannot place an input at a time of its choosing")
        if getattr(command, "type_", None) in CONSOLE_ONLY:
            return None  # this console's own bookkeeping: the host's journal is not for it
        if self.fatal:
            raise ActionRejected(self.fatal)
        cid = secrets.token_urlsafe(12)
        message = wire.command_message(command, cid)
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()

        def send() -> None:
            self._pending[cid] = (message, future)
            ws = self._ws
            if ws is not None:
                task = asyncio.ensure_future(self._send_quietly(ws, message))
                self._sending.add(task)
                task.add_done_callback(self._sending.discard)

        self._loop.call_soon_threadsafe(send)
        try:
            answer = future.result(self.ack_seconds)
        except concurrent.futures.TimeoutError:
            self._loop.call_soon_threadsafe(self._pending.pop, cid, None)
            raise ActionRejected(
                f"no answer from the host within {self.ack_seconds:g} s; not known to be recorded"
            ) from None
        if answer["t"] == "error" or "error" in answer:
            raise ActionRejected(str(answer.get("error") or answer.get("message")))
        self._drain()  # the event itself arrived before its ack: hand it over now
        return answer.get("event")

    def end(self, reason: str = "end of play") -> Event | None:
        """End play at the host (the facilitator's seat; any other is refused there)."""
        from drillbook.simulator.commands import EndPlay

        return self.apply(EndPlay(reason))

    async def _send_quietly(self, ws: ClientConnection, message: dict[str, Any]) -> None:
        with contextlib.suppress(ConnectionClosed):
            await ws.send(wire.encode(message))  # a drop: sent again on reconnection

    def tick(self) -> None:
        """On the UI thread: take what the network brought and tell the subscribers."""
        self._drain()

    def _drain(self) -> None:
        while True:
            try:
                message = self._inbox.get_nowait()
            except queue.Empty:
                return
            t = message["t"]
            if t == "verdicts":
                found = {int(d["seq"]): d for d in message.get("decisions", [])}
                self.verdicts = found if message.get("full") else {**self.verdicts, **found}
                self.verdicts_version += 1
            elif t in ("state", "welcome"):
                self._take_state(message["state"] if t == "welcome" else message)
            elif t == "event":
                event = message["event"]
                if self._events and event["seq"] <= self._events[-1]["seq"]:
                    continue  # already had it (a catch-up overlapping what was received)
                self._events.append(event)
                if event["type"] == Kind.RUN_ENDED:
                    self._state.ended = True
                    self._state.running = False
                self._state.reached = max(self._state.reached, float(event["sim"]))
                for _, callback in list(self._subs):
                    callback(event)

    def _take_state(self, s: dict[str, Any]) -> None:
        st = self._state
        st.now, st.reached = float(s["now"]), max(st.reached, float(s["reached"]))
        st.speed, st.running = float(s["speed"]), bool(s["running"])
        st.started, st.ended = bool(s["started"]), bool(s["ended"])
        st.received = self._wall()
        if "meters" in s:
            st.meters = dict(s["meters"])
            st.upcoming = tuple(s.get("upcoming", ()))

    def history(self, role: str = FACILITATOR) -> list[Event]:
        return list(self._events)

    def subscribe(
        self, callback: Callable[[Event], None], role: str = FACILITATOR
    ) -> Callable[[], None]:
        entry = (role, callback)
        self._subs.append(entry)
        return lambda: self._subs.remove(entry) if entry in self._subs else None

    def snapshot(self, role: str = FACILITATOR) -> Snapshot:
        st = self._state
        now = st.now
        if st.running and not st.ended:
            now += (self._wall() - st.received) * st.speed / 60.0
        return Snapshot(
            role=self.seat or role,
            now=now,
            reached=st.reached,
            speed=st.speed,
            running=st.running and not st.ended,
            started=st.started,
            ended=st.ended,
            anchor_sim=st.now,
            anchor_wall=st.received,
            meters=dict(st.meters or {}),
            upcoming=st.upcoming,
        )

    def host_time(self) -> float:
        """How far the host's story has run, as the host last said (what a transcript bot
        waits for: never the seat's own extrapolation)."""
        return max(self._state.now, self._state.reached)

    def view(self, role: str) -> SeatView:
        return SeatView(self, role)


__all__ = ["JoinError", "RemoteSession", "address_problem"]
