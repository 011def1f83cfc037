"""``drillbook replay JOURNAL``: rebuild a run from its journal and check it reproduces."""

from __future__ import annotations

import argparse

from drillbook.commands.runfiles import add_accept, note_journal


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "replay", help="rebuild a run from its journal and check it reproduces the same events"
    )
    p.add_argument("journal", metavar="JOURNAL")
    add_accept(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from drillbook.simulator.journal import read_journal
    from drillbook.simulator.replay import replay

    result = replay(args.journal, accept_changed_scenario=args.accept_changed_scenario)
    note_journal(read_journal(args.journal))
    note = " (the scenario file changed since the run)" if result.scenario_changed else ""
    if result.ok:
        print(f"{args.journal}: replay reproduces all {result.events} events{note}")
        return 0
    print(f"{args.journal}: replay differs{note}: {result.difference}")
    return 1
