"""``drillbook score JOURNAL``: how a run measured up against the response plan.

A manager who did not watch the exercise reads readiness and its HSEEP rating, each
capability's rating, the rules that were late, missed or broken (and by how much), and what
the response cost against the plan's own timeline. ``--json`` prints the Scorecard itself.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from drillbook.commands.runfiles import add_accept, note_journal


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="score a run's journal against the response plan")
    p.add_argument("journal", metavar="JOURNAL", help="a journal written by run or play")
    p.add_argument(
        "--plan", metavar="FILE", help="response plan (default: the run's, else the bundled one)"
    )
    p.add_argument(
        "--client",
        metavar="FILE",
        help="client profile (default: the run's, else the scenario's client)",
    )
    p.add_argument("--json", action="store_true", help="print the Scorecard as JSON")
    add_accept(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from drillbook.scoring import score
    from drillbook.scoring.files import for_journal
    from drillbook.simulator.journal import read_journal
    from drillbook.simulator.replay import scenario_changed, scenario_of

    jf = read_journal(args.journal)
    loaded = scenario_of(jf, accept_changed=args.accept_changed_scenario)
    plan, client = for_journal(
        jf.path, jf.started, loaded.path, loaded.scenario, args.plan, args.client
    )
    card = score(loaded.scenario, plan, jf.events, client, source=str(jf.path))
    if args.json:
        json.dump(card.to_json(), sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(summary(card, loaded.scenario))
    note_journal(jf, scenario_changed=scenario_changed(jf, loaded))
    return 0


def readiness_line(card: Any) -> str:
    from drillbook.scoring.scorecard import RATING_TEXT

    return f"Readiness {card.readiness:.1f}/100 — {card.rating} ({RATING_TEXT[card.rating]})"


def cost_line(card: Any, scenario: Any) -> str:
    """ "Your response cost $X; on the plan's timeline it would have cost $Y" for the meters
    the report headlines (marked ``headline: true``, else money first, else the first)."""
    from drillbook.reports.headline import headline_meters
    from drillbook.simulator.meters import render_value

    meters = [m for m in scenario.meters if m.id in card.impact]
    if not meters:
        return "No meters in this scenario: nothing to compare with the plan's timeline."
    chosen, as_cost = headline_meters(meters)
    lines = []
    for m in chosen:
        line = card.impact[m.id]
        actual, planned = render_value(m, line.actual), render_value(m, line.counterfactual)
        if as_cost:
            return (
                f"Your response cost {actual}; on the plan's timeline it would have cost {planned}."
            )
        lines.append(f"{m.label}: {actual} with your response; on the plan's timeline {planned}.")
    return " ".join(lines)


def _rule_line(r: Any) -> str:
    from drillbook.formats.offsets import fmt_duration

    if r.status == "late" and r.kind in ("deadline", "coverage") and r.done and r.late_by:
        what = f"{fmt_duration(r.late_by)} late (done {r.done}, due {r.due})"
    else:
        what = r.detail
    return f"  {r.id:<34} {r.status:<9} credit {r.credit:.2f}  {what}"


def summary(card: Any, scenario: Any) -> str:
    from drillbook.simulator.meters import render_value

    head = f"{card.title} ({card.scenario})"
    lines = [
        head,
        f"  plan: {card.plan} · client: {card.client or 'none'} · true severity: {card.severity}",
        readiness_line(card),
        "",
        f"  {'Capability':<38} {'Score':>5}  Rating",
    ]
    for c in card.capabilities.values():
        rating = c.rating
        if c.override is not None:
            rating += f" (computed {c.computed_rating}; evaluator: {c.override.note or 'no note'})"
        lines.append(f"  {c.title:<38} {c.score:>5.0f}  {rating}")
    problems = [r for r in card.rules if r.status in ("late", "missed", "violated")]
    lines.append("")
    if problems:
        lines.append("Late, missed or violated:")
        lines += [_rule_line(r) for r in problems]
    else:
        lines.append("Every rule that applied was met.")
    lines.append("")
    lines.append(cost_line(card, scenario))
    for m in scenario.meters:
        line = card.impact.get(m.id)
        if line is not None:
            lines.append(
                f"  {m.label:<28} {render_value(m, line.actual):>12}   "
                f"(plan's timeline: {render_value(m, line.counterfactual)})"
            )
    if card.critical_path:
        lines.append("Critical path: " + " → ".join(card.critical_path))
    return "\n".join(lines)
