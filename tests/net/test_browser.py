"""The browser seat: ``drillbook serve`` serves the join screen through textual-serve; a tab's
first screen asks for the code, and a code joins that seat at the host. Driven as the page's
script drives it — over textual-serve's own WebSocket (keys in, terminal bytes out)."""

from __future__ import annotations

import asyncio
import base64
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


class Chromium:
    """Headless Chromium driven over the DevTools protocol (no extra package needed)."""

    def __init__(self, path: str, tmp: str) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                path,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                f"--remote-debugging-port={self.port}",
                f"--user-data-dir={tmp}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.n = 0
        self.screen = bytearray()  # the terminal bytes the page received (its WebSocket frames)

    async def open(self) -> None:
        async with asyncio.timeout(20):
            while True:
                try:
                    raw = await asyncio.to_thread(
                        lambda: urllib.request.urlopen(
                            f"http://127.0.0.1:{self.port}/json/list"
                        ).read()
                    )
                    break
                except OSError:
                    await asyncio.sleep(0.05)
        page = next(t for t in json.loads(raw) if t["type"] == "page")
        self.cdp = await connect(page["webSocketDebuggerUrl"], max_size=None, proxy=None)

    async def call(self, method: str, **params: object) -> dict:
        self.n += 1
        mine = self.n
        await self.cdp.send(json.dumps({"id": mine, "method": method, "params": params}))
        while True:
            message = json.loads(await self.cdp.recv())
            if message.get("id") == mine:
                return message.get("result", message)
            if message.get("method") == "Network.webSocketFrameReceived":
                frame = message["params"]["response"]
                if frame.get("opcode") == 2:  # binary: what the tab's app drew
                    self.screen.extend(base64.b64decode(frame["payloadData"]))

    def shows(self, text: str) -> bool:
        return text in ANSI.sub(b"", bytes(self.screen)).decode("utf-8", "replace")

    async def js(self, expression: str) -> object:
        return (await self.call("Runtime.evaluate", expression=expression))["result"].get("value")

    async def close(self) -> None:
        await self.cdp.close()
        self.proc.terminate()
        self.proc.wait(10)


async def test_in_headless_chromium_the_page_loads_and_a_typed_code_joins(tmp_path) -> None:
    import shutil

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("no Chromium on this machine")
    hosted = HostThread()
    table = hosted.table
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "drillbook", "serve", "--port", str(port), "--host-url", table.url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    browser = Chromium(path, str(tmp_path / "profile"))
    try:
        assert serve.stdout is not None
        serve.stdout.readline()
        await browser.open()
        await browser.call("Network.enable")
        await browser.call("Page.navigate", url=f"http://127.0.0.1:{port}/")
        async with asyncio.timeout(30):  # the page loads and the tab's app draws the join form
            while not browser.shows("your seat's code"):
                await browser.js("1")  # (reads the frames that arrived meanwhile)
                await asyncio.sleep(0.05)
        assert "-first-byte" in str(await browser.js("document.body.className"))
        assert await browser.js("document.body.innerHTML.includes('drillbook — join an exercise')")
        await browser.js("document.querySelector('.xterm-helper-textarea').focus()")
        await browser.call("Input.insertText", text=table.codes["technical_lead"])
        for kind in ("keyDown", "keyUp"):
            await browser.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key="Enter",
                code="Enter",
                windowsVirtualKeyCode=13,
                text="\r" if kind == "keyDown" else "",
            )
        async with asyncio.timeout(20):  # the code, typed on the join form, took the seat
            while hosted.call(table.host.connected) != ["technical_lead"]:
                await asyncio.sleep(0.02)
    finally:
        await browser.close()
        serve.terminate()
        serve.wait(10)
        hosted.close()
