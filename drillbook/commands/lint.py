"""``drillbook lint PATH...``: scenario quality checks beyond validity, errors and warnings placed."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drillbook.scoring.plan import ResponsePlan


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
    from drillbook.authoring.lint import lint
    from drillbook.commands.validate import expand
    from drillbook.formats.yamlsource import InputError
    from drillbook.scenarios import load

    plan = _plan(args.plan)
    errors = warnings = 0
    for path in expand(args.paths):
        try:
            loaded = load(path)
        except InputError as exc:
            errors += len(exc.problems)
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        findings = lint(
            loaded.scenario,
            plan_rules=_plan_rules(plan, loaded.scenario.types),
            capabilities=list(plan.capabilities),
            duties=_duties(plan),
        )
        for f in findings:
            print(
                f.placed_in(loaded.document.positions),
                file=sys.stderr if f.level == "error" else sys.stdout,
            )
        e = sum(f.level == "error" for f in findings)
        w = len(findings) - e
        errors += e
        warnings += w
        if not findings:
            print(f"{path}: clean")
    print(f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors or (args.strict and warnings) else 0


def _plan(path: str | None) -> ResponsePlan:
    from drillbook.scoring.plan import default_plan, load_plan

    return load_plan(path) if path else default_plan()


def _duties(plan: ResponsePlan) -> set[str]:
    """What a scenario's role may carry under this plan: its roles (the article's six when it
    lists none) and every duty kind its roles and steps name."""
    from drillbook.scenarios.vocabulary import ROLES

    out = {r.id for r in plan.roles} or set(ROLES)
    out |= {d for r in plan.roles for d in r.duties}
    return out | {d for s in plan.steps for d in s.duties}


def _plan_rules(plan: ResponsePlan, types: list[str]) -> dict[str, set[str]]:
    """Rule id → the actions that exercise it, for a scenario of these incident types."""
    from drillbook.scoring.plan import rule_actions

    return rule_actions(plan, types)
