"""A transcript's decisions played in one call: what a headless run spends most of its calls on.

A headless run (``simulator.headless``) applies dozens of decisions, each at its journaled
time, to a session nobody watches. Through ``Session.apply`` and ``Engine.submit`` each one
was two calls with keywords and a dozen attribute reads that are the same for every decision
of the run (the engine's queue, its state, its listeners, the index's reactions): a fifth of a
flagship run. :meth:`Playthrough.play` takes a stretch of them as prepared steps and applies
each exactly as ``submit(role, action, at=at, checked=True, params=params)`` does — the same
checks in the same order, then the same ``Engine._decided`` (event, record, reaction) —
``tests/test_playthrough.py`` holds the two to the same journals.
"""

from __future__ import annotations

from collections.abc import Sequence
from heapq import heappop
from typing import TYPE_CHECKING, Any

from drillbook.scenarios.actions import ActionModel
from drillbook.simulator.events import Kind
from drillbook.simulator.refusals import ActionRejected, check_action, check_within_play
from drillbook.simulator.wakeup import Wakeup

if TYPE_CHECKING:
    from drillbook.simulator.engine import Engine

# One decision as ``play`` applies it: (at, role, action, its name, its parameters as
# ``params_of`` gives them, whether ``check_action`` must look at it). Everything but the
# time it lands at is the decision's own; a step is built once per transcript (``step_of``).
Step = tuple[float, str, ActionModel, str, dict[str, Any], bool]

# The decisions ``check_action`` looks at beyond the scenario's ids (what the run has done).
RUN_CHECKED = frozenset({"answer", "lift_containment", "amend"})
_DECISION = Kind.DECISION


def step_of(at: float, role: str, action: ActionModel, params: dict[str, Any]) -> Step:
    """A checked decision (one that passed its static checks against the scenario) as a step."""
    return (float(at), role, action, action.action, params, action.action in RUN_CHECKED)


class StepRefused(Exception):
    """The decision at ``step`` was refused (``refusal``); nothing of it was recorded."""

    def __init__(self, step: int, refusal: ActionRejected) -> None:
        super().__init__(step, refusal)
        self.step = step
        self.refusal = refusal


class Playthrough:
    """``play`` (see ``simulator.engine``, which takes it in)."""

    def play(self: Engine, steps: Sequence[Step | None], start: int = 0) -> int:
        """Apply ``steps`` from ``start`` up to the first that is not a decision (None);
        returns its index (``len(steps)``: every one was applied). A refused decision raises
        ``StepRefused`` with its index; the decisions before it stay applied, as they would
        have one ``submit`` at a time."""
        env, state = self.env, self.state
        queue, ends, large = env._queue, self._ends + 1e-9, self._large
        i = start
        try:
            for i in range(start, len(steps)):  # ``i``: the step a refusal names
                step = steps[i]
                if step is None:
                    return i
                at, role, action, name, params, run_checked = step
                # ``submit``'s checks from here, for a checked decision without tags; then
                # what it shares with ``submit``: ``_decided``
                if self.ended:
                    self._still_open(f"{role} {name}")
                now = env._now
                if at < now - 1e-9:
                    raise ActionRejected(
                        f"{role} {name} at {at:g} min is before the current sim time {now:g}"
                    )
                if at > ends:
                    check_within_play(self.scenario, role, action, at)  # raises
                if at < now or large:
                    self.run_until(at)  # refused (the past), or the collector paused meanwhile
                else:  # ``run_until(at)``, inlined: its loop over what is due by ``at``
                    while queue and queue[0][0] <= at:
                        due, _, _, wakeup = queue[0]
                        if type(wakeup) is Wakeup:
                            heappop(queue)
                            env._now = due
                            wakeup.action()
                        else:
                            env.step()  # anything else (a test's SimPy process)
                    env._now = at
                if run_checked:
                    check_action(self.scenario, state, role, action, static=False)
                self._decided(role, action, name, dict(params), at, None)
        except ActionRejected as exc:
            raise StepRefused(i, exc) from None
        return len(steps)
