"""The exercise engine: a SimPy discrete-event model of one scenario.

The engine owns sim time (minutes since the start) and nothing else: it never reads the
wall clock and never sleeps. A front end advances it (``run_until``), submits decisions
(``submit``) and facilitator changes (``send_adhoc``, ``retime``, ``cancel``); every
consequence goes out as a journal event to the engine's listeners.

Ordering is canonical so that a journal replays exactly: before a decision at time t is
applied, every scheduled event at or before t is processed; equal times break by
declaration order (SimPy is FIFO for equal times). Each pending delivery is its own wake-up
(see ``simulator.wakeup``) holding a token; cancelling or re-timing one retires its
token (see ``_schedule``).
"""

from __future__ import annotations

import gc
import random
from collections.abc import Callable
from functools import partial
from heapq import heappop, heappush
from itertools import count
from typing import Any

from drillbook.scenarios.actions import ActionModel, params_of
from drillbook.scenarios.model import Scenario
from drillbook.simulator.conditions import outlook
from drillbook.simulator.crossings import Crossings
from drillbook.simulator.deliveries import Deliveries
from drillbook.simulator.events import ENGINE_KINDS, Event, Kind
from drillbook.simulator.index import index_of
from drillbook.simulator.meters import MeterBook
from drillbook.simulator.playthrough import RUN_CHECKED as _RUN_CHECKED
from drillbook.simulator.playthrough import Playthrough
from drillbook.simulator.reactions import Reactions
from drillbook.simulator.refusals import ActionRejected, check_action, check_within_play
from drillbook.simulator.sim import Environment
from drillbook.simulator.state import ActionRecord, WorldState
from drillbook.simulator.verbs import FacilitatorVerbs
from drillbook.simulator.wakeup import NORMAL, Pending, Wakeup

Listener = Callable[[Event], None]
# A scenario with more injects than this is large: ``run_until`` pauses the collector.
_LARGE = 256
_new = object.__new__
_DECISION = Kind.DECISION  # a module constant: reading a member off its enum is a lookup


