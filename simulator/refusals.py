"""Why the engine refuses a decision or a facilitator change, in words a person can act on."""

from __future__ import annotations

from typing import Any

from scenarios.model import Scenario
from scenarios.references import action_problems

from .state import WorldState


class ActionRejected(ValueError):
    """A decision or facilitator change that cannot be applied; nothing was recorded."""


def check_action(scenario: Scenario, state: WorldState, role: str, action: Any) -> None:
    """Raise :class:`ActionRejected` if ``role`` cannot take ``action`` now."""
    problems = action_problems(scenario, role, action)
    if problems:
        raise ActionRejected(f"{role} {action.action}: " + "; ".join(m for _, m in problems))
    if action.action == "answer" and role not in state.delivered_to.get(action.inject, set()):
        raise ActionRejected(f"{role} answer: inject '{action.inject}' has not reached {role} yet")
