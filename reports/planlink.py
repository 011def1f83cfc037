"""From a rule result back to the plan: the step it times, who does that step, which action.

The Scorecard names rules; the response plan says which step each rule judges and which
role performs it. The Improvement Plan needs the role (the owner of a corrective action)
and the executive summary needs the action (a step whose action changes the scenario's
meters, such as containment, is one that cost money when it was late).
"""

from __future__ import annotations

from typing import Any

from drillbook.scenarios.conditions import Done, leaves
from drillbook.scenarios.model import Scenario


def rule_step(plan: Any, rule_id: str) -> Any | None:
    """The plan step a rule judges (for a precedence rule: the step that must come first)."""
    if plan is None:
        return None
    rule = plan.rule(rule_id)
    if rule is None:
        return None
    step_id = getattr(rule, "step", None) or getattr(rule, "before", None)
    return plan.step(step_id) if step_id else None


def step_role(plan: Any, rule_id: str) -> str | None:
    step = rule_step(plan, rule_id)
    return getattr(step, "role", None) if step is not None else None


def impact_actions(scenario: Scenario) -> set[str]:
    """Actions that change how fast the scenario's harm accrues (its meters' rate rules)."""
    out: set[str] = set()
    for meter in scenario.meters:
        for rule in meter.rates:
            out.update(leaf.done for leaf in leaves(rule.when) if isinstance(leaf, Done))
    return out


def drives_impact(plan: Any, rule_id: str, actions: set[str]) -> bool:
    step = rule_step(plan, rule_id)
    return step is not None and getattr(step, "action", None) in actions