class Engine(FacilitatorVerbs, Deliveries, Reactions, Playthrough):
    """One run of one scenario."""

    def __init__(self, scenario: Scenario, *, seed: int = 0) -> None:
        self.scenario = scenario
        self.seed = seed
        self._rng: random.Random | None = None  # seeded on first use (see ``rng``)
        self.env = Environment()
        self.state = WorldState()
        self.listeners: list[Listener] = []
        self.latest: Event | None = None  # the last event emitted (what a command returns)
        self.pending: dict[str, Pending] = {}
        self.ended = False
        self._seq = 0
        self._adhoc = 0
        self._fired: set[str] = set()
        self._cancelled: set[str] = set()
        self.deliveries = 0
        self._token = 0
        self._watch_token = 0
        self._watch_at: float | None = None
        self.index = index = index_of(scenario)
        start = index.starting_book  # ``MeterBook(scenario.meters)``, read once per scenario
        self.meters = start.fresh() if start is not None else MeterBook(scenario.meters)
        self.crossings = Crossings(self.index)
        self._ends = float(scenario.ends)
        self._large = len(self.index.injects) > _LARGE
        # whether any condition names a meter threshold (if not, there is never a watch)
        self._watching = bool(self.index.threshold_watches or self.index.loose)

        self._open()
        self._react()

    @property
    def rng(self) -> random.Random:
        """The run's one source of chance (a source's jitter), seeded with ``seed`` when
        first asked: seeding costs more than the rest of a run's setup, and most runs of
        most scenarios never draw (the draws, and so every run, are the same either way)."""
        rng = self._rng
        if rng is None:
            rng = self._rng = random.Random(self.seed)
        return rng

    # ── time ────────────────────────────────────────────────────────────────────────────
    @property
    def now(self) -> float:
        """Sim time, the one place it is read (hot paths read it once into a local)."""
        return float(self.env._now)

    def run_until(self, t: float, *, inclusive: bool = True) -> None:
        """Advance sim time to ``t``; with ``inclusive`` also process what is due at ``t``.

        Equivalent to ``env.run(until=t)`` (then stepping through what is due at ``t``), but
        without the stop event and exception ``run`` costs on every call — a run makes one
        call per decision, so that was a third of a headless run's time. In a large scenario
        the cyclic collector waits meanwhile (see ``formats.collector``); in a small one,
        pausing it cost more than it saved.
        """
        env = self.env
        if t < env._now:
            raise ActionRejected(f"sim time {t:g} is in the past (now {env._now:g})")
        queue = env._queue  # SimPy's heap of (time, priority, id, event): ``peek`` is its top
        if queue and ((due := queue[0][0]) < t or (inclusive and due == t)):  # most have none
            if not self._large:
                self._process_due(t, inclusive)
            else:
                collecting = gc.isenabled()  # ``collector_paused`` inlined: a context manager
                gc.disable()  # per call was a visible share of a run
                try:
                    self._process_due(t, inclusive)
                finally:
                    if collecting:
                        gc.enable()
        env._now = t  # what run(until=t) leaves behind; SimPy has no public setter

    def _process_due(self, t: float, inclusive: bool) -> None:
        """Process every event due before ``t`` (and at ``t``, if ``inclusive``), in order."""
        env = self.env
        queue = env._queue
        while queue and ((due := queue[0][0]) < t or (inclusive and due == t)):
            event = queue[0][3]
            if type(event) is Wakeup:  # all of the engine's: what ``step`` would do
                heappop(queue)
                env._now = due
                event.action()
            else:
                env.step()  # anything else (a test's SimPy process)

    def next_delivery_due(self) -> float | None:
        """When the next already-scheduled delivery is due (not counting conditions)."""
        return min((p.due for p in self.pending.values()), default=None)

    def run_to_next_delivery(self, limit: float) -> bool:
        """Step forward until something is delivered (then finish that instant) or ``limit``.

        Steps over SimPy's events rather than the inject schedule alone, so an inject whose
        condition becomes true on the way (a missed deadline) counts as "next" too.
        """
        before = self.deliveries
        while self.env.peek() <= limit:
            t = self.env.peek()
            self.env.step()
            if self.deliveries > before:
                self.run_until(t)
                return True
        self.run_until(limit)
        return self.deliveries > before

    def can_still_fire(self, inject_id: str) -> bool:
        """Whether a waiting conditional inject can still be delivered: not fired, not
        cancelled, and its condition not closed for good by what has happened."""
        inj = self.index.injects.get(inject_id)
        if inj is None or inj.when is None or self.is_triggered(inject_id):
            return False
        return outlook(inj.when, self.state, self.meters, self.now) != "never"

    def is_triggered(self, inject_id: str) -> bool:
        """Whether a conditional inject has fired (or been cancelled) already."""
        return inject_id in self._fired or inject_id in self._cancelled

    # ── decisions ───────────────────────────────────────────────────────────────────────
    def submit(
        self,
        role: str,
        action: ActionModel,
        *,
        at: float | None = None,
        checked: bool = False,
        params: dict[str, Any] | None = None,
        **tags: Any,
    ) -> Event:
        """Apply one decision at ``at`` (default: now); returns its journal event.
        ``checked``, ``params``: what the caller knows already (see ``commands.Decide``);
        ``tags`` (a networked seat's command id) are journaled with it, changing nothing."""
        if self.ended:
            self._still_open(f"{role} {action.action}")
        env = self.env
        now = env._now
        if at is None:
            at = now
        elif at < now - 1e-9:
            raise ActionRejected(
                f"{role} {action.action} at {at:g} min is before the current sim time {now:g}"
            )
        if at > self._ends + 1e-9:
            check_within_play(self.scenario, role, action, at)  # raises
        queue = env._queue
        if at < now or (queue and queue[0][0] <= at):
            self.run_until(at)  # something is due first (or ``at`` is in the past: refused)
        else:
            env._now = at  # ``run_until`` with nothing due: the common case, inlined
        name = action.action
        if not checked or name in _RUN_CHECKED:  # what ``check_action`` has to look at
            check_action(self.scenario, self.state, role, action, static=not checked)
        params = params_of(action) if params is None else dict(params)
        return self._decided(role, action, name, params, float(env._now), tags)

    def _decided(
        self,
        role: str,
        action: ActionModel,
        name: str,
        params: dict[str, Any],
        sim: float,
        tags: dict[str, Any] | None,
    ) -> Event:
        """Journal, record and react to a decision that passed every check: the half of
        ``submit`` that ``play`` shares (see ``simulator.playthrough``)."""
        seq = self._seq
        event: Event = {
            "seq": seq,
            "type": _DECISION,
            "sim": sim,
            "role": role,
            "action": name,
            "params": params,
        }
        if tags:
            event.update(tags)
        self._seq = seq + 1  # ``_publish``, inlined: a decision is most of a run's events
        self.latest = event
        for listener in self.listeners:
            listener(event)
        # ``state.add_action(ActionRecord(seq, sim, role, name, params))``, inlined: the
        # record's fields are written straight into it, which is what a frozen dataclass's
        # ``__init__`` does one ``object.__setattr__`` at a time (a third of the cost of
        # recording a decision); the record is the same in every respect
        state = self.state
        record = _new(ActionRecord)
        fields = record.__dict__  # written key by key: a third cheaper than ``update``
        fields["seq"], fields["sim"], fields["role"] = seq, sim, role
        fields["action"], fields["params"] = name, params
        state.actions.append(record)
        same = state.by_action.get(name)
        if same is None:
            state.by_action[name] = [record]
        else:
            same.append(record)
        if name == "answer":  # by name, which the action's class fixes (``Literal``)
            state.answers.add((action.inject, action.option))  # type: ignore[attr-defined]
        elif name == "investigate":
            self._investigate(role, action.source)  # type: ignore[attr-defined]
        reaction = self.index.by_action.get(name)
        if reaction is not None:  # ``_react``: else no rate and no condition can have changed
            self._apply(reaction)
        return event

    def _investigate(self, role: str, source_id: str) -> None:
        src = self.index.sources[source_id]
        if role not in src.access:
            self._deliver_finding(role, source_id, refused=True)
            return
        delay = float(src.minutes + (self.rng.randint(0, src.jitter) if src.jitter else 0))
        key = f"finding:{source_id}:{role}:{self._seq}"
        self._schedule(key, self.now + delay, "finding", {"source": source_id, "role": role})

    # ── records ─────────────────────────────────────────────────────────────────────────
    def start(self, **header: Any) -> Event:
        """Emit the ``run_started`` header (sim 0, before anything is delivered)."""
        return self.start_with(header)

    def start_with(self, header: dict[str, Any]) -> Event:
        """``start(**header)``, given the header as the dict it already is (a session's):
        unpacked into keywords it was copied once more on the way in."""
        if self._seq:
            raise ActionRejected("the run has already started")
        event: Event = {"seq": self._seq, "type": Kind.RUN_STARTED, "sim": float(self.env._now)}
        event.update(header)  # ``_emit``'s event, without copying the header twice more
        self._publish(event)
        return event

    def record(self, type_: str, **fields: Any) -> Event:
        """Journal something that changes no state (a clock change, an evaluator note).

        It goes through the engine so that its sequence number and sim time follow the
        same canonical order as decisions, and a replay reproduces it exactly.
        """
        if type_ in ENGINE_KINDS:
            raise ActionRejected(f"'{type_}' events are the engine's own")
        self._still_open(f"a '{type_}' record")
        self.run_until(self.now)
        return self._emit(type_, **fields)

    # ── end ─────────────────────────────────────────────────────────────────────────────
    def finish(self, at: float | None = None, reason: str = "end of play") -> Event:
        """Run to ``at`` (default: the scenario's end or now, whichever is later) and end."""
        self._still_open("ending it again")
        end = max(self.now, self._ends) if at is None else at  # ``_ends``: float(scenario.ends)
        self.run_until(end)
        event = self._emit(Kind.RUN_ENDED, reason=reason, meters=self.meters.values(self.now))
        self.ended = True
        # Nothing is delivered after the end: the wake-ups still queued (and the opening's
        # cursor) hold this engine by its bound methods, a cycle that kept every ended run
        # for the cyclic collector; dropped, an ended run goes by reference counting.
        self.env._queue.clear()
        self._cursor = None
        return event

    def _still_open(self, what: str) -> None:
        if self.ended:
            raise ActionRejected(f"the run has ended; {what} cannot be recorded")

    # ── internals ───────────────────────────────────────────────────────────────────────
    def _schedule(self, key: str, due: float, kind: str, payload: dict[str, Any]) -> None:
        """Set a wake-up that delivers ``key`` at ``due``.

        SimPy cannot unschedule a timeout, and interrupting a process that has not started
        yet fails; so a re-timed or cancelled delivery simply replaces or removes its
        ``Pending`` entry, and the old wake-up, when it comes, finds it is not current.
        """
        self._token += 1
        self._wake(due, partial(self._deliver_due, key, self._token))
        self.pending[key] = Pending(key, due, kind, self._token, payload)

    def _open(self) -> None:
        """Queue the scenario's opening (``simulator.opening``): its scripted deliveries'
        entries, and the first of its wake-ups under the cursor."""
        opening = self.index.opening
        self.pending.update(opening.pending)
        self._token = opening.tokens
        env = self.env
        env._eid = count(opening.size)  # type: ignore[attr-defined]  # ids 0 … size − 1: the opening's
        self._opened = 0
        self._cursor = Wakeup.unqueued(self._open_next)
        if opening.items:
            first = opening.items[0]
            heappush(env._queue, (first[0], NORMAL, first[1], self._cursor))

    def _open_next(self) -> None:
        """The opening's next wake-up: queue the one after it, then do what it does."""
        items = self.index.opening.items
        i = self._opened
        self._opened = i + 1
        if i + 1 < len(items):
            after = items[i + 1]
            heappush(self.env._queue, (after[0], NORMAL, after[1], self._cursor))
        _, _, key, token, point = items[i]
        if key is not None:
            self._deliver_due(key, token)
        else:
            self._react(point)

    def _wake(self, due: float, action: Callable[[], None]) -> None:
        Wakeup(self.env, due, action)  # one place, so a test can swap in real SimPy processes

    def _deliver_due(self, key: str, token: int) -> None:
        p = self.pending.get(key)
        if p is None or p.token != token:
            return
        del self.pending[key]
        if p.kind == "scripted":
            index = self.index
            inject_id = p.payload["inject"]
            delivery = index.deliveries.get(inject_id) or index.delivery(inject_id)
            self._deliver_scripted(delivery)
            if delivery.hit is not None:  # ``_react(("delivered", id))``
                self._apply(delivery.hit)
        elif p.kind == "finding":
            self._deliver_finding(p.payload["role"], p.payload["source"], refused=False)
            self._react(("investigated", p.payload["source"]))
        else:
            self._deliver(key, "adhoc", **p.payload)

    def _emit(self, type_: str, **fields: Any) -> Event:
        # ``sim`` is exact, not rounded: replay re-feeds inputs at the journaled time, and JSON
        # round-trips a float exactly, so a run driven by a real clock still replays to the bit.
        event: Event = {"seq": self._seq, "type": type_, "sim": float(self.env._now), **fields}
        self._publish(event)
        return event

    def _publish(self, event: Event) -> None:
        """Number ``event`` (built with the next ``seq``) and hand it to the listeners."""
        self._seq += 1
        self.latest = event
        for listener in self.listeners:
            listener(event)
