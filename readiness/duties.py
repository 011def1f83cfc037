"""Who does what in one run: the seats, and the open tasks filed by the role that owns them.

A task belongs to the first role of its ``roles`` who is in the response and able to do it
(``Playbook.can_reach``: a source needs credentials). The open tasks are kept filed by owner,
each with its place in the plan's order, so that a free role looks only at its own
(``Autopilot.kick``); they are filed as they are added, and moved only when someone joins.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from drillbook.readiness.playbook import Task
from drillbook.simulator.events import Event

Queue = list[tuple[int, Task]]  # (place in the plan's order, task), in that order


@dataclass
class Seat:
    """One role in this run: who could fill it, who did, and what they are doing."""

    role: str
    candidates: list[str]
    person: str | None = None  # who answered
    joined: float | None = None
    due: float = math.inf  # when the pending page will be answered
    due_person: str | None = None
    busy: bool = False
    inbox: list[Event] = field(default_factory=list)


class Duties:
    """The run's open tasks by owner (None: nobody in the response can do it yet)."""

    def __init__(
        self,
        tasks: list[Task],
        seats: dict[str, Seat],
        can_reach: Callable[[str, str, str | None], bool],
    ) -> None:
        self.tasks, self.seats, self.can_reach = tasks, seats, can_reach
        self.queues: dict[str | None, Queue] = {}
        self.filed = 0  # the tasks up to here are filed

    def file(self) -> None:
        """File the tasks added since the last filing, at the back of their owners' queues."""
        queues, seats, reach = self.queues, self.seats, self.can_reach
        for position in range(self.filed, len(self.tasks)):
            task = self.tasks[position]
            if task.claimed or task.done:
                continue
            owner = None
            for role in task.roles:  # the first role in the response able to do it
                seat = seats.get(role)
                if (
                    seat is not None
                    and seat.joined is not None
                    and (task.source is None or reach(task.source, role, seat.person))
                ):
                    owner = role
                    break
            queues.setdefault(owner, []).append((position, task))
        self.filed = len(self.tasks)

    def take_over(self, seat: Seat) -> None:
        """Someone joined: the filed tasks they now own move to their queue, in the plan's
        order. A join is the only time an owner changes, and only to the newcomer — the one
        role whose state changed — where they come before the owner in the task's ``roles``
        (or it had none) and can do it; every other task keeps its owner and its place.
        What refiling every open task at each join gave, without looking at each again."""
        role, person, reach = seat.role, seat.person, self.can_reach
        taken: Queue = []
        for owner, queue in self.queues.items():
            keep = []
            for entry in queue:
                task = entry[1]
                roles = task.roles
                if (
                    role in roles
                    and (owner is None or roles.index(role) < roles.index(owner))
                    and (task.source is None or reach(task.source, role, person))
                ):
                    taken.append(entry)
                else:
                    keep.append(entry)
            if len(keep) != len(queue):
                queue[:] = keep
        if taken:
            taken.sort(key=lambda entry: entry[0])
            self.queues[role] = taken  # they had none: they were not in the response
