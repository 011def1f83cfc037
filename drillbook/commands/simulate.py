"""``drillbook simulate SCENARIO --team FILE|ID --runs N``: a scenario played many times by
autopilot responders modelled on your team, scored by the same scorer, as distributions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help="play a scenario many times against a model of your team")
    p.add_argument("scenario", help="scenario id or file")
    p.add_argument(
        "--team", required=True, metavar="FILE|ID", help="team model (file or bundled id)"
    )
    p.add_argument(
        "--vs", metavar="FILE|ID", help="compare with another team model on the same seeds"
    )
    p.add_argument(
        "--vs-plan",
        metavar="FILE",
        help="compare with another response plan (the same team unless --vs) on the same seeds",
    )
    p.add_argument("--runs", type=int, default=1000, help="how many nights to play (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="master seed (each run's derives from it)")
    p.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: all cores)"
    )
    p.add_argument("--executor", choices=("processes", "dask", "inline"), default="processes")
    p.add_argument(
        "--scheduler", metavar="tcp://HOST:8786", help="a Dask scheduler (else a LocalCluster)"
    )
    p.add_argument("--plan", metavar="FILE", help="response plan (default: the bundled one)")
    p.add_argument("--client", metavar="FILE", help="client profile (default: the scenario's)")
    p.add_argument(
        "--weakest", action="store_true", help="find the weakest link (re-runs per change)"
    )
    p.add_argument("--weakest-runs", type=int, default=200, help="runs per change (default 200)")
    p.add_argument("--json", action="store_true", help="print the figures as a JSON document")
    p.add_argument("--report", action="store_true", help="write a report (HTML, or --format md)")
    p.add_argument("--format", choices=("html", "md"), default="html")
    p.add_argument("-o", "--output", metavar="FILE", help="where the report goes (default: stdout)")
    p.add_argument(
        "--force", action="store_true", help="replace a file at -o drillbook did not write as this"
    )
    p.set_defaults(handler=run)


def _input_error(msg: str) -> Exception:
    from drillbook.formats.yamlsource import InputError, Problem

    return InputError([Problem("simulate", 0, 0, msg)])


# The most runs a simulation the register keeps may hold (``register add-simulation``); each
# run's seed is listed before play, so 10**20 runs grew without end. More worker processes
# than this is never a machine (10**11 overflowed the pool's C int: exit 70).
MAX_RUNS = 10_000_000
MAX_WORKERS = 1024


def run(args: argparse.Namespace) -> int:
    from drillbook.readiness import ablation, report, stats
    from drillbook.readiness.executors import SchedulerUnreachable, executor_for, run_all
    from drillbook.readiness.runner import Spec, shared
    from drillbook.readiness.team import load_team, resolve_team
    from drillbook.scenarios import library

    if args.runs < 1:
        raise _input_error(f"--runs: expected a positive number of runs, got {args.runs}")
    if args.runs > MAX_RUNS:
        raise _input_error(f"--runs: expected at most {MAX_RUNS:,} runs, got {args.runs:,}")
    if args.workers is not None and args.workers < 1:
        raise _input_error(f"--workers: expected 1 or more, got {args.workers}")
    if args.workers is not None and args.workers > MAX_WORKERS:
        raise _input_error(f"--workers: expected at most {MAX_WORKERS:,}, got {args.workers:,}")
    if args.weakest_runs < 1:
        raise _input_error(f"--weakest-runs: expected 1 or more, got {args.weakest_runs}")
    if args.weakest_runs > MAX_RUNS:
        raise _input_error(
            f"--weakest-runs: expected at most {MAX_RUNS:,}, got {args.weakest_runs:,}"
        )
    if args.scheduler and args.executor != "dask":
        raise _input_error(
            "--scheduler: a Dask scheduler's address; expected it with --executor dask"
        )
    scenario = str(library.resolve(args.scenario))
    team_file = resolve_team(args.team)
    other_file = resolve_team(args.vs) if args.vs else None
    inputs = [
        scenario,
        team_file,
        *(f for f in (other_file, args.plan, args.vs_plan, args.client) if f),
    ]
    if args.output:  # before the runs, not after them
        _check_writable(Path(args.output), args.force, inputs, args.format)
    team = load_team(team_file)
    other_team = load_team(other_file) if other_file else None
    spec = Spec(scenario, team, args.plan, args.client, args.seed)
    sh = shared(spec)  # every placed problem (team against scenario, plan, client) comes first
    other = None  # the other side of a comparison: another team, another plan, or both
    if other_team is not None or args.vs_plan:
        other = Spec(
            scenario, other_team or team, args.vs_plan or args.plan, args.client, args.seed
        )
        other_sh = shared(other)
    s = sh.loaded.scenario
    executor = executor_for(args.executor, args.workers, args.scheduler)
    workers = getattr(executor, "workers", 1)
    total = args.runs * (2 if other else 1)
    bar = _Progress(total) if sys.stderr.isatty() and not args.json else None

    def play(sp: Spec, runs: int) -> list[Any]:
        return run_all(sp, runs, executor, bar.step if bar else None, workers)

    try:
        results = play(spec, args.runs)
    except KeyboardInterrupt:
        if bar:
            bar.done()  # the CLI's "interrupted" on a line of its own, not after the bar
        raise
    except SchedulerUnreachable as exc:
        raise _input_error(
            f"--scheduler {args.scheduler}: no Dask scheduler answered ({exc}); "
            "expected tcp://HOST:PORT of a running scheduler"
        ) from None
    doc: dict[str, Any] = {
        "scenario": s.id,
        "title": s.title,
        "seed": args.seed,
        "executor": executor.name,
        "team": _team_doc(team),
        "plan": _plan_doc(sh.plan),
        "summary": stats.summarize(results, s),
    }
    others = None
    if other is not None:
        others = play(other, args.runs)
        doc["comparison"] = {
            **_sides(team, sh.plan, other.team, other_sh.plan, by_plan=bool(args.vs_plan)),
            "other_summary": stats.summarize(others, s),
            **stats.compare(results, others, s),
        }
    meter = stats.loss_meter(s)
    doc["loss_label"] = next((m.label for m in s.meters if m.id == meter), "")
    if args.weakest and meter:
        n = min(args.weakest_runs, args.runs)
        if bar:
            bar.total += n * len(ablation.changes(team, list(s.role_ids)))
        roles = list(s.role_ids)
        singles = ablation.weakest_links(spec, results, meter, n, play, roles)
        doc["weakest_links"] = singles

        def more(variants: int) -> None:
            if bar:
                bar.total += n * variants

        together = ablation.smallest_set(
            spec, results, meter, n, play, roles, singles, on_step=more
        )
        if together is not None:
            doc["weakest_set"] = together
    if bar:
        bar.done()
    if args.report:
        start = s.start_datetime
        out = (
            report.markdown(doc, start)
            if args.format == "md"
            else report.html(doc, start, results, others, meter)
        )
        if args.output:
            from drillbook.reports.output import write_output

            write_output(Path(args.output), out, force=args.force, inputs=inputs)
            print(f"wrote {args.output}")
        else:
            sys.stdout.write(out)
        return 0
    if args.json:
        json.dump(doc, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(report.text(doc, s.start_datetime))
    return 0


# What a simulation report begins and ends with: an earlier one at -o may be replaced unasked.
_KIND = {
    "html": b"<!doctype html><title>Readiness simulation: </title>Generated by drillbook",
    "md": b"# Readiness simulation: \n\nGenerated by drillbook",
}


def _check_writable(path: Path, force: bool, inputs: list[Any], fmt: str) -> None:
    """Refuse an output the report could not be written to, or one it would clobber (an
    input, a journal, a file drillbook did not write), before an hour of runs."""
    import os

    from drillbook.reports.output import check_target

    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise _input_error(f"{path}: is a folder; expected a file to write the report to")
    if not folder.is_dir():
        raise _input_error(f"{path}: no folder {folder}; expected the report's file in one")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise _input_error(f"{path}: cannot be written; expected a file this user may write")
    check_target(path, force=force, inputs=inputs, new=_KIND[fmt])


def _plan_doc(plan: Any) -> dict[str, str]:
    return {"id": plan.id, "title": plan.title}


def _sides(
    team: Any, plan: Any, other_team: Any, other_plan: Any, *, by_plan: bool
) -> dict[str, Any]:
    """How the two sides of a comparison are named: by team (``--vs``), by plan
    (``--vs-plan``), or by both. ``same_plan`` false means each side's readiness is scored
    against its own plan, so the readiness gained is not measured by one rulebook."""
    by_team = other_team.id != team.id or not by_plan

    def name(t: Any, p: Any) -> tuple[str, str]:
        if by_team and by_plan:
            return f"{t.id} under plan {p.id}", f"{t.title}, under {p.title}"
        if by_plan:
            return f"plan {p.id}", p.title
        return t.id, t.title

    (this, this_title), (other, other_title) = name(team, plan), name(other_team, other_plan)
    if this == other:  # two files of one plan id: tell them apart by side
        this, other = f"{this} (this side)", f"{other} (other side)"
    return {
        "this": this,
        "this_title": this_title,
        "other": other,
        "other_title": other_title,
        "other_team": other_team.id,
        "other_plan": _plan_doc(other_plan),
        "same_plan": other_plan == plan,
    }


def _team_doc(team: Any) -> dict[str, Any]:
    rotations = {r.role: f"{', '.join(r.people)} ({r.hours})" for r in team.on_call}
    return {
        "id": team.id,
        "title": team.title,
        "description": team.description,
        "roles": {k: list(v) for k, v in team.roles.items()},
        "rotations": rotations,
    }


class _Progress:
    """A one-line progress bar on stderr (only on a terminal, never under --json)."""

    def __init__(self, total: int) -> None:
        self.total, self.n = total, 0

    def step(self, k: int) -> None:
        self.n += k
        width = 30
        filled = int(width * self.n / max(1, self.total))
        # A carriage return is ours, not data: it goes past the CLI's control-character filter
        # (which would show it as ␍ and stack the bars on one line).
        own = getattr(sys.stderr, "write_own", sys.stderr.write)
        own(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.n}/{self.total} runs")
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\n")
