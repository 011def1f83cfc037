"""A call at a sim time, ordered exactly as a SimPy process that waits for it would be.

The engine used to start a SimPy process per delivery and per meter watch: a generator
that yields one timeout and then acts. A process costs three events (its start, the
timeout, its end) and a generator resume for each. :class:`Wakeup` keeps the first two —
the start event is scheduled urgent at now and creates the timeout when it is processed,
just as a process's first step does, so the timeout gets the same place in SimPy's queue
and equal times still break in the same order — and drops the end event, which nothing
waits on. A scenario with 10,000 conditional injects makes 20,000 of them per run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drillbook.simulator.sim import Initialize, simpy


class Wakeup:
    """Call ``action()`` at sim time ``due`` (or at once if ``due`` has passed)."""

    __slots__ = ("_action", "_due", "_env")

    def __init__(self, env: simpy.Environment, due: float, action: Callable[[], None]) -> None:
        self._env = env
        self._due = due
        self._action = action
        Initialize(env, self)  # type: ignore[arg-type]  # SimPy calls our _resume, as a process's

    def _resume(self, _start: Any) -> None:
        timeout = self._env.timeout(max(0.0, self._due - self._env.now))
        timeout.callbacks.append(self._fire)

    def _fire(self, _timeout: Any) -> None:
        self._action()


@dataclass
class Pending:
    """A delivery waiting on its wake-up: a scripted inject, a finding or an ad-hoc inject.

    ``token`` is the wake-up's: a re-timed or cancelled delivery gets a new one (or none), and
    the old wake-up, when it comes, finds it is not current."""

    key: str
    due: float
    kind: str  # scripted | finding | adhoc
    token: int
    payload: dict[str, Any]
