"""``drillbook register``: the exercise register — exercises, improvement items, real incidents.

One SQLite file (``--db``, ``$DRILLBOOK_DB``, else the user's data directory). Reading
commands never create it; writing commands create and migrate it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from drillbook.commands.runfiles import add_accept, note_journal


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "register", help="the exercise register: exercises, improvement items, incidents, trends"
    )
    p.add_argument("--db", metavar="FILE", default=None, help="register file (or $DRILLBOOK_DB)")
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    as_of = argparse.ArgumentParser(add_help=False)
    as_of.add_argument(
        "--as-of", metavar="DATE", help="judge due dates as of this day (YYYY-MM-DD)"
    )
    verbs = p.add_subparsers(dest="verb", metavar="VERB")

    a = verbs.add_parser("add", parents=[db], help="add a played exercise (by its journal)")
    a.add_argument("journal", metavar="JOURNAL")
    a.add_argument("--plan", metavar="FILE", help="score against this response plan")
    a.add_argument("--client", metavar="FILE", help="with this client profile")
    add_accept(a)
    a.set_defaults(handler=run_add)

    sim = verbs.add_parser(
        "add-simulation",
        parents=[db],
        help="add a readiness simulation (the output of `drillbook simulate --json`)",
    )
    sim.add_argument("simulation", metavar="FILE.json")
    sim.add_argument(
        "--on", metavar="DATE", help="the day it models the team as of (default: today)"
    )
    sim.add_argument("--client", metavar="NAME", help="the client it was modelled for")
    sim.set_defaults(handler=run_add_simulation)

    ls = verbs.add_parser("list", parents=[db], help="list the exercises in the register")
    ls.set_defaults(handler=run_list)

    it = verbs.add_parser("items", parents=[db, as_of], help="list improvement items")
    it.add_argument("--overdue", action="store_true", help="only open items past their due date")
    it.add_argument("--owner", metavar="NAME", help="only this person's (or role's) items")
    it.add_argument("--all", action="store_true", help="closed items too")
    it.add_argument(
        "--format",
        choices=("text", "csv", "json"),
        default="text",
        help="csv or json: for a ticketing system's import (title, description, owner, due…)",
    )
    it.add_argument("-o", "--output", metavar="FILE", help="write csv/json here, not to stdout")
    it.add_argument("--force", action="store_true", help="replace an existing file at -o")
    it.set_defaults(handler=run_items)

    item = verbs.add_parser("item", help="change an improvement item")
    item_verbs = item.add_subparsers(dest="item_verb", metavar="VERB")
    close = item_verbs.add_parser("close", parents=[db], help="close an improvement item")
    close.add_argument("id", metavar="ID")
    close.add_argument(
        "--plan-version",
        metavar="VERSION",
        help="the item changed the response plan, and this version carries the change",
    )
    close.add_argument(
        "--ticket",
        metavar="REF",
        help="the external ticket the item was worked in (PROJ-123, a URL); kept with the item",
    )
    close.set_defaults(handler=run_close)
    change = item_verbs.add_parser(
        "plan-change", parents=[db], help="mark an item as a change to the response plan"
    )
    change.add_argument("id", metavar="ID")
    change.set_defaults(handler=run_plan_change)

    inc = verbs.add_parser("incident", help="the register of real incidents")
    inc_verbs = inc.add_subparsers(dest="incident_verb", metavar="VERB")
    ia = inc_verbs.add_parser("add", parents=[db], help="record a real incident")
    ia.add_argument("--type", required=True, help="performance, fairness, safety, security, …")
    ia.add_argument("--severity", required=True, help="critical, high, medium or low")
    ia.add_argument("--opened", required=True, metavar="DATE", help="YYYY-MM-DD")
    ia.add_argument("--resolved", metavar="DATE", help="YYYY-MM-DD")
    ia.add_argument("--impact", default="", help="who was affected, how, for how long")
    ia.add_argument("--lessons", default="", help="what was learned")
    ia.add_argument("--client", help="the client it happened to")
    ia.set_defaults(handler=run_incident)

    tr = verbs.add_parser("trend", parents=[db, as_of], help="readiness over time")
    tr.add_argument("--client", metavar="NAME", help="only this client's exercises and incidents")
    tr.add_argument("--format", "-f", choices=("html", "md"), default="md", help="default: md")
    tr.add_argument("--include-practice", action="store_true", help="count practice runs too")
    tr.add_argument(
        "--by-plan", action="store_true", help="split readiness by the plan version scored against"
    )
    tr.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    tr.add_argument(
        "--force", action="store_true", help="replace a file at -o that is not an earlier trend"
    )
    tr.set_defaults(handler=run_trend)
    p.set_defaults(handler=lambda args: _usage(p))


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help(sys.stderr)
    return 2


def _today(args: argparse.Namespace) -> date:
    from drillbook.reports.register import parse_date

    text = getattr(args, "as_of", None)
    return parse_date(text, "--as-of") if text else date.today()


def run_add(args: argparse.Namespace) -> int:
    from drillbook.reports.exercise import load_exercise
    from drillbook.reports.finish import register_exercise

    ex = load_exercise(
        args.journal,
        plan=args.plan,
        client=args.client,
        accept_changed_scenario=args.accept_changed_scenario,
    )
    print(register_exercise(ex, args.db))
    note_journal(ex.journal, scenario_changed=ex.scenario_changed)
    if ex.played_under is not None:
        print(
            f"Note: scored against {ex.plan.label}; the run was played under version "
            f"{ex.played_under} (the plan file has changed since)."
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from drillbook.reports.register import connect, list_exercises, resolve_db

    conn = connect(args.db, create=False)
    rows = list_exercises(conn)
    if not rows:
        print(f"No exercises in the register yet ({resolve_db(args.db)}).")
        return 0
    print(
        f"{'id':>4}  {'date':<10}  {'kind':<8}  {'readiness':>9}  {'open':>4}  {'plan':<12}  "
        "scenario (client)"
    )
    for r in rows:
        client = f" ({r['client']})" if r["client"] else ""
        kind = "practice" if r["practice"] else "official"
        print(
            f"{r['id']:>4}  {r['held_on']:<10}  {kind:<8}  {r['readiness']:>7.1f} {r['rating']}"
            f"  {r['open_items']:>4}  {plan_label(r):<12}  {r['scenario']}{client}"
        )
    return 0


def plan_label(row: Any) -> str:
    """``default v2``: the plan an exercise was scored against."""
    return f"{row['plan']} v{row['plan_version']}" if row["plan_version"] else row["plan"]


def run_items(args: argparse.Namespace) -> int:
    from drillbook.reports.register import connect, list_items
    from drillbook.reports.register.export import ticket_of

    today = _today(args)
    conn = connect(args.db, create=False)
    rows = list_items(
        conn, today=today, overdue=args.overdue, owner=args.owner, include_closed=args.all
    )
    if args.format != "text":
        return _export_items(rows, args)
    if not rows:
        what = "overdue " if args.overdue else ("" if args.all else "open ")
        who = f" for {args.owner}" if args.owner else ""
        print(f"No {what}improvement items{who}.")
        return 0
    for r in rows:
        flag = "OVERDUE" if r["is_overdue"] else r["status"]
        cap = f" [{r['capability']}]" if r["capability"] else ""
        change = ""
        if r["plan_change"]:
            change = f"  plan change{' → v' + r['plan_version'] if r['plan_version'] else ''}"
        ticket = f"  ticket {ticket_of(r)}" if ticket_of(r) else ""
        print(f"#{r['id']:<4} due {r['due']}  {flag:<7}  {r['owner']}{cap}{change}{ticket}")
        print(f"       {r['action']}")
        print(f"       from {r['scenario']} on {r['held_on']} ({r['ref']})")
    return 0


def _export_items(rows: list[Any], args: argparse.Namespace) -> int:
    """The items for a ticketing system's import, on stdout or in ``-o FILE``."""
    from drillbook.reports.register.export import items_text

    text = items_text(rows, args.format)
    if not args.output:
        sys.stdout.write(text)
        return 0
    from drillbook.reports.output import write_output
    from drillbook.reports.register import resolve_db

    # the register is what the items are read from: -o onto it would replace every record
    write_output(Path(args.output), text, force=args.force, inputs=[resolve_db(args.db)])
    print(f"wrote {args.output}: {len(rows)} improvement items as {args.format}")
    return 0


