"""A Session: one exercise in progress — engine, clock and journal behind one door.

It is the seam between the engine and every front end: the Textual app, headless runs,
replays and, later, a networked host. A front end changes the run only through
:meth:`Session.apply` with a typed command (``simulator.commands``), which ticks the clock,
validates once, journals and then notifies; it reads the run only through ``history``,
``subscribe``, ``snapshot`` and ``view`` (the ``SessionLike`` protocol of
``simulator.protocol``). Engine and clock are private to ``simulator/``, so a remote session
can stand in for this local one without the screens changing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillbook.formats.version import VERSION
from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.clock import SimClock
from drillbook.simulator.commands import Command, Decide, EndPlay
from drillbook.simulator.engine import Engine
from drillbook.simulator.events import FACILITATOR, Event, Kind
from drillbook.simulator.journal import Journal
from drillbook.simulator.planref import plan_ref  # reads YAML (lazily) only for a new plan
from drillbook.simulator.playthrough import Step
from drillbook.simulator.protocol import SeatView, Snapshot
from drillbook.simulator.settings import RunSettings

if TYPE_CHECKING:
    from drillbook.scenarios.model import Scenario

# Journal event types a player may see (their own share of them; see ``visible_to``).
_PLAYER_TYPES = frozenset(
    {Kind.RUN_STARTED, Kind.INJECT_DELIVERED, Kind.DECISION, Kind.CLOCK, Kind.RUN_ENDED}
)


def scenario_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def visible_to(event: Event, role: str) -> bool:
    """Whether ``role`` may see ``event``: its own injects and decisions, and the clock.

    Never another role's private inject, the facilitator's changes, the upcoming MSEL,
    evaluator notes or anything scored. The facilitator sees everything.
    """
    if role == FACILITATOR:
        return True
    kind = event["type"]
    if kind not in _PLAYER_TYPES:
        return False
    if kind == Kind.INJECT_DELIVERED:
        return role in event.get("to", ())
    if kind == Kind.DECISION:  # one's own decisions, and an escalation that pulls one in
        return event.get("role") == role or reaches(event, role)
    return True  # the header, the clock and the end


def reaches(event: Event, role: str) -> bool:
    """Whether ``event`` is another role's escalation to ``role``: the page lands on its desk."""
    params = event.get("params")
    return (
        event.get("type") == Kind.DECISION
        and event.get("action") == "escalate"
        and isinstance(params, dict)
        and params.get("to") == role
        and event.get("role") != role
    )


def _reached_by(event: Event) -> tuple[str, ...] | None:
    """The only roles a delivery or a decision is visible to, as ``visible_to`` has it (None:
    another kind, for ``visible_to`` itself); either is shown to them whole."""
    kind = event["type"]
    if kind == Kind.INJECT_DELIVERED:
        return event.get("to", ())
    if kind == Kind.DECISION:
        params = event.get("params")
        if event.get("action") == "escalate" and isinstance(params, dict) and "to" in params:
            return (event.get("role"), params["to"])
        return (event.get("role"),)
    return None


def player_view(event: Event) -> Event:
    """The part of a visible event a player is shown (no meters, no plan or client paths)."""
    if event["type"] == Kind.RUN_ENDED:
        return {k: v for k, v in event.items() if k != "meters"}
    if event["type"] == Kind.RUN_STARTED:
        keep = ("seq", "type", "sim", "scenario", "title", "start", "roster", "practice")
        return {k: v for k, v in event.items() if k in keep}
    return event


__all__ = ["RunSettings", "Session", "Subscription"]  # RunSettings lives in simulator.settings


@dataclass
class Subscription:
    """A seat's callback, given the events that role may see."""

    role: str
    callback: Callable[[Event], None]


