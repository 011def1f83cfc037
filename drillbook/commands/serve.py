"""``drillbook serve``: the browser seat, for players without Python.

It serves the join screen through ``textual-serve``: each browser tab runs its own
``drillbook join --ask`` process, whose first screen asks for the host's address and the
seat's code (never put in the page's address, so it is not in any history or log). The
number of tabs open at once is bounded (``--tabs``); one more is told so and closed.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import Any

from drillbook.commands.host import check_bind

DEFAULT_PORT = 8000


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the join screen to browsers (textual-serve)")
    p.add_argument("--host-url", default="ws://127.0.0.1:8765", help="pre-filled host address")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"HTTP port ({DEFAULT_PORT})")
    p.add_argument("--bind", default="127.0.0.1", help="address to listen on (default loopback)")
    p.add_argument("--public-url", help="the address browsers use, if not http://BIND:PORT")
    p.add_argument("--tabs", type=int, default=12, help="browser tabs open at once (default 12)")
    p.add_argument("--insecure", action="store_true", help="allow a non-loopback --bind")
    p.set_defaults(handler=run)


def command_line(host_url: str) -> str:
    """What each tab runs: this drillbook, asking for the code inside the app."""
    return shlex.join([sys.executable, "-m", "drillbook", "join", "--ask", host_url])


def bounded_server(command: str, tabs: int, **options: Any) -> Any:
    """A textual-serve server that runs at most ``tabs`` seat processes at once."""
    from aiohttp import web
    from textual_serve.server import Server

    class Bounded(Server):
        open_tabs = 0

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            if self.open_tabs >= tabs:
                ws = web.WebSocketResponse()
                await ws.prepare(request)
                await ws.close(code=1013, message=b"every seat tab is taken; try again later")
                return ws
            self.open_tabs += 1
            try:
                return await super().handle_websocket(request)
            finally:
                self.open_tabs -= 1

    return Bounded(command, **options)


def run(args: argparse.Namespace) -> int:
    from drillbook.commands.play import _problem
    from drillbook.net.remote import address_problem

    check_bind(args.bind, False, args.insecure)
    if not 1 <= args.tabs <= 200:
        raise _problem("--tabs", f"{args.tabs} is out of range; expected 1 to 200")
    if not 1 <= args.port <= 65535:
        raise _problem("--port", f"{args.port} is not a port; expected 1 to 65535")
    problem = address_problem(args.host_url)  # else every browser's form starts on it
    if problem is not None:
        raise _problem("--host-url", f"{args.host_url}: {problem}")
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        raise _problem(
            "--public-url",
            f"{args.public_url} is not a web address; expected http://HOST:PORT or https://…",
        )
    try:
        server = bounded_server(
            command_line(args.host_url),
            args.tabs,
            host=args.bind,
            port=args.port,
            title="drillbook — join an exercise",
            public_url=args.public_url,
        )
    except ImportError:
        raise _problem(
            "serve", "textual-serve is not installed; expected pip install textual-serve"
        ) from None
    print(f"drillbook serve: players open http://{args.bind}:{args.port} and type their code")
    server.serve()
    return 0
