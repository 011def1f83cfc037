"""Why the engine refuses a decision or a facilitator change, in words a person can act on."""

from __future__ import annotations

from typing import Any

from drillbook.formats.offsets import fmt_offset
from drillbook.scenarios.model import Scenario
from drillbook.scenarios.references import action_problems
from drillbook.simulator.conditions import done_by
from drillbook.simulator.state import WorldState


class ActionRejected(ValueError):
    """A decision or facilitator change that cannot be applied; nothing was recorded."""


def check_action(
    scenario: Scenario, state: WorldState, role: str, action: Any, *, static: bool = True
) -> None:
    """Raise :class:`ActionRejected` if ``role`` cannot take ``action`` now.

    ``static=False`` leaves out the checks that depend on the scenario alone (the ids the
    decision names), for a decision that passed them already (a checked transcript's)."""
    problems = action_problems(scenario, role, action) if static else None
    if problems:
        raise ActionRejected(f"{role} {action.action}: " + "; ".join(m for _, m in problems))
    if action.action == "answer" and role not in state.delivered_to.get(action.inject, set()):
        raise ActionRejected(f"{role} answer: inject '{action.inject}' has not reached {role} yet")
    if action.action == "lift_containment":
        method = action.method
        where = {"method": method} if method else {}
        if not done_by(state, "contain", None, where, float("inf")):
            what = f"no {method} containment" if method else "nothing"
            raise ActionRejected(
                f"{role} lift_containment: {what} is in force; expected an earlier contain"
            )
    if action.action == "amend" and not state.by_action.get(action.of):
        raise ActionRejected(
            f"{role} amend: there is no earlier {action.of} to amend; expected one before it"
        )


def check_within_play(scenario: Scenario, role: str, action: Any, at: float) -> None:
    """Play has an end: a decision timed after it is refused, rather than silently moving the
    end of play (and every deadline that counts from it) to fit."""
    ends = float(scenario.ends)
    if at > ends + 1e-9:
        raise ActionRejected(
            f"{role} {action.action} at {fmt_offset(at)} is after the end of play "
            f"({fmt_offset(ends)}); expected a time within play"
        )
