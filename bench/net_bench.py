"""Networked play under load: 50 seats on loopback, 1,000 decisions a minute.

A real ``drillbook host --headless`` runs in a child process (flagship scenario, a journal on
disk); 50 headless seats join it from this process — the six roles, the facilitator, and
evaluators and observers for the rest. The role seats submit decisions (``note``: accepted
at any time, so the load is steady) at the given rate between them. For each decision the
bench measures the time from its submission to the moment the LAST seat entitled to see it
(its role, the facilitator, every evaluator) has received its event frame, and reads the host
process's CPU time from /proc over the measured window.

The baseline is a bare ``websockets`` server in another child process that forwards each
frame it receives to the same set of connections (no session, no journal, no filtering):
the same messages, the same fan-out, in the same run. Not a test; nothing asserts a time.

    python bench/net_bench.py                 # 2 minutes, as the issue asks
    python bench/net_bench.py --seconds 20    # shorter
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from drillbook.scenarios.actions import ROLES
from websockets.asyncio.client import ClientConnection, connect

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def children_cpu(pid: int) -> float:
    """CPU seconds of a process's live children (the host's scoring process)."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    total = 0.0
    for kid in kids:
        with contextlib.suppress(OSError):  # gone meanwhile
            total += cpu_seconds(int(kid))
    return total


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# ── the bare echo server (a child process) ────────────────────────────────────────────────
ECHO = """
import asyncio, json, sys
from websockets.asyncio.server import serve
seats = {}
async def handler(ws):
    hello = json.loads(await ws.recv())
    name = hello["code"]
    seats[name] = ws
    await ws.send(json.dumps({"t": "welcome", "seat": name}))
    async for frame in ws:
        msg = json.loads(frame)
        for target in msg["to"]:
            peer = seats.get(target)
            if peer is not None:
                await peer.send(frame)
async def main():
    async with serve(handler, "127.0.0.1", 0, compression=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
asyncio.run(main())
"""


class Seat:
    def __init__(self, name: str, ws: ClientConnection) -> None:
        self.name, self.ws = name, ws
        self.seen: dict[str, float] = {}  # decision tag → when it arrived here


async def read(seat: Seat, tag_of: Any) -> None:
    try:
        async for frame in seat.ws:
            tag = tag_of(json.loads(frame))
            if tag is not None:
                seat.seen[tag] = time.perf_counter()
    except Exception:
        return


async def drive(
    seats: dict[str, Seat],
    roles: list[str],
    entitled: dict[str, list[str]],
    send: Any,
    seconds: float,
    per_minute: float,
) -> tuple[list[float], int]:
    """Send decisions round-robin from the role seats; return submit→last-entitled latencies."""
    gap = 60.0 / per_minute
    sent: list[tuple[str, str, float]] = []
    start = time.perf_counter()
    i = 0
    while (now := time.perf_counter()) - start < seconds:
        role = roles[i % len(roles)]
        tag = f"b{i}"
        sent.append((tag, role, now))
        await send(seats[role], role, tag)
        i += 1
        await asyncio.sleep(max(0.0, start + i * gap - time.perf_counter()))
    await asyncio.sleep(1.0)  # the last ones arrive
    latencies, lost = [], 0
    for tag, role, t0 in sent:
        arrivals = [seats[s].seen.get(tag) for s in entitled[role]]
        if any(a is None for a in arrivals):
            lost += 1
            continue
        latencies.append(max(arrivals) - t0)  # type: ignore[type-var]
    return latencies, lost


