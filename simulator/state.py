"""What has happened so far in a run: the facts conditions are evaluated against."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ActionRecord:
    """One decision as the engine recorded it."""

    seq: int
    sim: float
    role: str
    action: str
    params: dict[str, Any]


@dataclass
class WorldState:
    """What has happened in a run so far, as the conditions read it: deliveries, decisions,
    answers, investigations."""

    delivered: dict[str, float] = field(default_factory=dict)  # inject id → first delivery
    actions: list[ActionRecord] = field(default_factory=list)
    answers: set[tuple[str, str]] = field(default_factory=set)  # (inject, option)
    investigations: dict[str, list[str]] = field(default_factory=dict)  # source → roles
    delivered_to: dict[str, set[str]] = field(default_factory=dict)  # inject id → roles
    # the same records by action name: conditions are re-evaluated at every event, and
    # scanning every decision each time was most of a headless run's cost
    by_action: dict[str, list[ActionRecord]] = field(default_factory=dict)

    def add_action(self, record: ActionRecord) -> None:
        self.actions.append(record)
        self.by_action.setdefault(record.action, []).append(record)
