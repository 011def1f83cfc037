"""``drillbook lint PATH...``: scenario quality checks beyond validity, errors and warnings placed."""

from __future__ import annotations

import argparse
import sys


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lint", help="check scenarios for unreachable injects, dead branches, idle roles…"
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files, ids or folders")
    p.add_argument(
        "--plan",
        metavar="FILE",
        help="response plan whose rules each scenario should exercise (default: the bundled plan)",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from scenarios import load
    from scenarios.lint import lint
    from scenarios.yamlsource import InputError

    from .validate import expand

    plan_rules = _plan_rules(args.plan)
    errors = warnings = 0
    for path in expand(args.paths):
        try:
            loaded = load(path)
        except InputError as exc:
            errors += len(exc.problems)
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        findings = lint(loaded.scenario, plan_rules=plan_rules)
        for f in findings:
            print(f.placed(loaded), file=sys.stderr if f.level == "error" else sys.stdout)
        e = sum(f.level == "error" for f in findings)
        w = len(findings) - e
        errors += e
        warnings += w
        if not findings:
            print(f"{path}: clean")
    print(f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors or (args.strict and warnings) else 0


def _plan_rules(path: str | None) -> dict[str, set[str]] | None:
    """Rule id → the actions that exercise it, from the response plan."""
    try:
        from scoring.plan import default_plan, load_plan, rule_actions
    except ImportError:
        return None
    plan = load_plan(path) if path else default_plan()
    return rule_actions(plan)
