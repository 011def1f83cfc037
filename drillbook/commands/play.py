"""``drillbook play``: play an exercise in the terminal — facilitator console and role consoles.

Everything a person can get wrong on the command line (a scenario, roster, client or plan file,
a journal that already holds a run, a speed out of range) is checked here, before the app
starts, and ends in one placed line and exit status 2. Textual, the scorer and the report
package are imported lazily so the other sub-commands never pay for them.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drillbook.commands.runfiles import add_accept, note_journal

EXIT_CRASH = 70  # EX_SOFTWARE: the app stopped on an error of its own, not of the input


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("play", help="play an exercise in the terminal (facilitator and roles)")
    p.add_argument(
        "scenario", nargs="?", default=None, help="scenario id or file (default: the flagship)"
    )
    add_play_options(p)
    p.set_defaults(handler=run)


def add_play_options(p: argparse.ArgumentParser) -> None:
    """The options of a run, shared by ``play`` and ``host``."""
    p.add_argument("--plan", metavar="FILE", help="response plan to score against")
    p.add_argument("--client", metavar="FILE", help="client profile (pre-selected on setup)")
    p.add_argument(
        "--journal",
        "-j",
        metavar="FILE",
        help="where the run's journal goes (default: runs/<scenario>-<time>.jsonl)",
    )
    p.add_argument(
        "--force", action="store_true", help="overwrite a journal that already holds events"
    )
    p.add_argument("--speed", type=float, default=None, help="clock speed to start at (1–60)")
    p.add_argument(
        "--roster", metavar="FILE", help='who plays which role: {roles: {on_call: "Name"}}'
    )
    p.add_argument("--practice", action="store_true", help="mark the run as practice")
    p.add_argument("--seed", type=int, default=0, help="seed of the run's random draws")
    p.add_argument("--resume", metavar="JOURNAL", help="continue a run from its journal")
    add_accept(p)


def _problem(where: str, message: str) -> Exception:
    from drillbook.formats.yamlsource import InputError, Problem

    return InputError([Problem(where, 0, 0, message)])


def _check_speed(speed: float | None) -> None:
    from drillbook.simulator.clock import MAX_SPEED

    if speed is not None and not 1 <= speed <= MAX_SPEED:
        raise _problem("--speed", f"×{speed:g} is out of range; expected 1 to {MAX_SPEED}")


def default_journal(scenario_id: str, now: time.struct_time | None = None) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", now or time.localtime())
    return Path("runs") / f"{scenario_id}-{stamp}.jsonl"


def bundled_clients(loaded: Any, extra: str | None) -> list[Path]:
    """Client profiles to offer on the setup screen: the scenario's, the bundled ones, the given one."""
    from drillbook.scenarios.library import LIBRARY_DIR, client_path

    found: list[Path] = []
    if loaded.scenario.client:
        name = loaded.scenario.client
        found.append(client_path(loaded.path, name) or loaded.path.parent / name)
    found += sorted((LIBRARY_DIR / "clients").glob("*.yaml"))
    if extra:
        found.append(Path(extra))
    unique: dict[str, Path] = {}
    for p in found:
        unique.setdefault(str(p.resolve()), p)
    return list(unique.values())


def plan_loader(path: str | None) -> Callable[[], Any]:
    """The response plan, read once when first needed: the scoring package is not imported
    before the first frame unless the command line names a plan or client file to check."""
    cache: dict[str, Any] = {}

    def plan() -> Any:
        if "plan" not in cache:
            from drillbook.scoring.files import plan_from

            cache["plan"] = plan_from(path)
        return cache["plan"]

    return plan


def make_scorer(loaded: Any, plan: Callable[[], Any]) -> Callable[[list[dict]], Any]:
    """The scorer over the journal so far, against the plan and the run's client profile.

    The client is the one the journal's header names (chosen on the setup screen), else the
    scenario's own — the same choice ``drillbook score`` makes, so both agree on a run.
    """
    clients: dict[str | None, Any] = {}

    def scorer(events: list[dict]) -> Any:
        from drillbook.scoring import score
        from drillbook.scoring.files import run_client

        name = events[0].get("client") if events else None
        if name not in clients:
            clients[name] = run_client(name, loaded.path, loaded.scenario, plan())
        return score(loaded.scenario, plan(), events, clients[name])

    return scorer


def finish_hook(path: Path | None, *, accept_changed_scenario: bool = False) -> list[str]:
    """Write the after-action report when the reports package can; else say where the journal is."""
    try:
        from drillbook.reports.finish import finish_exercise  # type: ignore[import-not-found]
    except ImportError:
        return [f"Journal: {path}"]
    lines = finish_exercise(path, accept_changed_scenario=accept_changed_scenario)
    return [*(str(line) for line in lines), f"Journal: {path}"]


def prepare_new_run(args: argparse.Namespace) -> tuple[Any, Any, Callable[[], Any]]:
    """A hosted run, started at once from the command line (no setup screen): the session,
    its scorer and its capabilities. Every file is checked first, as for ``play``."""
    from drillbook.simulator.session import Session

    _check_speed(args.speed)
    loaded, journal, settings, plan, scorer = _new_run(args)
    session = Session(loaded, settings, journal=journal)
    session.start()
    return session, scorer, lambda: _titles(plan())


