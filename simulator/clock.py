"""The simulated clock a facilitator controls: start, pause, resume, speed, jump.

It never sleeps. A front end calls :meth:`SimClock.tick` from a timer (Textual's
``set_interval``); ``tick`` computes the sim time that wall time × speed has reached since
the last re-anchoring and advances the engine to it. Pause, resume and speed changes
re-anchor, so a speed change never makes the story jump. Tests pass a fake wall clock.
Each change's ``tags`` (a remote seat's command id) go into its journal line, so a retry
after a host restart is recognised there instead of applied twice.
SimPy's ``RealtimeEnvironment`` is deliberately not used: it blocks in ``time.sleep``,
cannot pause, and raises when it falls behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from drillbook.simulator.events import ClockVerb, Kind

if TYPE_CHECKING:  # a type only: ``play`` checks --speed against MAX_SPEED without the engine
    from drillbook.simulator.engine import Engine

MAX_SPEED = 60


class SimClock:
    """Drives an :class:`Engine` from a wall clock. Speed ×1 = one sim minute per minute."""

    def __init__(self, engine: Engine, wall: Callable[[], float] = time.monotonic) -> None:
        self.engine = engine
        self._wall = wall
        self.speed: float = 1
        self.running = False
        self.started = False
        self._anchor_wall = wall()
        self._anchor_sim = engine.now

    @property
    def now(self) -> float:
        """Sim minutes as players see them (the engine may lag by less than one tick)."""
        if not self.running:
            return self._anchor_sim
        return self._anchor_sim + (self._wall() - self._anchor_wall) * self.speed / 60.0

    @property
    def end(self) -> float:
        return max(float(self.engine.scenario.ends), self.engine.now)

    @property
    def anchor_sim(self) -> float:
        return self._anchor_sim

    @property
    def anchor_wall(self) -> float:
        return self._anchor_wall

    def reanchor(self, sim: float) -> None:
        """Count wall time from now, from story time ``sim``."""
        self._anchor_sim = sim
        self._anchor_wall = self._wall()

    def restore(self, verb: str, speed: float | None) -> None:
        """Take the state a journaled clock record left (replay and resume): the speed it
        set, and whether play had begun. A resumed clock stays paused until resumed."""
        if verb in (ClockVerb.START, ClockVerb.RESUME, ClockVerb.SPEED) and speed is not None:
            self.speed = speed
        if verb in (ClockVerb.START, ClockVerb.RESUME):
            self.started = True

    def tick(self) -> float:
        """Advance the engine to the sim time the wall clock has reached; returns it."""
        if not self.running or self.engine.ended:
            return self.engine.now
        target = self.now
        if target > self.engine.now:
            self.engine.run_until(target, inclusive=False)
        return self.engine.now

    def start(self, **tags: Any) -> None:
        if self.started:
            return self.resume(**tags)
        self.started = True
        self.running = True
        self.reanchor(self.engine.now)
        self.engine.record(Kind.CLOCK, verb=ClockVerb.START, speed=self.speed, **tags)

    def pause(self, **tags: Any) -> None:
        if not self.running:
            return
        self.tick()
        self.running = False
        self.reanchor(self.engine.now)
        self.engine.record(Kind.CLOCK, verb=ClockVerb.PAUSE, **tags)

    def resume(self, **tags: Any) -> None:
        if self.running:
            return
        self.started = True
        self.running = True
        self.reanchor(self.engine.now)
        self.engine.record(Kind.CLOCK, verb=ClockVerb.RESUME, speed=self.speed, **tags)

    def set_speed(self, speed: float, **tags: Any) -> None:
        if not 1 <= speed <= MAX_SPEED:
            raise ValueError(f"speed ×{speed:g} is out of range; expected ×1 to ×{MAX_SPEED}")
        self.tick()
        self.speed = speed
        self.reanchor(self.engine.now)
        self.engine.record(Kind.CLOCK, verb=ClockVerb.SPEED, speed=speed, **tags)

    def jump_to_next_inject(self, **tags: Any) -> bool:
        """Move the story to the next delivery (scheduled or triggered on the way)."""
        self.tick()
        found = self.engine.run_to_next_delivery(self.end)
        self.reanchor(self.engine.now)
        self.engine.record(Kind.CLOCK, verb=ClockVerb.JUMP, **tags)
        return found

    def run_to_end(self) -> None:
        """As fast as possible to the end of play (headless runs)."""
        self.engine.run_until(self.end)
        self.reanchor(self.engine.now)
