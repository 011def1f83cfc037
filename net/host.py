"""The host: one local Session behind a WebSocket endpoint, every seat filtered before sending.

Everything runs on ONE asyncio loop and thread — Textual's, when the facilitator's console is
open in the host's terminal (``drillbook host``), or a plain loop (``--headless``) — so the
session is only ever touched from one thread, like in local play. The host subscribes to the
session as the facilitator and, for every journaled event, puts on each connection's queue
only what that seat may see (:func:`net.seats.seat_event`); a writer task per connection
sends its queue in order. A seat that cannot keep up is disconnected and catches up when it
reconnects (``last_seq``).

A command from a seat is decoded and checked (:mod:`net.wire`), answered from the journal if
its ``cid`` is already recorded (a retry), else applied through ``Session.apply`` and
acknowledged with its event. Anything refused gets an error frame and a log line, and the
journal is untouched.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from drillbook.net import fields, wire
from drillbook.net.connection import RATE, Connection, Guarded, Tap
from drillbook.net.seats import Seat, SeatCodes, seat_event, seat_history
from drillbook.net.seatview import scenario_document
from drillbook.net.verdicts import Scorer, Verdicts
from drillbook.net.wire import SeatKind, WireError
from drillbook.simulator.commands import pause_clock
from drillbook.simulator.events import FACILITATOR, Event, Kind
from drillbook.simulator.refusals import ActionRejected
from drillbook.simulator.session import Session
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

log = logging.getLogger("drillbook.net")

HELLO_SECONDS = 10.0  # a connection that says nothing for this long after opening is closed
TICK_SECONDS = 0.05  # a headless host's clock, as a console's timer
PULSE_SECONDS = 0.25  # how often a running clock's state goes out (seats' clocks stay close)
MAX_CONNECTIONS = 256  # open sockets at once, joined or not (a seat count is far below)
CLOSE_REPLACED = 4000  # WebSocket close codes of ours (docs/protocol.md)
CLOSE_REVOKED = 4001
CLOSE_REFUSED = 4003
JUDGES = (SeatKind.EVALUATOR, SeatKind.FACILITATOR)  # the seats the verdicts go to
VERDICT_SECONDS = 1.0  # evaluators' verdicts are re-scored at most this often


class Host:
    """Seats around one session. ``start()`` listens; ``close()`` stops and disconnects."""

    def __init__(
        self,
        session: Session,
        codes: SeatCodes,
        *,
        tap: Tap | None = None,
        scorer: Scorer | None = None,
        verdict_seconds: float = VERDICT_SECONDS,
        score_apart: bool = False,
    ) -> None:
        """``scorer`` gives evaluators their verdicts; ``score_apart`` runs it in a process of
        its own (``drillbook host`` does; tests keep it in a thread)."""
        self.session = session
        # evaluators' verdicts (None: no scorer; they see decisions without them)
        self.verdicts = (
            Verdicts(
                scorer,
                session.history,
                self._to_judges,
                verdict_seconds,
                isolate=score_apart,
            )
            if scorer is not None
            else None
        )
        self.codes = codes
        self.tap = tap  # every frame sent, per seat (tests record them all)
        self.roles = list(session.scenario.role_ids)
        self.live: dict[str, Connection] = {}
        self.refusals = 0  # frames answered with an error (tests and the console read it)
        self._acks: dict[str, Event] = {}
        for event in session.history():
            if isinstance(event.get("cid"), str):
                self._acks[event["cid"]] = event  # a retry after a restart is answered too
        self._docs = {
            full: scenario_document(session.scenario, full=full) for full in (True, False)
        }
        self._server: Server | None = None
        self._pulse: asyncio.Task[None] | None = None
        self._ticker: asyncio.Task[None] | None = None
        self.port = 0
        self._open = 0  # sockets open now
        # sockets open and not yet introduced (no hello), oldest first: the ones that give
        # way when the host is full, so silent sockets can never keep a seat out
        self._silent: dict[ServerConnection, None] = {}
        session.subscribe(self._on_event, FACILITATOR)

    # ── lifecycle ───────────────────────────────────────────────────────────────────────
    async def start(
        self, bind: str = "127.0.0.1", port: int = 0, *, ssl: Any = None, tick: bool = False
    ) -> int:
        """Listen on ``bind``:``port`` (0: any free port); returns the port. ``tick``: the host
        ticks the session itself (headless; with a console the app's timer does)."""
        self._server = await serve(
            self._handle,
            bind,
            port,
            ssl=ssl,
            max_size=wire.MAX_FRAME,
            max_queue=64,
            compression=None,
            create_connection=Guarded,
        )
        self.port = self._server.sockets[0].getsockname()[1]
        loop = asyncio.get_running_loop()
        self._pulse = loop.create_task(self._pulse_clock())
        if tick:
            self._ticker = loop.create_task(self._tick())
        log.info("listening on %s:%d", bind, self.port)
        return self.port

    async def close(self) -> None:
        for task in (self._pulse, self._ticker):
            if task is not None:
                task.cancel()
        if self.verdicts is not None:
            self.verdicts.close()
        for conn in list(self.live.values()):
            conn.close(1001, "the host is closing")
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _tick(self) -> None:
        """A headless host's clock: what the console's timer does, every ``TICK_SECONDS``."""
        while not self.session.ended:
            await asyncio.sleep(TICK_SECONDS)
            self.tick()

    def tick(self) -> None:
        """Advance the story; at the end of play a running clock is paused (as on a console)."""
        session = self.session
        if session.ended:
            return
        session.tick()
        snap = session.snapshot()
        if snap.running and snap.reached >= session.scenario.ends:
            session.apply(pause_clock())

    async def _pulse_clock(self) -> None:
        """While the clock runs, every seat hears where it stands a few times a second."""
        while True:
            await asyncio.sleep(PULSE_SECONDS)
            if not self.session.ended and self.session.snapshot().running:
                self.pulse()

    def pulse(self) -> None:
        """Send every seat the clock's state now (also after every clock change)."""
        for conn in list(self.live.values()):
            conn.push(self._state(conn.seat))

    # ── seats ───────────────────────────────────────────────────────────────────────────
    def reissue(self, name: str) -> str:
        """Revoke a seat's code (its connection is closed) and return the new one."""
        code = self.codes.reissue(name)
        conn = self.live.pop(name, None)
        if conn is not None:
            conn.push(wire.error("revoked", "this seat's code was revoked by the facilitator"))
            conn.close(CLOSE_REVOKED, "code revoked")
        log.info("seat %s: code reissued", name)
        return code

    def connected(self) -> list[str]:
        return sorted(self.live)

    def _state(self, seat: Seat) -> dict[str, Any]:
        snap = self.session.snapshot(seat.view_role)
        state: dict[str, Any] = {
            "t": "state",
            "now": snap.now,
            "reached": snap.reached,
            "speed": snap.speed,
            "running": snap.running,
            "started": snap.started,
            "ended": snap.ended,
        }
        if seat.kind == SeatKind.FACILITATOR:
            state["meters"] = snap.meters
            state["upcoming"] = list(snap.upcoming)
        return state

    def _on_event(self, event: Event) -> None:
        """Fan one journaled event out: each seat gets its own view of it, or nothing."""
        for conn in list(self.live.values()):
            shown = seat_event(event, conn.seat, self.roles)
            if shown is not None:
                conn.push(wire.event_message(shown))
        if event["type"] in (Kind.CLOCK, Kind.RUN_ENDED):
            self.pulse()
        if event["type"] == Kind.DECISION and self.verdicts is not None and self._judges():
            self.verdicts.changed()

    # ── the scorer's verdicts, for evaluators and the facilitator ───────────────────────
    def _judges(self) -> list[Connection]:
        """The seats shown the scorer's verdicts: evaluators, and a facilitator seated here
        (whose console has no scorer of its own — the plan and client are the host's)."""
        return [c for c in self.live.values() if c.seat.kind in JUDGES]

    def _to_judges(self, frame: dict[str, Any]) -> None:
        text = wire.encode(frame)  # once, whatever the number of seats
        for conn in self._judges():
            conn.push(frame, text)

    # ── one connection ──────────────────────────────────────────────────────────────────
    async def _handle(self, ws: ServerConnection) -> None:
        peer = _peer(ws)
        if self._open >= MAX_CONNECTIONS and not self._make_room(peer):
            await self._refuse(ws, peer, WireError("busy", "too many connections; try again"))
            return
        self._open += 1
        try:
            await self._session_of(ws, peer)
        finally:
            self._open -= 1
            self._silent.pop(ws, None)

    def _make_room(self, peer: str) -> bool:
        """A full host closes the oldest socket that has not said hello, for the newcomer:
        a seat that joins is never turned away while anything that never spoke holds a
        place (seats joined are never closed for it). False: every place is a seat's."""
        for oldest in self._silent:
            del self._silent[oldest]
            log.warning("%s: host full: %s, silent since it opened, closed", peer, _peer(oldest))
            # its handler returns (and gives its place back) once it has closed: until then
            # the count is one over, never more than the sockets given way
            asyncio.get_running_loop().create_task(oldest.close(CLOSE_REFUSED, "busy"))
            return True
        return False

    async def _session_of(self, ws: ServerConnection, peer: str) -> None:
        self._silent[ws] = None
        try:
            first = await asyncio.wait_for(ws.recv(), HELLO_SECONDS)
            if ws not in self._silent:
                return  # it gave way to a newcomer as its hello came (``_make_room``)
            del self._silent[ws]
            code, last_seq = wire.check_hello(wire.decode(first))
        except (TimeoutError, ConnectionClosed):
            return
        except WireError as exc:
            await self._refuse(ws, peer, exc)
            return
        seat = self.codes.seat_for(code)
        if seat is None:
            await self._refuse(ws, peer, WireError("bad-code", "this code opens no seat here"))
            return
        old = self.live.get(seat.name)
        if old is not None:
            log.info(
                "seat %s: joined again from %s; the older connection is closed", seat.name, peer
            )
            old.push(wire.error("replaced", "this seat was joined from another connection"))
            old.close(CLOSE_REPLACED, "seat taken by a newer connection")
        conn = Connection(seat, ws, self.tap)
        self.live[seat.name] = conn
        # welcome and the catch-up are queued with no await in between: no event slips past
        backlog = seat_history(self.session.history(), seat, self.roles, last_seq)
        conn.push(self._welcome(seat, last_seq, len(backlog)))
        for event in backlog:
            conn.push(wire.event_message(event))
        if seat.kind in JUDGES and self.verdicts is not None:
            if self.verdicts.latest is not None:
                conn.push(self.verdicts.latest)
            self.verdicts.changed()  # and a fresh reading, off the loop
        log.info("seat %s: joined from %s (after event %d)", seat.name, peer, last_seq)
        try:
            async for frame in ws:
                if conn.closing:
                    break  # revoked, replaced or too slow: nothing more it says is taken
                self._receive(conn, frame)
        except ConnectionClosed:
            pass
        finally:
            if self.live.get(seat.name) is conn:
                del self.live[seat.name]
            conn.close(1000, "bye")
            log.info("seat %s: left", seat.name)

    def _welcome(self, seat: Seat, last_seq: int, backlog: int) -> dict[str, Any]:
        return {
            "t": "welcome",
            "protocol": wire.PROTOCOL,
            "seat": seat.name,
            "kind": seat.kind,
            "role": seat.role,
            "roles": self.roles,
            "scenario": self._docs[seat.kind == SeatKind.FACILITATOR],
            "settings": self._settings(seat),
            "state": self._state(seat),
            "after": last_seq,
            "backlog": backlog,  # how many event frames follow at once (the catch-up)
        }

    def _settings(self, seat: Seat) -> dict[str, Any]:
        s = self.session.settings
        out: dict[str, Any] = {"roster": dict(s.roster), "practice": s.practice, "mode": s.mode}
        if seat.kind == SeatKind.FACILITATOR:
            out |= {"seed": s.seed, "plan": s.plan, "client": s.client}
        return out

    def _receive(self, conn: Connection, frame: str | bytes) -> None:
        seat = conn.seat
        if not conn.bucket.take():
            self._refused(conn, WireError("flood", f"more than {RATE:g} messages a second"))
            return
        cid = None
        try:
            message = wire.decode(frame)
            if message["t"] == "ping":
                conn.push({"t": "pong"})
                return
            if message["t"] != "command":
                raise WireError(
                    "unknown-message", f"{fields.shown(message['t'])} is not a message a seat sends"
                )
            cid = message.get("cid") if isinstance(message.get("cid"), str) else None
            command = wire.command_from_wire(message, seat.kind, seat.role)
        except WireError as exc:
            self._refused(conn, exc, cid)
            return
        assert command.cid is not None
        known = self._acks.get(command.cid)
        if known is not None:
            shown = seat_event(known, seat, self.roles)
            if shown is None:
                self._refused(conn, WireError("duplicate-cid", "this command id is taken"), cid)
            else:
                conn.push({"t": "ack", "cid": command.cid, "event": shown, "repeat": True})
            return
        try:
            event = self.session.apply(command)
        except (ActionRejected, ValueError) as exc:
            why = str(exc)[:500]  # it may quote what the seat sent: never more than a line
            log.info("seat %s: %s refused: %s", seat.name, command.describe(), why)
            conn.push({"t": "ack", "cid": command.cid, "error": why})
            return
        if event is not None:
            self._acks[command.cid] = event
        shown = seat_event(event, seat, self.roles) if event is not None else None
        conn.push({"t": "ack", "cid": command.cid, "event": shown})

    def _refused(self, conn: Connection, exc: WireError, cid: str | None = None) -> None:
        self.refusals += 1
        log.warning("seat %s: %s: %s", conn.seat.name, exc.code, exc)
        if exc.code == "flood":
            now = time.monotonic()
            if now - conn.flood_told < 1.0:
                return  # told once a second, so a flood cannot make the host flood back
            conn.flood_told = now
        conn.push(wire.error(exc.code, str(exc), cid))

    async def _refuse(self, ws: ServerConnection, peer: str, exc: WireError) -> None:
        self.refusals += 1
        log.warning("%s: %s: %s", peer, exc.code, exc)
        with contextlib.suppress(ConnectionClosed):
            if self.tap is not None:
                self.tap("", wire.error(exc.code, str(exc)))
            await ws.send(wire.encode(wire.error(exc.code, str(exc))))
            await ws.close(CLOSE_REFUSED, exc.code)


def _peer(ws: ServerConnection) -> str:
    addr = ws.remote_address
    return f"{addr[0]}:{addr[1]}" if isinstance(addr, tuple) else str(addr)
