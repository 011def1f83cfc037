"""``drillbook join URL --code CODE``: take a seat at a hosted exercise.

With a role's or the facilitator's code it opens that seat's console — the same screens as
local play, over a :class:`net.remote.RemoteSession`. ``--transcript FILE`` plays the seat
headless instead (its role's decisions, when the host's clock reaches them), and ``--events
FILE`` writes every event the seat receives as JSON lines. The code may also come from the
``DRILLBOOK_CODE`` environment variable, so it need not show in a process list.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from drillbook.commands.play import _problem

if TYPE_CHECKING:
    import ssl as ssl_module

HOST_KEEPS = "The run has ended; the host keeps the journal and writes the report."


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("join", help="join a hosted exercise from this terminal")
    p.add_argument("url", help="the host's address, ws://HOST:PORT or wss://HOST:PORT")
    p.add_argument(
        "--ask", action="store_true", help="ask for the code inside the app (the browser seat)"
    )
    p.add_argument("--code", help="the seat's join code (default: $DRILLBOOK_CODE)")
    p.add_argument("--transcript", metavar="FILE", help="play this seat headless from a transcript")
    p.add_argument("--events", metavar="FILE", help="write every event received as JSON lines")
    p.add_argument(
        "--headless", action="store_true", help="no console: follow the run (with --events)"
    )
    p.add_argument("--cafile", metavar="FILE", help="CA certificate to trust for wss://")
    p.set_defaults(handler=run)


def _client_tls(url: str, cafile: str | None) -> ssl_module.SSLContext | None:
    import ssl as ssl_module

    if not url.startswith("wss://"):
        if cafile:
            raise _problem("--cafile", "a CA certificate goes with a wss:// address")
        return None
    try:
        return ssl_module.create_default_context(cafile=cafile)
    except (OSError, ssl_module.SSLError) as exc:  # missing, unreadable, or not a certificate
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc.reason
        raise _problem(
            str(cafile), f"cannot use it as a CA certificate ({reason}); expected a PEM file"
        ) from None


def joiner(cafile: str | None = None) -> Any:
    """(address, code) → a joined session; a refusal is one ValueError line for the form."""
    from drillbook.net.remote import JoinError, RemoteSession

    def join(url: str, code: str) -> RemoteSession:
        try:  # (``connect`` refuses an address that is not one before anything else)
            return RemoteSession(url, code, ssl=_client_tls(url, cafile)).connect()
        except JoinError as exc:
            raise ValueError(str(exc)) from None

    return join


def _ask(args: argparse.Namespace) -> int:
    from drillbook.commands.play import _crashed
    from drillbook.tui.join_app import JoinApp

    app = JoinApp(joiner(args.cafile), args.url)
    try:
        app.run()
    finally:
        if app.session is not None:
            app.session.close()  # type: ignore[attr-defined]
    return _crashed(app)


def run(args: argparse.Namespace) -> int:
    from drillbook.net.remote import JoinError, RemoteSession, address_problem

    if args.ask:
        return _ask(args)
    code = args.code or os.environ.get("DRILLBOOK_CODE")
    if not code:
        raise _problem("--code", "no join code given; expected --code CODE or $DRILLBOOK_CODE")
    problem = address_problem(args.url)  # before the transcript is read
    if problem is not None:
        raise _problem(args.url, problem)
    transcript = None
    if args.transcript:
        from drillbook.scenarios.transcript import load_transcript

        transcript = load_transcript(args.transcript)
    out: IO[str] | None = None
    if args.events:
        out = Path(args.events).open("w", encoding="utf-8")  # noqa: SIM115 (closed below)
    remote = RemoteSession(
        args.url, code, ssl=_client_tls(args.url, args.cafile), on_frame=_writer(out)
    )
    try:
        try:
            remote.connect()
        except JoinError as exc:
            print(f"drillbook: {exc}", file=sys.stderr)
            return 2
        if transcript is not None:
            return _bot(remote, transcript)
        if args.headless or out is not None:
            return _follow(remote)
        return _console(remote)
    finally:
        remote.close()
        if out is not None:
            out.close()


def _writer(out: IO[str] | None) -> Any:
    if out is None:
        return None

    def write(message: dict[str, Any]) -> None:
        if message["t"] == "event":
            out.write(json.dumps(message["event"], ensure_ascii=False) + "\n")
            out.flush()

    return write


def _bot(remote: Any, transcript: Any) -> int:
    from drillbook.net import bot
    from drillbook.scenarios.transcript import check_against

    if transcript.scenario != remote.scenario.id:
        raise _problem(
            transcript.file or "transcript",
            f"transcript is for '{transcript.scenario}', the host plays '{remote.scenario.id}'",
        )
    if remote.kind == "facilitator":
        check_against(transcript, remote.scenario)
    if remote.kind not in ("facilitator", "role"):
        raise _problem("--transcript", f"an {remote.kind}'s seat takes no decisions")
    result = bot.play(remote, transcript, say=lambda line: print(line, file=sys.stderr))
    print(f"{remote.seat}: {result.submitted} decisions recorded, {len(result.refused)} refused")
    return 1 if remote.fatal else 0


def _follow(remote: Any) -> int:
    import time

    while not remote.ended and not remote.fatal:
        remote.tick()
        time.sleep(0.05)
    remote.tick()
    if remote.fatal:
        print(f"drillbook: {remote.fatal}", file=sys.stderr)
        return 1
    print(f"{remote.seat}: {len(remote.history())} events received; the run has ended")
    return 0


def _console(remote: Any) -> int:
    from drillbook.commands.play import _crashed
    from drillbook.tui.factory import make_app

    seats = None if remote.kind == "facilitator" else [remote.seat]
    app = make_app(session=remote, seats=seats, on_finish=lambda path: [HOST_KEEPS])
    app.run()
    status = _crashed(app)
    if remote.fatal:
        print(f"drillbook: {remote.fatal}", file=sys.stderr)
    return status
