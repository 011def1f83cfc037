"""Which steps of the response plan a decision can serve, said on its form before it is taken.

Players could not tell which of their decisions counted for what until the report: a status
update to leadership counted for no rule and showed "—". Each action form now lists the plan
steps its action performs (narrowed by ``where``: ``notify`` to the client is its own step),
and who the plan gives them to. Reading the plan is not scoring: nothing here judges a
decision; the scorer's verdict still arrives in the facilitator's decision log.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from drillbook.scenarios.actions import ROLE_TITLES


@cache
def _plan(path: str | None) -> Any:
    from drillbook.scoring.plan import default_plan, load_plan

    return load_plan(path) if path else default_plan()


def steps_served(action: str, plan_path: str | None) -> list[str]:
    """``Notify the client (audience=client) · Communications Lead`` per step of the plan
    that ``action`` performs; empty when the plan has none or cannot be read (the form
    still works: the plan file is checked before play begins)."""
    try:
        plan = _plan(plan_path)
    except Exception:  # a plan that does not load was refused by `play`; say nothing here
        return []
    out = []
    for step in plan.steps:
        if step.action != action:
            continue
        where = ", ".join(f"{k}={v}" for k, v in step.where.items())
        who = ", ".join(ROLE_TITLES.get(r, r) for r in step.roles)
        out.append(step.title + (f" ({where})" if where else "") + (f" · {who}" if who else ""))
    return out


def served_line(action: str, plan_path: str | None) -> str:
    """One line for the form: what the plan says this action is for."""
    steps = steps_served(action, plan_path)
    if not steps:
        return "Plan steps it can serve: none — the plan has no step for this action."
    return "Plan steps it can serve: " + "; ".join(steps)