def run_close(args: argparse.Namespace) -> int:
    from drillbook.reports.register import close_item, connect, resolve_db
    from drillbook.reports.register.export import check_ticket

    shown = str(resolve_db(args.db))
    ticket = check_ticket(args.ticket, shown) if args.ticket is not None else None
    conn = connect(args.db)
    print(
        close_item(
            conn,
            args.id,
            today=_today(args),
            shown=shown,
            plan_version=args.plan_version,
            ticket=ticket,
        )
    )
    return 0


def run_plan_change(args: argparse.Namespace) -> int:
    from drillbook.reports.register import connect, mark_plan_change, resolve_db

    print(mark_plan_change(connect(args.db), args.id, shown=str(resolve_db(args.db))))
    return 0


def run_add_simulation(args: argparse.Namespace) -> int:
    from drillbook.reports.register import connect, parse_date, resolve_db
    from drillbook.reports.register.simulations import add_simulation, read_simulation

    sim = read_simulation(args.simulation)
    held_on = parse_date(args.on, "--on") if args.on else date.today()
    number, new = add_simulation(connect(args.db), sim, held_on, args.client)
    what = (
        f"{sim.scenario} · team {sim.team} · {sim.runs} runs · median readiness {sim.readiness:.1f}"
    )
    if new:
        print(f"Simulation #{number} ({what}) added to {resolve_db(args.db)}.")
    else:
        print(
            f"Simulation #{number} ({what}) is already in {resolve_db(args.db)}; not added again."
        )
    return 0


def run_incident(args: argparse.Namespace) -> int:
    from drillbook.reports.register import add_incident, connect, incident_from, resolve_db

    incident = incident_from(
        incident_type=args.type,
        severity=args.severity,
        opened=args.opened,
        resolved=args.resolved,
        impact=args.impact,
        lessons=args.lessons,
        client=args.client,
    )
    number = add_incident(connect(args.db), incident)
    print(
        f"Incident #{number} ({incident.incident_type}, {incident.severity}) recorded in {resolve_db(args.db)}."
    )
    return 0


def run_trend(args: argparse.Namespace) -> int:
    from drillbook import __version__
    from drillbook.reports.register import connect, trend
    from drillbook.reports.render import render

    report = trend(
        connect(args.db, create=False),
        today=_today(args),
        client=args.client,
        include_practice=args.include_practice,
        by_plan=args.by_plan,
    )
    text = render("trend", args.format, t=report, generated_by=f"drillbook {__version__}")
    if args.output:
        from drillbook.reports.output import write_output
        from drillbook.reports.register import resolve_db

        out = write_output(Path(args.output), text, force=args.force, inputs=[resolve_db(args.db)])
        print(f"Trend: {out}")
    else:
        sys.stdout.write(text)
    return 0
