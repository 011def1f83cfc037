"""``drillbook pack SCENARIO -o FILE.zip``: an exercise as one zip to hand on.

The scenario, its client profile, the plan it is scored against, the transcripts of its
teams and the JSON Schema for editors, stored byte for byte with a manifest of digests.
``drillbook unpack`` (:mod:`drillbook.commands.unpack`) checks and restores them.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pack", help="write a scenario and the files it needs as one zip")
    p.add_argument("scenario", help="scenario id or file")
    p.add_argument("-o", "--output", metavar="FILE.zip", required=True)
    p.add_argument("--plan", metavar="FILE", help="the response plan (default: the bundled one)")
    p.add_argument(
        "-t",
        "--transcript",
        metavar="FILE",
        action="append",
        default=[],
        help="a transcript to include (repeatable; default: the scenario's own, found in "
        "transcripts/ beside it)",
    )
    p.add_argument("--force", action="store_true", help="replace an existing file at -o")
    p.set_defaults(handler=run)


def transcripts_of(scenario_path: Path, scenario_id: str) -> list[Path]:
    """The transcripts that belong to a scenario: ``transcripts/ID.*.yaml`` beside it."""
    return sorted((scenario_path.parent / "transcripts").glob(f"{scenario_id}.*.yaml"))


def run(args: argparse.Namespace) -> int:
    from drillbook.authoring.pack import collect, pack_bytes
    from drillbook.reports.output import write_output
    from drillbook.scenarios import library, load
    from drillbook.scenarios.transcript import check_against, check_capabilities, load_transcript
    from drillbook.scoring.files import client_from
    from drillbook.scoring.plan import DEFAULT_PLAN_PATH, load_plan

    loaded = load(library.resolve(args.scenario))
    plan_path = Path(args.plan) if args.plan else DEFAULT_PLAN_PATH
    plan = load_plan(plan_path)
    client = None
    if loaded.scenario.client:
        client = library.client_path(loaded.path, loaded.scenario.client)
        if client is not None:
            client_from(client, plan)  # a pack that would not unpack is refused here
    given = [Path(t) for t in args.transcript]
    transcripts = given or transcripts_of(loaded.path, loaded.scenario.id)
    for t in transcripts:  # checked as unpack will check them
        transcript = load_transcript(t)
        check_against(transcript, loaded.scenario)
        check_capabilities(transcript, list(plan.capabilities))
    members = collect(loaded.path, plan_path, transcripts, client)
    out = Path(args.output)
    # every file packed is an input: -o onto the plan or the client profile would lose it
    inputs = [loaded.path, plan_path, *transcripts, *([client] if client else [])]
    write_output(out, pack_bytes(members), force=args.force, inputs=inputs)
    print(f"wrote {out}: {len(members)} files ({', '.join(m.name for m in members)})")
    return 0