def _new_run(args: argparse.Namespace) -> tuple[Any, Any, Any, Callable[[], Any], Any]:
    from drillbook.scenarios import library, load
    from drillbook.simulator.journal import Journal
    from drillbook.simulator.settings import RunSettings

    loaded = load(library.resolve(args.scenario or library.FLAGSHIP))
    roster: dict[str, str] = {}
    if args.roster:
        from drillbook.tui.roster import load_roster

        roster = load_roster(args.roster, loaded.scenario)
    plan = plan_loader(args.plan)
    client = args.client
    if args.plan:
        plan()  # a bad plan or client file is reported before play starts
    if client:
        from drillbook.scoring.files import client_from

        client_from(client, plan())
    elif loaded.scenario.client:  # by path, or by id (a copied bundled scenario)
        from drillbook.scenarios.library import client_path

        name = loaded.scenario.client
        client = str(client_path(loaded.path, name) or loaded.path.parent / name)
    scorer = make_scorer(loaded, plan)
    path = Path(args.journal) if args.journal else default_journal(loaded.scenario.id)
    journal = Journal(path, overwrite=args.force)  # else refuses a journal that holds events
    args.journal_path = path  # where it is once the run begins (a --force journal moves there)
    settings = RunSettings(
        seed=args.seed,
        plan=args.plan,
        client=client,
        roster=roster,
        practice=args.practice,
        mode="play",
    )
    return loaded, journal, settings, plan, scorer


def run(args: argparse.Namespace) -> int:
    _check_speed(args.speed)
    if args.resume:
        given = [
            f"--{name}"
            for name in ("journal", "roster", "client", "plan", "force")
            if getattr(args, name) not in (None, False)
        ] + (["SCENARIO"] if args.scenario else [])
        if given:
            raise _problem(
                "--resume",
                f"{', '.join(given)} cannot change a run being resumed; "
                "expected --resume JOURNAL alone (optionally with --speed)",
            )
        return _play_resumed(args)

    loaded, journal, settings, plan, scorer = _new_run(args)
    path = args.journal_path
    from drillbook.tui.factory import make_app

    app = make_app(
        loaded,
        journal=journal,
        settings=settings,
        scorer=scorer,
        on_finish=finish_hook,
        speed=args.speed,
        clients=bundled_clients(loaded, args.client),
        capabilities=lambda: _titles(plan()),
    )
    app.run()
    if app.session is None:  # quit before play began: no empty journal is left behind
        journal.close()
        return _crashed(app)
    status = _crashed(app)
    _after(app, path)
    return status


def _play_resumed(args: argparse.Namespace) -> int:
    from drillbook.scoring.files import for_journal
    from drillbook.simulator.replay import resume, scenario_changed
    from drillbook.tui.factory import make_app

    session = resume(args.resume, accept_changed_scenario=args.accept_changed_scenario)
    from drillbook.simulator.journal import read_journal

    jf = read_journal(args.resume)
    note_journal(jf, scenario_changed=scenario_changed(jf, session.loaded))
    plan, _ = for_journal(  # the plan the run was played under; the scorer reads its client
        Path(args.resume),
        jf.started,
        session.loaded.path,
        session.scenario,
    )
    scorer = make_scorer(session.loaded, lambda: plan)
    app = make_app(
        session=session,
        scorer=scorer,
        on_finish=lambda path: finish_hook(
            path, accept_changed_scenario=args.accept_changed_scenario
        ),
        speed=args.speed,
        capabilities=_titles(plan),
    )
    app.run()
    status = _crashed(app)
    _after(app, Path(args.resume))
    return status


def _titles(plan: Any) -> dict[str, str]:
    """The plan's capabilities (id → title): the only ones a rating may name."""
    return {cap_id: cap.title for cap_id, cap in plan.capabilities.items()}


def _crashed(app: Any) -> int:
    """0, or — when something unexpected stopped the app — one line on stderr and exit 70
    (EX_SOFTWARE). The traceback is in the crash log the app wrote; the journal was flushed
    line by line, so the resume hint ``_after`` prints next holds."""
    if app.crash is None and not app.return_code:
        return 0
    from drillbook.tui.format import clean

    error = app.crash
    what = f"{type(error).__name__}: {error}" if error is not None else "the app stopped"
    where = f"details in {app.crash_log}" if app.crash_log else "details above"
    print(f"drillbook: internal error: {clean(what)}; {where}", file=sys.stderr)
    return EXIT_CRASH


def _after(app: Any, path: Path) -> None:
    session = app.session
    if session is not None and session.journal is not None and not session.ended:
        session.journal.close()  # flushed line by line already; this also syncs it to disk
    if app.finish_lines is not None:
        for line in app.finish_lines:
            print(line)
        return
    print(f"Journal: {path}")
    print(f"Continue this run with: drillbook play --resume {path}")
