"""``drillbook host``: run an exercise for players at their own consoles.

The engine, clock, scorer and journal run here; seats join over WebSockets (``drillbook
join``). With a console (the default) the facilitator plays in this terminal and the server
runs inside the console's own event loop, so the session is touched from one thread only;
``--headless`` runs the server alone (the facilitator joins with the facilitator's code).
Every option of ``play`` applies. Seat codes are printed, written beside the journal (0600)
so ``--resume`` brings the same ones back, and with ``--codes FILE`` written there too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillbook.commands.play import _problem, add_play_options, prepare_new_run

if TYPE_CHECKING:  # asyncio and ssl are imported when a host runs, not for --help
    import ssl as ssl_module

DEFAULT_PORT = 8765


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("host", help="host an exercise that players join from their own consoles")
    p.add_argument("scenario", nargs="?", default=None, help="scenario id or file")
    add_play_options(p)
    p.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any)"
    )
    p.add_argument("--bind", default="127.0.0.1", help="address to listen on (default loopback)")
    p.add_argument("--cert", metavar="FILE", help="TLS certificate (PEM) for wss://")
    p.add_argument("--key", metavar="FILE", help="TLS private key (PEM)")
    p.add_argument(
        "--insecure", action="store_true", help="allow a non-loopback --bind without TLS"
    )
    p.add_argument("--headless", action="store_true", help="no console here: a server only")
    p.add_argument("--autostart", action="store_true", help="start the clock at once")
    p.add_argument("--codes", metavar="FILE", help="also write the seat codes here (JSON, 0600)")
    p.add_argument("--evaluators", type=int, default=0, metavar="N", help="evaluator seats")
    p.add_argument("--observers", type=int, default=0, metavar="N", help="observer seats")
    p.add_argument("--log", metavar="FILE", help="connection log (default: beside the journal)")
    p.set_defaults(handler=run)


def check_bind(bind: str, tls: bool, insecure: bool) -> None:
    """Loopback, or TLS, or an explicit ``--insecure``: codes never cross a network in clear."""
    import ipaddress

    try:
        loopback = bind == "localhost" or ipaddress.ip_address(bind).is_loopback
    except ValueError:
        raise _problem("--bind", f"'{bind}' is not an IP address; expected like 0.0.0.0") from None
    if not loopback and not tls and not insecure:
        raise _problem(
            "--bind",
            f"{bind} is not loopback and no --cert/--key was given: join codes would travel "
            "in clear; expected --cert FILE --key FILE (or --insecure on a trusted network)",
        )


def tls_context(cert: str | None, key: str | None) -> ssl_module.SSLContext | None:
    import ssl as ssl_module

    if not cert and not key:
        return None
    if not (cert and key):
        raise _problem("--cert" if not cert else "--key", "expected both --cert and --key")
    context = ssl_module.SSLContext(ssl_module.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(cert, key)
    except (OSError, ssl_module.SSLError) as exc:
        raise _problem(cert, f"cannot use this certificate and key ({exc})") from None
    return context


def _counts(args: argparse.Namespace) -> None:
    for name in ("evaluators", "observers"):
        n = getattr(args, name)
        if not 0 <= n <= 50:
            raise _problem(f"--{name}", f"{n} is out of range; expected 0 to 50")
    if not 0 <= args.port <= 65535:
        raise _problem("--port", f"{args.port} is not a port; expected 0 to 65535")


def _check_codes_file(path: Path) -> None:
    """``--codes FILE`` replaces the codes an earlier host wrote there, and nothing else: a
    mistyped name (the scenario, a roster) must not be overwritten with seat codes."""
    from drillbook.net.seats import read_codes

    if path.is_dir():
        raise _problem(str(path), "is a folder; expected a file for the seat codes")
    if path.is_file() and path.stat().st_size:
        try:
            read_codes(path)
        except (ValueError, OSError):
            raise _problem(
                str(path),
                "holds something other than seat codes, left as it was; "
                "expected a new file or one a host wrote its codes to",
            ) from None


def run(args: argparse.Namespace) -> int:
    import asyncio

    from drillbook.net.seats import SeatCodes, codes_path, read_codes, seats_for

    _counts(args)
    tls = tls_context(args.cert, args.key)
    check_bind(args.bind, tls is not None, args.insecure)
    if args.codes:
        _check_codes_file(Path(args.codes))  # before a journal is begun
    if args.resume:
        session, scorer, plan_titles = _resumed(args)
    else:
        session, scorer, plan_titles = prepare_new_run(args)
    journal = Path(session.journal_path)  # type: ignore[arg-type]
    seats = seats_for(session.scenario.role_ids, args.evaluators, args.observers)
    kept = codes_path(journal)
    old = None
    if args.resume and kept.is_file():
        try:
            old = read_codes(kept)
        except ValueError as exc:
            raise _problem(str(kept), str(exc)) from None
        seats += [s for s in _extra_seats(old, session.scenario.role_ids) if s not in seats]
    codes = SeatCodes(seats, old)
    codes.write(kept)
    if args.codes:
        codes.write(Path(args.codes))
    _logging(Path(args.log) if args.log else journal.with_suffix(".net.log"), args.headless)
    scheme = "wss" if tls else "ws"
    if args.headless:
        return asyncio.run(_headless(args, session, codes, tls, scheme, scorer))
    return asyncio.run(_console(args, session, codes, tls, scheme, scorer, plan_titles))


def _extra_seats(old: dict[str, str], roles: list[str]) -> list[Any]:
    from drillbook.net.seats import Seat, kind_of

    out = []
    for name in old:
        kind = kind_of(name, roles)
        if kind is not None:
            out.append(Seat(name, kind))
    return out


def _resumed(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    from drillbook.commands.play import _titles, make_scorer
    from drillbook.scoring.files import for_journal
    from drillbook.simulator.journal import read_journal
    from drillbook.simulator.replay import resume

    session = resume(args.resume, accept_changed_scenario=args.accept_changed_scenario)
    jf = read_journal(args.resume)
    plan, _ = for_journal(Path(args.resume), jf.started, session.loaded.path, session.scenario)
    return session, make_scorer(session.loaded, lambda: plan), lambda: _titles(plan)


def _logging(path: Path, to_stderr: bool) -> None:
    import logging

    log = logging.getLogger("drillbook.net")
    log.setLevel(logging.INFO)
    handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    if to_stderr:
        log.addHandler(logging.StreamHandler(sys.stderr))
    log.propagate = False


def print_codes(codes: Any, url: str) -> None:
    print(f"drillbook host: seats join with  drillbook join {url} --code CODE")
    for seat, code in codes.codes().items():
        print(f"  {seat:<24} {code}")
    sys.stdout.flush()


async def _start(
    args: argparse.Namespace, session: Any, codes: Any, tls: Any, tick: bool, scorer: Any
) -> Any:
    from drillbook.net.host import Host
    from drillbook.simulator import commands

    host = Host(session, codes, scorer=scorer, score_apart=True)
    try:
        await host.start(args.bind, args.port, ssl=tls, tick=tick)
    except OSError as exc:
        raise _problem(
            f"--port {args.port}", f"cannot listen there ({exc.strerror or exc})"
        ) from None
    if args.autostart and not session.snapshot().started:
        if args.speed:
            session.apply(commands.set_speed(args.speed))
        session.apply(commands.start_clock())
    return host


async def _headless(
    args: argparse.Namespace, session: Any, codes: Any, tls: Any, scheme: str, scorer: Any
) -> int:
    import asyncio
    import contextlib
    import signal

    host = await _start(args, session, codes, tls, True, scorer)
    print_codes(codes, f"{scheme}://{args.bind}:{host.port}")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    session.subscribe(lambda e: stop.set() if e["type"] == "run_ended" else None)
    await stop.wait()
    await asyncio.sleep(0.2)  # the last frames (the end) go out
    await host.close()
    if session.journal is not None and not session.ended:
        session.journal.close()
    if session.ended:  # ended from the facilitator's seat: the report, as play writes it
        from drillbook.commands.play import finish_hook

        for line in finish_hook(Path(session.journal_path)):
            print(line)
        return 0
    print(f"Journal: {session.journal_path}")
    print(f"Continue this run with: drillbook host --resume {session.journal_path} --headless")
    return 0


async def _console(
    args: argparse.Namespace,
    session: Any,
    codes: Any,
    tls: Any,
    scheme: str,
    scorer: Any,
    plan_titles: Any,
) -> int:
    from drillbook.commands.play import _after, _crashed, finish_hook
    from drillbook.tui.factory import make_app

    host = await _start(args, session, codes, tls, False, scorer)  # the app's timer ticks it
    print_codes(codes, f"{scheme}://{args.bind}:{host.port}")
    app = make_app(
        session=session,
        scorer=scorer,
        on_finish=finish_hook,
        speed=args.speed,
        capabilities=plan_titles,
        seat_codes=_SeatDesk(host, f"{scheme}://{args.bind}:{host.port}", args.codes),
    )
    try:
        await app.run_async()
    finally:
        await host.close()
    status = _crashed(app)
    _after(app, Path(session.journal_path))
    return status


class _SeatDesk:
    """What the console's seat dialog needs of the host: seats, codes, who is connected,
    and reissuing a code (the codes files are rewritten at once)."""

    def __init__(self, host: Any, url: str, codes_file: str | None) -> None:
        self.host, self.url, self.codes_file = host, url, codes_file

    def rows(self) -> list[tuple[str, str, bool]]:
        live = set(self.host.connected())
        return [(seat, code, seat in live) for seat, code in self.host.codes.codes().items()]

    def reissue(self, seat: str) -> str:
        from drillbook.net.seats import codes_path

        code = self.host.reissue(seat)
        self.host.codes.write(codes_path(Path(self.host.session.journal_path)))
        if self.codes_file:
            self.host.codes.write(Path(self.codes_file))
        return code