class Session:
    """Engine + clock + journal. Create it, ``start()`` it, then ``apply`` commands to it."""

    def __init__(
        self,
        loaded: LoadedScenario,
        settings: RunSettings | None = None,
        *,
        journal: Journal | None = None,
        wall: Callable[[], float] = time.monotonic,
    ) -> None:
        self.loaded = loaded
        self._scenario = loaded.scenario
        self._settings = settings or RunSettings()
        self._engine = Engine(self._scenario, seed=self._settings.seed)
        self._clock = SimClock(self._engine, wall)
        self._events: list[Event] = []
        # how many of ``_events`` subscribers have been handed (the rest are journaled, not
        # yet sent): a count rather than a second list, so recording an event is one append
        self._sent = 0
        # the subscriptions, as a tuple replaced on every change: each event is handed to the
        # ones there were when its turn came (a callback may subscribe or unsubscribe)
        self._subs: tuple[Subscription, ...] = ()
        self._journal: Journal | None = None
        self.journal = journal  # the setter puts the engine's one listener in place

    @property
    def journal(self) -> Journal | None:
        return self._journal

    @journal.setter
    def journal(self, journal: Journal | None) -> None:
        """Record to ``journal`` from now on (a resumed run is given its file after the
        rebuild). Without one, the engine's listener is the history's own ``append``: a
        headless run records each event without a call of ours."""
        self._journal = journal
        listeners = self._engine.listeners
        mine = (self._events.append, self._on_event)
        listeners[:] = [x for x in listeners if x not in mine]
        listeners.insert(0, self._events.append if journal is None else self._on_event)

    @property
    def scenario(self) -> Scenario:
        return self._scenario

    @property
    def settings(self) -> RunSettings:
        return self._settings

    @property
    def journal_path(self) -> Path | None:
        return self.journal.path if self.journal else None

    # ── lifecycle ───────────────────────────────────────────────────────────────────────
    def header(self) -> dict[str, Any]:
        s, scenario = self._settings, self._scenario
        return {
            "scenario": scenario.id,
            "title": scenario.title,
            "scenario_file": str(self.loaded.path),
            "scenario_sha256": self.loaded.sha256 or scenario_digest(self.loaded.path),
            "start": scenario.start,
            "seed": s.seed,
            "plan": s.plan,
            **plan_ref(s.plan),  # what the plan file said when play began (id, version, digest)
            "client": s.client,
            "roster": dict(s.roster),
            "practice": s.practice,
            "mode": s.mode,
            "drillbook": VERSION,
        }

    def start(self, header: dict[str, Any] | None = None) -> Event:
        """Journal the run's header (``header``: a journaled one, when a run is rebuilt)."""
        event = self._engine.start_with(self.header() if header is None else header)
        self._notify()
        return event

    def end(self, reason: str = "end of play") -> Event:
        """End play now (or at the scenario's end in a headless run) and close the journal."""
        event = self.apply(EndPlay(reason, at_scenario_end=self._settings.mode != "play"))
        assert event is not None
        return event

    @property
    def ended(self) -> bool:
        return self._engine.ended

    # ── the one door ────────────────────────────────────────────────────────────────────
    def apply(self, command: Command, *, at: float | None = None) -> Event | None:
        """Apply one command; returns the event it journaled (None if it changed nothing,
        such as pausing a paused clock). Raises ``ActionRejected`` with nothing recorded.

        ``at`` places an input at a journaled sim time (replay, resume, headless runs). Live
        (``at`` None) the clock is ticked first, so the input lands at the time on screen.
        Subscribers hear of every event only after it is journaled, never inside the engine.
        """
        if at is None:
            self._clock.tick()
        try:
            if type(command) is Decide and command.cid is None:  # most of a run's inputs:
                event = self._engine.submit(  # ``Decide.run``, without its call
                    command.role,
                    command.action,
                    at=at,
                    checked=command.checked,
                    params=command.params,
                )
            else:
                event = command.run(self._engine, self._clock, at)
        finally:
            if self._subs:
                self._notify()
            else:  # nobody to hand them to (a headless run): they count as handed
                self._sent = len(self._events)
        if self._journal is not None and isinstance(command, EndPlay):
            self._journal.close()
        return event

    def unwatched_play(self) -> Callable[[Sequence[Step | None], int], int]:
        """``Engine.play`` itself, for a driver that places every decision at a journaled
        time on a session nobody subscribes to (``headless.run_transcript``, which makes its
        own): there ``apply`` ticks no clock and hands nobody anything, and its layer was a
        visible share of a headless run. The events it records count as handed once the
        next command goes through the door (the driver's ``end``), nobody having subscribed,
        as they would have one ``apply`` at a time."""
        if self._subs:
            raise RuntimeError("a watched session's decisions go through Session.apply")
        return self._engine.play

    def tick(self) -> None:
        """Advance the story to wall time × speed, delivering what fell due."""
        self._clock.tick()
        self._notify()

    def run_to(self, t: float) -> None:
        """Advance the story to sim time ``t`` with no clock (replay and headless runs)."""
        self._engine.run_until(t)
        self._notify()

    def next_due(self) -> float:
        """The sim time of the next thing the story has scheduled (inf: nothing). A headless
        driver that stops the story at times of its own skips the stops before it, where
        nothing can happen."""
        return self._engine.env.peek()

    def settle(self) -> None:
        """Re-anchor the clock where the story stands (after a rebuild, before play goes on)."""
        self._clock.reanchor(self._engine.now)

    # ── reading ─────────────────────────────────────────────────────────────────────────
    def subscribe(
        self, callback: Callable[[Event], None], role: str = FACILITATOR
    ) -> Callable[[], None]:
        """Call ``callback`` with each new event ``role`` may see; returns an unsubscribe."""
        sub = Subscription(role, callback)
        self._subs = (*self._subs, sub)

        def unsubscribe() -> None:
            self._subs = tuple(s for s in self._subs if s is not sub)

        return unsubscribe

    def history(self, role: str = FACILITATOR) -> list[Event]:
        """Every event so far that ``role`` may see, in order (a copy: the run's own list is
        the session's)."""
        if role == FACILITATOR:
            return list(self._events)
        return [player_view(e) for e in self._events if visible_to(e, role)]

    def view(self, role: str) -> SeatView:
        return SeatView(self, role)

    def snapshot(self, role: str = FACILITATOR) -> Snapshot:
        clock, engine = self._clock, self._engine
        reached = engine.now
        facilitator = role == FACILITATOR
        return Snapshot(
            role=role,
            now=reached if engine.ended else clock.now,
            reached=reached,
            speed=clock.speed,
            running=clock.running,
            started=clock.started or reached > 0,
            ended=engine.ended,
            anchor_sim=clock.anchor_sim,
            anchor_wall=clock.anchor_wall,
            meters=engine.meters.values(reached) if facilitator else {},
            upcoming=tuple(self._upcoming()) if facilitator else (),
        )

    def _upcoming(self) -> list[dict[str, Any]]:
        """The MSEL ahead (facilitator only): scheduled deliveries and waiting conditions
        (``open`` says whether a waiting one can still fire, given what the team has done)."""
        from drillbook.scenarios.conditions import describe

        engine = self._engine
        rows = [
            {"inject": p.key, "due": p.due, "kind": p.kind, "condition": None}
            for p in engine.pending.values()
            if p.kind != "finding"
        ]
        for inj in self.scenario.injects:
            if inj.when is not None and not engine.is_triggered(inj.id):
                rows.append(
                    {
                        "inject": inj.id,
                        "due": None,
                        "kind": "conditional",
                        "condition": describe(inj.when),
                        "open": engine.can_still_fire(inj.id),
                    }
                )
        return sorted(rows, key=lambda r: (r["due"] is None, r["due"] or 0))

    def _on_event(self, event: Event) -> None:
        self._events.append(event)
        journal = self._journal
        if journal:
            journal.write(event)

    def _notify(self) -> None:
        """Hand journaled events to subscribers, in order; a subscriber that applies a
        command meanwhile only queues more, which this same loop then delivers."""
        events = self._events
        while self._sent < len(events):
            event = events[self._sent]
            self._sent += 1
            if not self._subs:
                self._sent = len(events)  # nobody to hand the rest to
                continue
            # ``visible_to`` and ``player_view``, with a delivery or a decision (most events)
            # decided by the roles it reaches alone, worked out once for every seat
            to = _reached_by(event)
            for sub in self._subs:
                role = sub.role
                if role == FACILITATOR:
                    sub.callback(event)
                elif to is not None:
                    if role in to:
                        sub.callback(event)
                elif visible_to(event, role):
                    sub.callback(player_view(event))
