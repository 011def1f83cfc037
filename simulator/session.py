"""A Session: one exercise in progress — engine, clock and journal behind one small API.

It is the seam between the engine and every front end: the Textual app, headless runs,
replays and, later, a networked host. A front end controls the clock, submits decisions,
subscribes to the events a role may see, and asks for snapshots. It never reaches into the
engine, so a remote session can stand in for this local one without the screens changing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillbook.scenarios.actions import ActionModel, parse_action
from drillbook.scenarios.loader import LoadedScenario
from drillbook.simulator.clock import SimClock
from drillbook.simulator.engine import Engine, Event
from drillbook.simulator.journal import Journal
from drillbook.simulator.refusals import ActionRejected

FACILITATOR = "facilitator"
# Journal event types a player may see (their own share of them; see ``visible_to``).
_PLAYER_TYPES = frozenset({"run_started", "inject_delivered", "action_taken", "clock", "run_ended"})


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
    if kind == "inject_delivered":
        return role in event.get("to", ())
    if kind == "action_taken":
        return event.get("role") == role
    if kind == "run_started":
        return True
    return kind in ("clock", "run_ended")


def player_view(event: Event) -> Event:
    """The part of a visible event a player is shown (no meters, no plan or client paths)."""
    if event["type"] == "run_ended":
        return {k: v for k, v in event.items() if k != "meters"}
    if event["type"] == "run_started":
        keep = ("seq", "type", "sim", "scenario", "title", "start", "roster", "practice")
        return {k: v for k, v in event.items() if k in keep}
    return event


@dataclass
class Subscription:
    role: str
    callback: Callable[[Event], None]


@dataclass
class RunSettings:
    """What a facilitator decides before play; all of it goes into the journal header."""

    seed: int = 0
    plan: str | None = None
    client: str | None = None
    roster: dict[str, str] = field(default_factory=dict)  # role → person
    practice: bool = False
    mode: str = "play"


class Session:
    """Engine + clock + journal. Create it, ``start()`` it, then drive it."""

    def __init__(
        self,
        loaded: LoadedScenario,
        settings: RunSettings | None = None,
        *,
        journal: Journal | None = None,
        wall: Callable[[], float] = time.monotonic,
    ) -> None:
        self.loaded = loaded
        self.scenario = loaded.scenario
        self.settings = settings or RunSettings()
        self.engine = Engine(self.scenario, seed=self.settings.seed)
        self.clock = SimClock(self.engine, wall)
        self.journal = journal
        self.events: list[Event] = []
        self._subs: list[Subscription] = []
        self.engine.listeners.append(self._on_event)

    # ── lifecycle ───────────────────────────────────────────────────────────────────────
    def header(self) -> dict[str, Any]:
        from drillbook.simulator.planref import plan_ref

        from drillbook import __version__

        s = self.settings
        return {
            "scenario": self.scenario.id,
            "title": self.scenario.title,
            "scenario_file": str(self.loaded.path),
            "scenario_sha256": self.loaded.sha256 or scenario_digest(self.loaded.path),
            "start": self.scenario.start,
            "seed": s.seed,
            "plan": s.plan,
            **plan_ref(s.plan),  # what the plan file said when play began (id, version, digest)
            "client": s.client,
            "roster": dict(s.roster),
            "practice": s.practice,
            "mode": s.mode,
            "drillbook": __version__,
        }

    def start(self) -> Event:
        return self.engine.start(**self.header())

    def end(self, reason: str = "end of play") -> Event:
        """End play now (or at the scenario's end in a headless run)."""
        at = self.engine.now if self.settings.mode == "play" else None
        event = self.engine.finish(at, reason)
        if self.journal:
            self.journal.close()
        return event

    @property
    def ended(self) -> bool:
        return self.engine.ended

    # ── decisions and records ───────────────────────────────────────────────────────────
    def submit(
        self, role: str, action: ActionModel | dict[str, Any], *, at: float | None = None
    ) -> Event:
        """Record a decision; raises :class:`ActionRejected` (nothing recorded) if it cannot be."""
        if isinstance(action, dict):
            try:
                action = parse_action(action)
            except ValueError as exc:
                raise ActionRejected(f"{role}: {exc}") from None
        return self.engine.submit(role, action, at=at)

    def record(self, type_: str, **fields: Any) -> Event:
        """Journal a record that changes nothing in the story (evaluator note, roster…)."""
        return self.engine.record(type_, **fields)

    # ── reading ─────────────────────────────────────────────────────────────────────────
    def subscribe(
        self, callback: Callable[[Event], None], role: str = FACILITATOR
    ) -> Callable[[], None]:
        """Call ``callback`` with each new event ``role`` may see; returns an unsubscribe."""
        sub = Subscription(role, callback)
        self._subs.append(sub)
        return lambda: self._subs.remove(sub) if sub in self._subs else None

    def history(self, role: str = FACILITATOR) -> list[Event]:
        """Every event so far that ``role`` may see, in order."""
        return [
            e if role == FACILITATOR else player_view(e) for e in self.events if visible_to(e, role)
        ]

    def meters(self) -> dict[str, float]:
        return self.engine.meters.values(self.engine.now)

    def upcoming(self) -> list[dict[str, Any]]:
        """The MSEL ahead (facilitator only): scheduled deliveries and waiting conditions
        (``open`` says whether a waiting one can still fire, given what the team has done)."""
        from drillbook.scenarios.conditions import describe

        rows = [
            {"inject": p.key, "due": p.due, "kind": p.kind, "condition": None}
            for p in self.engine.pending.values()
            if p.kind != "finding"
        ]
        for inj in self.scenario.injects:
            if inj.when is not None and not self.engine.is_triggered(inj.id):
                rows.append(
                    {
                        "inject": inj.id,
                        "due": None,
                        "kind": "conditional",
                        "condition": describe(inj.when),
                        "open": self.engine.can_still_fire(inj.id),
                    }
                )
        return sorted(rows, key=lambda r: (r["due"] is None, r["due"] or 0))

    def _on_event(self, event: Event) -> None:
        self.events.append(event)
        if self.journal:
            self.journal.write(event)
        for sub in list(self._subs):
            if visible_to(event, sub.role):
                sub.callback(event if sub.role == FACILITATOR else player_view(event))