async def bench_host(n_seats: int, seconds: float, per_minute: float) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="net-bench-"))
    roles = list(ROLES)  # the flagship's table: the article's six
    rest = n_seats - len(roles) - 1
    evaluators, observers = rest // 2 + rest % 2, rest // 2
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "drillbook",
            "host",
            "airline-pricing-0347",
            "--headless",
            "--autostart",
            "--port",
            "0",
            "-j",
            str(tmp / "run.jsonl"),
            "--codes",
            str(tmp / "codes.json"),
            "--evaluators",
            str(evaluators),
            "--observers",
            str(observers),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    port = int(proc.stdout.readline().rsplit(":", 1)[1].split()[0])
    codes = json.loads((tmp / "codes.json").read_text())
    url = f"ws://127.0.0.1:{port}"
    seats: dict[str, Seat] = {}
    for name, code in codes.items():
        ws = await connect(url, compression=None, proxy=None, max_size=None)
        await ws.send(json.dumps({"t": "hello", "protocol": 1, "code": code, "last_seq": -1}))
        seats[name] = Seat(name, ws)

    def tag_of(m: dict[str, Any]) -> str | None:
        if m.get("t") == "event" and m["event"].get("type") == "action_taken":
            return m["event"]["params"].get("text")
        return None

    readers = [asyncio.create_task(read(s, tag_of)) for s in seats.values()]
    judges = [s for s in codes if s.startswith("evaluator-")]
    entitled = {r: [r, "facilitator", *judges] for r in roles}

    async def send(seat: Seat, role: str, tag: str) -> None:
        command = {"type": "action_taken", "role": role, "action": "note", "params": {"text": tag}}
        await seat.ws.send(json.dumps({"t": "command", "cid": tag, "command": command}))

    await asyncio.sleep(1.0)  # every welcome in
    cpu0, kids0, wall0 = cpu_seconds(proc.pid), children_cpu(proc.pid), time.perf_counter()
    latencies, lost = await drive(seats, roles, entitled, send, seconds, per_minute)
    elapsed = time.perf_counter() - wall0
    cpu = (cpu_seconds(proc.pid) - cpu0) / elapsed
    scorer_cpu = (children_cpu(proc.pid) - kids0) / elapsed
    for r in readers:
        r.cancel()
    for s in seats.values():
        await s.ws.close()
    proc.terminate()
    proc.wait(10)
    journal_decisions = sum(
        1 for line in (tmp / "run.jsonl").read_text().splitlines() if '"action_taken"' in line
    )
    return {
        "latencies": latencies,
        "lost": lost,
        "cpu": cpu,
        "journaled": journal_decisions,
        "entitled": len(entitled[roles[0]]),
        "scorer_cpu": scorer_cpu,
    }


async def bench_echo(n_seats: int, seconds: float, per_minute: float) -> dict[str, Any]:
    proc = subprocess.Popen(
        [sys.executable, "-c", ECHO], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    port = int(proc.stdout.readline())
    roles = [f"role-{i}" for i in range(6)]
    others = [f"seat-{i}" for i in range(n_seats - 6)]
    judges = others[: (n_seats - 7) // 2 + (n_seats - 7) % 2 + 1]  # facilitator + evaluators
    seats: dict[str, Seat] = {}
    for name in roles + others:
        ws = await connect(f"ws://127.0.0.1:{port}", compression=None, proxy=None)
        await ws.send(json.dumps({"t": "hello", "code": name}))
        seats[name] = Seat(name, ws)

    def tag_of(m: dict[str, Any]) -> str | None:
        return m.get("tag")

    readers = [asyncio.create_task(read(s, tag_of)) for s in seats.values()]
    entitled = {r: [r, *judges] for r in roles}

    async def send(seat: Seat, role: str, tag: str) -> None:
        event = {"type": "action_taken", "role": role, "action": "note", "params": {"text": tag}}
        await seat.ws.send(
            json.dumps({"t": "event", "tag": tag, "to": entitled[role], "event": event})
        )

    await asyncio.sleep(1.0)
    cpu0, wall0 = cpu_seconds(proc.pid), time.perf_counter()
    latencies, lost = await drive(seats, roles, entitled, send, seconds, per_minute)
    cpu = (cpu_seconds(proc.pid) - cpu0) / (time.perf_counter() - wall0)
    for r in readers:
        r.cancel()
    for s in seats.values():
        await s.ws.close()
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(10)
    return {"latencies": latencies, "lost": lost, "cpu": cpu, "entitled": len(entitled[roles[0]])}


def show(name: str, r: dict[str, Any]) -> None:
    ms = [x * 1000 for x in r["latencies"]]
    extra = f", journaled {r['journaled']}" if "journaled" in r else ""
    if "scorer_cpu" in r:
        extra += f"; evaluators' scorer process CPU {r['scorer_cpu']:.1%}"
    print(
        f"{name:<22} decisions {len(ms):>5}  lost {r['lost']}  p50 {statistics.median(ms):6.2f} ms"
        f"  p99 {percentile(ms, 99):6.2f} ms  max {max(ms):7.2f} ms  server CPU {r['cpu']:.1%}"
        f"  (fan-out to {r['entitled']} seats{extra})"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--per-minute", type=float, default=1000.0)
    parser.add_argument("--seats", type=int, default=50)
    args = parser.parse_args()
    print(
        f"{args.seats} seats, {args.per_minute:g} decisions/min for {args.seconds:g} s, "
        f"loopback, {os.cpu_count()} CPUs"
    )
    host = await bench_host(args.seats, args.seconds, args.per_minute)
    echo = await bench_echo(args.seats, args.seconds, args.per_minute)
    show("drillbook host", host)
    show("bare websockets echo", echo)


if __name__ == "__main__":
    asyncio.run(main())
