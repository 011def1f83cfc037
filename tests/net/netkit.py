"""A hosted exercise on loopback for the network tests: a real host on a real socket, a fake
wall clock the test moves (nothing sleeps), raw WebSocket seats that record every frame."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from drillbook.net.host import Host
from drillbook.net.seats import SeatCodes, seats_for
from drillbook.scenarios import library, load
from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator import commands
from drillbook.simulator.journal import Journal
from drillbook.simulator.session import RunSettings, Session
from websockets.asyncio.client import ClientConnection, connect

FLAGSHIP_MODEL = library.LIBRARY_DIR / "transcripts" / "airline-pricing-0347.model.yaml"
STORY_FIELDS_DROPPED = ("seq", "wall", "hash", "cid", "run_id", "chain")


class Wall:
    """A wall clock the test sets: at ×60, one wall second is one story minute."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


@dataclass
class Table:
    session: Session
    host: Host
    codes: dict[str, str]
    wall: Wall
    url: str
    sent: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def at(self, minutes: float) -> None:
        """Move the host's clock to story time ``minutes`` and tell every seat."""
        self.wall.t = minutes  # started at wall 0, ×60
        self.host.tick()
        self.host.pulse()

    async def settled(self) -> None:
        """Wait until every frame queued for a seat is on the wire."""
        for _ in range(10_000):
            if all(c.queue.empty() for c in self.host.live.values()):
                await asyncio.sleep(0)
                if all(c.queue.empty() for c in self.host.live.values()):
                    return
            await asyncio.sleep(0.001)
        raise AssertionError("frames still queued")


async def open_table(
    loaded: LoadedScenario | None = None,
    *,
    evaluators: int = 1,
    observers: int = 1,
    journal: Journal | None = None,
    start: bool = True,
    scorer: Any = None,
) -> Table:
    loaded = loaded or load(library.resolve(library.FLAGSHIP))
    wall = Wall()
    session = Session(loaded, RunSettings(seed=1), journal=journal, wall=wall)
    session.start()
    codes = SeatCodes(seats_for(loaded.scenario.role_ids, evaluators, observers))
    sent: dict[str, list[dict[str, Any]]] = {}
    host = Host(
        session,
        codes,
        tap=lambda seat, m: sent.setdefault(seat, []).append(m),
        scorer=scorer,
        verdict_seconds=0.0,
    )
    port = await host.start("127.0.0.1", 0)
    if start:
        session.apply(commands.set_speed(60))
        session.apply(commands.start_clock())
    return Table(session, host, codes.codes(), wall, f"ws://127.0.0.1:{port}", sent)


class RawSeat:
    """One seat on a raw socket: it records every frame it receives, in order."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []
        self._reader = asyncio.get_running_loop().create_task(self._read())
        self.closed = asyncio.Event()

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                self.frames.append(json.loads(frame))
        except Exception:
            pass
        finally:
            self.closed.set()

    async def send(self, message: dict[str, Any] | str | bytes) -> None:
        await self.ws.send(message if isinstance(message, str | bytes) else json.dumps(message))

    async def until(self, test: Callable[[dict[str, Any]], bool], limit: float = 15.0) -> dict:
        """The first frame received that passes ``test`` (waiting for it if need be)."""
        async with asyncio.timeout(limit):
            while True:
                for f in self.frames:
                    if test(f):
                        return f
                if self.closed.is_set():
                    raise AssertionError(f"closed before a matching frame: {self.frames[-3:]}")
                await asyncio.sleep(0.001)

    def events(self) -> list[dict[str, Any]]:
        return [f["event"] for f in self.frames if f["t"] == "event"]

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()


async def seat(url: str, code: str, last_seq: int = -1) -> RawSeat:
    ws = await connect(url, compression=None, proxy=None)
    raw = RawSeat(ws)
    await raw.send({"t": "hello", "protocol": 1, "code": code, "last_seq": last_seq})
    await raw.until(lambda f: f["t"] in ("welcome", "error"))
    return raw


def story(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Deliveries, decisions and facilitator changes, without numbers and wall-clock fields."""
    kinds = ("inject_delivered", "action_taken", "facilitator")
    return [
        {k: v for k, v in e.items() if k not in STORY_FIELDS_DROPPED}
        for e in events
        if e["type"] in kinds
    ]


def keys_anywhere(value: Any) -> set[str]:
    """Every mapping key at any depth of a frame."""
    if isinstance(value, dict):
        return set(value) | set().union(*(keys_anywhere(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_anywhere(v) for v in value)) if value else set()
    return set()


class HostThread:
    """A table whose host runs on a loop of its own thread: a console under test blocks its
    own loop while it waits for an ack, so the host it waits on must live elsewhere."""

    def __init__(self, **options: Any) -> None:
        import threading

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.table: Table = self.run(open_table(**options))

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        async def on_host() -> Any:
            return fn(*args)

        return self.run(on_host())

    def close(self) -> None:
        self.run(self.table.host.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
