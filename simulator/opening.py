"""The wake-ups every run of a scenario opens with, kept in SimPy's queue one at a time.

A run starts by setting a wake-up for each scripted inject (in declaration order) and each
time point a condition names: the same list, at the same times, in every run of the
scenario. Each took a ``Pending`` entry, a wake-up and a bound call to build, in every run —
the larger part of starting an engine. Here the list is worked out once per scenario
(``opening_of``, kept in the scenario's index) and a run walks it with one wake-up, the
cursor, which holds only the next item's place in the queue.

Why the order is the same: SimPy orders its queue by (time, priority, event id), and ids
are handed out in the order events are scheduled. The opening's items would have had ids
0 … n − 1, so a run reserves those ids (its environment's count starts at n) and queues
each item under its own time and id, as the item before it leaves the queue. Nothing can be
due between two consecutive items that would not have been between them anyway, because
each key is exactly the one the item's own wake-up would have had.
"""

from __future__ import annotations

from dataclasses import dataclass

from drillbook.simulator.wakeup import Pending

# One opening wake-up: its place in the queue (time, event id), then what it does: deliver
# the scripted inject ``key`` if its entry still holds ``token``, or else react to the
# time point ``point`` (the trigger ``("time", point)``).
Item = tuple[float, int, str | None, int, tuple[str, float] | None]


@dataclass(frozen=True)
class Opening:
    """A scenario's opening wake-ups, shared by its runs (see the module's docstring)."""

    items: tuple[Item, ...]  # in queue order: by time, then by event id
    # the scripted injects' entries as a run starts (tokens 1 … k, in declaration order);
    # never changed in place (re-timing replaces an entry), so each run copies the dict only
    pending: dict[str, Pending]
    tokens: int  # the last token handed out (k)
    size: int  # event ids the opening holds (0 … size − 1)


def opening_of(scripted: tuple[tuple[str, float], ...], time_points: list[float]) -> Opening:
    """The opening of a scenario with these scripted injects and time points."""
    now = 0  # a new SimPy environment's time (``initial_time``); keys as ``Wakeup`` makes them
    items: list[Item] = []
    pending: dict[str, Pending] = {}
    eid = 0
    for token, (key, due) in enumerate(scripted, start=1):
        delay = due - now
        items.append((now + (delay if delay > 0.0 else 0.0), eid, key, token, None))
        pending[key] = Pending(key, due, "scripted", token, {"inject": key})
        eid += 1
    for t in time_points:
        delay = t - now
        items.append((now + (delay if delay > 0.0 else 0.0), eid, None, 0, ("time", t)))
        eid += 1
    items.sort(key=lambda item: (item[0], item[1]))
    return Opening(tuple(items), pending, len(scripted), eid)
