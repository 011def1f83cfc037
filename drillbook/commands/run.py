"""``drillbook run``: play a scenario headless from a transcript of decisions, as fast as possible."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="play a scenario headless from a transcript of decisions")
    p.add_argument(
        "scenario", nargs="?", default=None, help="scenario id or file (default: the flagship)"
    )
    p.add_argument(
        "--transcript",
        "-t",
        metavar="FILE",
        help="decisions (default: the scenario's bundled model team)",
    )
    p.add_argument("--journal", "-j", metavar="FILE", help="write the run's journal (JSONL) here")
    p.add_argument(
        "--force",
        action="store_true",
        help="replace a journal that already holds a run (only once this run has ended)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the run's random draws (default: the transcript's, else 0)",
    )
    p.add_argument(
        "--plan", metavar="FILE", help="response plan to score against (default: the bundled one)"
    )
    p.add_argument(
        "--client", metavar="FILE", help="client profile (default: the scenario's client)"
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print a deterministic JSON document (with the scorecard) instead of a summary",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from drillbook.commands.score import cost_line, readiness_line
    from drillbook.scenarios import library, load
    from drillbook.scenarios.transcript import (
        check_against,
        check_capabilities,
        load_transcript,
    )
    from drillbook.scoring import score
    from drillbook.scoring.files import plan_from, run_client
    from drillbook.simulator.headless import run_transcript
    from drillbook.simulator.journal import Journal
    from drillbook.simulator.session import RunSettings

    loaded = load(library.resolve(args.scenario or library.FLAGSHIP))
    tpath = args.transcript or library.reference_transcript(loaded.scenario.id)
    transcript = load_transcript(tpath, reuse=True)  # the model team's, the same each run
    seed = args.seed if args.seed is not None else (transcript.seed or 0)
    check_against(transcript, loaded.scenario)  # before --force empties an existing journal
    # A bad plan or client profile is reported before anything is played or written.
    plan = plan_from(args.plan)
    check_capabilities(transcript, list(plan.capabilities))  # evaluators' entries, on paper
    client = run_client(args.client, loaded.path, loaded.scenario, plan)
    # --force replaces the old journal only once this run has ended: all or nothing
    journal = (
        Journal(args.journal, overwrite=args.force, replace_after=None) if args.journal else None
    )
    settings = RunSettings(seed=seed, mode="headless", plan=args.plan, client=args.client)
    try:
        session = run_transcript(loaded, transcript, settings, journal)
    except BaseException:
        if journal is not None:
            journal.abandon()
        raise
    card = score(loaded.scenario, plan, session.history(), client)
    doc = outcome(session)
    if args.json:
        doc["scorecard"] = card.to_json()
        json.dump(doc, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(summary(session, str(tpath), args.journal))
        print(readiness_line(card))
        print(cost_line(card, loaded.scenario))
    return 0


def outcome(session: Any) -> dict[str, Any]:
    """The run as deterministic data: events without wall time, final meters."""
    from drillbook.simulator.journal import without_wall

    snap = session.snapshot()
    return {
        "scenario": session.scenario.id,
        "seed": session.settings.seed,
        "ended_at": snap.reached,
        "meters": snap.meters,
        "events": without_wall(session.history()),
    }


def summary(session: Any, transcript: str, journal: str | None) -> str:
    from drillbook.formats.offsets import fmt_offset
    from drillbook.simulator.events import Kind
    from drillbook.simulator.meters import render_value

    s = session.scenario
    events = session.history()
    decisions = [e for e in events if e["type"] == Kind.DECISION]
    injects = [e for e in events if e["type"] == Kind.INJECT_DELIVERED and e["kind"] == "scripted"]
    snap = session.snapshot()
    end = snap.reached
    lines = [
        f"{s.title} ({s.id})",
        f"  story start {s.start} · seed {session.settings.seed} · decisions from {transcript}",
        f"  {len(decisions)} decisions by {len({e['role'] for e in decisions})} roles · "
        f"{len(injects)} of {len(s.injects)} injects delivered · "
        f"play ended at {fmt_offset(end)} ({s.story_time(end)})",
        "Impact:",
    ]
    for m in s.meters:
        lines.append(f"  {m.label:<28} {render_value(m, snap.meters[m.id])}")
    lines.append(
        f"Journal: {journal}" if journal else "Journal: not kept (add --journal FILE to keep one)"
    )
    return "\n".join(lines)
