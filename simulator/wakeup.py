"""A call at a sim time, ordered exactly as a SimPy process that waits for it would be.

The engine used to start a SimPy process per delivery and per meter watch: a generator
that yields one timeout and then acts. A process costs three events (its start, the
timeout, its end) and a generator resume for each. A :class:`Wakeup` is one event: it
puts itself in SimPy's queue at the time the process's timeout would have had, and SimPy
calls it back there.

Why the order is the same: a process's start event is urgent at now, so it is processed
before anything else due at now and before time moves, in the order the processes were
started; only then is its timeout created (``now + max(0, due − now)``, the same float).
The engine makes no SimPy event other than wake-ups, so between starting a process and
processing its start nothing else can take a place in the queue: the timeouts get their
places in the order the wake-ups were made, which is the order a wake-up scheduled at once
gets too. ``tests/test_scale.py`` holds both to real processes. A scenario with 10,000
conditional injects makes 20,000 of them per run, and the events a run steps through
halve.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from heapq import heappush
from typing import Any

from drillbook.simulator.sim import simpy

NORMAL = 1  # SimPy's priority for a timeout (``simpy.events.NORMAL``)


class Wakeup:
    """Call ``action()`` at sim time ``due`` (or at once, after what is due now, if ``due``
    has passed). To SimPy it is an event that has succeeded: ``Environment.step`` reads its
    ``callbacks`` and ``_ok`` and nothing else. The engine's own loop (``Engine.run_until``)
    calls ``action`` itself, without a step."""

    __slots__ = ("action",)
    _ok = True  # what ``Environment.step`` checks after the callbacks: it succeeded

    def __init__(self, env: simpy.Environment, due: float, action: Callable[[], None]) -> None:
        self.action = action
        now = env._now
        delay = due - now
        # ``env.schedule(self, NORMAL, max(0.0, delay))``, without the two calls
        heappush(env._queue, (now + (delay if delay > 0.0 else 0.0), NORMAL, next(env._eid), self))

    @classmethod
    def unqueued(cls, action: Callable[[], None]) -> Wakeup:
        """A wake-up not (yet) in the queue: its caller queues it under a place of its own
        choosing (see ``simulator.opening``), as often as it is to come."""
        wakeup = cls.__new__(cls)
        wakeup.action = action
        return wakeup

    @property
    def callbacks(self) -> list[Callable[[Any], None]]:
        """What SimPy calls when it steps to this event: the action. A wake-up leaves the
        queue once, so nothing needs to remember that it has been called."""
        return [self._fire]

    @callbacks.setter
    def callbacks(self, _processed: None) -> None:
        """SimPy marks a processed event so (``None``); a wake-up is never looked at again."""

    def _fire(self, _event: Any) -> None:
        self.action()


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
