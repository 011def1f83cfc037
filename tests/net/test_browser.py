"""The browser seat: ``drillbook serve`` serves the join screen through textual-serve; a tab's
first screen asks for the code, and a code joins that seat at the host. Driven as the page's
script drives it — over textual-serve's own WebSocket (keys in, terminal bytes out)."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import sys
import urllib.request

import pytest
from netkit import HostThread
from websockets.asyncio.client import connect

pytest.importorskip("textual_serve")
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def screen_text(ws, wanted: str, seen: bytearray, limit: float = 20.0) -> None:
    async with asyncio.timeout(limit):
        while wanted not in ANSI.sub(b"", bytes(seen)).decode("utf-8", "replace"):
            frame = await ws.recv()
            if isinstance(frame, bytes):
                seen.extend(frame)


async def test_a_browser_tab_asks_for_the_code_and_joins_the_seat() -> None:
    hosted = HostThread()
    table = hosted.table
    port = free_port()
    serve = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "drillbook",
            "serve",
            "--port",
            str(port),
            "--tabs",
            "1",
            "--host-url",
            table.url,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert serve.stdout is not None
        serve.stdout.readline()  # "drillbook serve: players open …"
        page = ""
        async with asyncio.timeout(20):
            while "textual-terminal" not in page:
                try:
                    page = await asyncio.to_thread(
                        lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/").read().decode()
                    )
                except OSError:
                    await asyncio.sleep(0.05)
        assert "drillbook — join an exercise" in page and table.codes["on_call"] not in page
        async with connect(f"ws://127.0.0.1:{port}/ws?width=100&height=30", proxy=None) as tab:
            seen = bytearray()
            await screen_text(tab, "Join an exercise", seen)
            async with connect(f"ws://127.0.0.1:{port}/ws", proxy=None) as second:
                await second.wait_closed()  # one tab at a time here: the next is told so
                assert second.close_code == 1013
            await tab.send(json.dumps(["stdin", table.codes["legal_advisor"] + "\r"]))
            await screen_text(tab, "Legal Advisor", seen)
            async with asyncio.timeout(10):
                while hosted.call(table.host.connected) != ["legal_advisor"]:
                    await asyncio.sleep(0.02)
    finally:
        serve.terminate()
        serve.wait(10)
        hosted.close()
