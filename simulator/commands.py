"""Typed commands: every input a run accepts, and the journal line each one becomes.

A front end changes a run only by handing one of these to ``Session.apply``: a decision, a
facilitator change, a clock command, a record or the end of play. The journal's input lines
*are* these commands serialized (the event :meth:`Command.run` journals), and
:func:`command_of` reads one back, so replaying or resuming a run is applying its input lines again. There is one
dispatch from a command to the engine (:meth:`Command.run`), shared by live play, headless
runs, replay and the scorer's re-runs.

The serialized form is the journal format of drillbook 0.1 (``action_taken`` with ``role``,
``action`` and ``params``; ``facilitator`` with a ``verb``; ``clock`` with a ``verb``;
records with their own fields), so every journal written before commands existed replays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from drillbook.scenarios.actions import ActionModel, parse_action
from drillbook.simulator.events import ENGINE_KINDS, STORY_INPUTS, ClockVerb, Event, Kind, Verb
from drillbook.simulator.refusals import ActionRejected

if TYPE_CHECKING:
    from drillbook.simulator.clock import SimClock
    from drillbook.simulator.engine import Engine

# The clock's speeds a console steps through (``+`` and ``-``); any speed up to ×60 is allowed.
SPEEDS = (1, 5, 15, 60)
# Fields every event carries, which no command sets: the engine's, then the journal's own.
META = frozenset({"seq", "type", "sim", "wall", "run_id", "chain", "hash"})


@dataclass(frozen=True)
class Command:
    """One input to a run. ``run`` applies it; ``at`` is a journaled sim time (replay and
    headless runs) or None (live play: now, the clock having been ticked first)."""

    kind: ClassVar[Kind]
    # The id a networked seat gave this command (``net.wire``): journaled with the event it
    # records, so a retry after a dropped connection — even after a host restart — is found
    # and answered with the original event instead of being recorded twice. Absent locally.
    cid: str | None = field(default=None, kw_only=True)

    def run(self, engine: Engine, clock: SimClock, at: float | None) -> Event | None:
        raise NotImplementedError

    def tags(self) -> dict[str, Any]:
        """The fields this command adds to its event beyond its own (only a ``cid``, if any),
        so a journal written without them is byte-for-byte what it was."""
        return {"cid": self.cid} if self.cid is not None else {}

    def describe(self) -> str:
        """What the command is, for a refusal or a log line."""
        return str(self.kind)


# ── decisions ──────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Decide(Command):
    """A role's decision (``action_taken``)."""

    kind: ClassVar[Kind] = Kind.DECISION
    role: str
    action: ActionModel
    # What the caller knows already, so the engine does not redo it (see ``Engine.submit``):
    # the decision passed its static checks against this run's scenario (a transcript's,
    # in ``check_against``), and its parameters as ``params_of`` gives them. Neither is part
    # of the command's meaning: two commands that differ only here are equal.
    checked: bool = field(default=False, compare=False, repr=False)
    params: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, role: str, action: ActionModel | dict[str, Any]) -> Decide:
        """A decision from a form's or a transcript's data; bad parameters are refused."""
        if isinstance(action, dict):
            try:
                action = parse_action(action)
            except ValueError as exc:
                raise ActionRejected(f"{role}: {exc}") from None
        return cls(role, action)

    def run(self, engine: Engine, clock: SimClock, at: float | None) -> Event:
        if self.cid is None:  # ``tags()`` is empty: a local decision, most of a run's inputs
            return engine.submit(
                self.role, self.action, at=at, checked=self.checked, params=self.params
            )
        return engine.submit(
            self.role, self.action, at=at, checked=self.checked, params=self.params, **self.tags()
        )

    def describe(self) -> str:
        return f"{self.role} {self.action.action}"


# ── facilitator changes ────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class SendAdhoc(Command):
    """An inject the facilitator writes during play, now (``due`` None) or later."""

    kind: ClassVar[Kind] = Kind.FACILITATOR
    to: tuple[str, ...]
    channel: str
    title: str
    body: str
    due: float | None = None
    # The simulation cell: the decision (its ``seq``) this inject answers in an outside
    # party's name; journaled only when given.
    reply_to: int | None = None

    def run(self, engine: Engine, clock: SimClock, at: float | None) -> Event:
        _advance(engine, at)
        extra = self.tags() | ({"reply_to": self.reply_to} if self.reply_to is not None else {})
        engine.send_adhoc(list(self.to), self.channel, self.title, self.body, at=self.due, **extra)
        event = engine.latest
        engine.run_until(engine.now)  # one sent "now" lands now, even on a paused clock
        return event


@dataclass(frozen=True)
class Retime(Command):
    """The facilitator moves a scripted inject to another time."""

    kind: ClassVar[Kind] = Kind.FACILITATOR
    inject: str
    due: float

    def run(self, engine: Engine, clock: SimClock, at: float | None) -> Event:
        _advance(engine, at)
        engine.retime(self.inject, float(self.due), **self.tags())
        return engine.latest


@dataclass(frozen=True)
class Cancel(Command):
    """The facilitator cancels an inject that has not been delivered."""

    kind: ClassVar[Kind] = Kind.FACILITATOR
    inject: str

    def run(self, engine: Engine, clock: SimClock, at: float | None) -> Event:
        _advance(engine, at)
        engine.cancel(self.inject, **self.tags())
        return engine.latest


# ── the clock ──────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class ClockCommand(Command):
    """Start, pause, resume, a speed change or a jump to the next inject.

    Live, the clock does it (and journals it); replayed (``at`` given), the clock takes the
    state the record says and the record is journaled again as it was.
    """

    kind: ClassVar[Kind] = Kind.CLOCK
    verb: ClockVerb
    speed: float | None = None
    recorded: dict[str, Any] | None = None  # a journaled record's fields, kept as they were

    def run(self, engine: Engine, clock: SimClock, at: float | None) -> Event | None:
        if at is not None:
            engine.run_until(at)
            clock.restore(self.verb, self.speed)
            fields: dict[str, Any] = dict(self.recorded or {"verb": str(self.verb)})
            if self.recorded is None and self.speed is not None:
                fields["speed"] = self.speed
            return engine.record(Kind.CLOCK, **fields)
        before = engine.latest
        tags = self.tags()
        if self.verb is ClockVerb.START:
            clock.start(**tags)
        elif self.verb is ClockVerb.PAUSE:
            clock.pause(**tags)
        elif self.verb is ClockVerb.RESUME:
            clock.resume(**tags)
        elif self.verb is ClockVerb.SPEED:
            clock.set_speed(float(self.speed or 0), **tags)
        elif self.verb is ClockVerb.JUMP:
            clock.jump_to_next_inject(**tags)
        return engine.latest if engine.latest is not before else None

    def describe(self) -> str:
        return f"clock {self.verb}"


def start_clock() -> ClockCommand:
    return ClockCommand(ClockVerb.START)


def pause_clock() -> ClockCommand:
    return ClockCommand(ClockVerb.PAUSE)


def resume_clock() -> ClockCommand:
    return ClockCommand(ClockVerb.RESUME)


def set_speed(speed: float) -> ClockCommand:
    return ClockCommand(ClockVerb.SPEED, speed)


def jump_to_next_inject() -> ClockCommand:
    return ClockCommand(ClockVerb.JUMP)


# ── records and the end ────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Record(Command):
    """Something journaled in order that changes nothing in the story: an evaluator's note or
    rating, a lesson, the start of the hot wash, or a record kind a newer drillbook wrote."""

    kind: ClassVar[Kind] = Kind.EVALUATOR_NOTE  # the class's; an instance's is ``type_``
    type_: str
    data: dict[str, Any] = field(default_factory=dict)

    def run(self, engine: Engine, clock: SimClock, at: float | None) -> Event:
        if self.type_ in ENGINE_KINDS or self.type_ in STORY_INPUTS:
            raise ActionRejected(f"'{self.type_}' is not a record")
        _advance(engine, at)
        return engine.record(self.type_, **self.data, **self.tags())

    def describe(self) -> str:
        return f"a '{self.type_}' record"


def note(**fields: Any) -> Record:
    return Record(Kind.EVALUATOR_NOTE, fields)


def rating(**fields: Any) -> Record:
    return Record(Kind.RATING, fields)


def lesson(**fields: Any) -> Record:
    return Record(Kind.LESSON, fields)


def hot_wash_started() -> Record:
    return Record(Kind.HOTWASH_STARTED)


@dataclass(frozen=True)
class EndPlay(Command):
    """End play: now in a live run, at the journaled time in a replay, or at the scenario's
    end in a headless run (``at_scenario_end``)."""

    kind: ClassVar[Kind] = Kind.RUN_ENDED
    reason: str = "end of play"
    at_scenario_end: bool = False

    def run(self, engine: Engine, clock: SimClock, at: float | None) -> Event:
        if at is None and not self.at_scenario_end:
            at = engine.now
        return engine.finish(at, self.reason)


# ── the journal's input lines, read back ──────────────────────────────────────────────────
def command_of(event: Event) -> Command:
    """The command a journaled input line records (raises KeyError, TypeError or ValueError
    for a line that is not one, which replay turns into one placed problem)."""
    kind = event["type"]
    cid = event.get("cid")
    if cid is not None and not isinstance(cid, str):
        raise ValueError(f"'cid' is {type(cid).__name__}; expected text")
    if kind == Kind.DECISION:
        action = parse_action({"action": event["action"], **event.get("params", {})})
        return Decide(event["role"], action, cid=cid)
    if kind == Kind.FACILITATOR:
        verb = event["verb"]
        if verb == Verb.ADHOC:
            reply_to = event.get("reply_to")
            if reply_to is not None and (not isinstance(reply_to, int) or reply_to < 0):
                raise ValueError("'reply_to' is not an event number")
            return SendAdhoc(
                tuple(event["to"]),
                event["channel"],
                event["title"],
                event["body"],
                event["due"],
                reply_to,
                cid=cid,
            )
        if verb == Verb.RETIME:
            return Retime(event["inject"], float(event["due"]), cid=cid)
        if verb == Verb.CANCEL:
            return Cancel(event["inject"], cid=cid)
        raise ValueError(f"unknown facilitator verb '{verb}'")
    if kind == Kind.CLOCK:
        recorded = {k: v for k, v in event.items() if k not in META}
        return ClockCommand(ClockVerb(event.get("verb")), event.get("speed"), recorded, cid=cid)
    if kind == Kind.RUN_ENDED:
        return EndPlay(event.get("reason", "end of play"))
    if kind in ENGINE_KINDS or kind == Kind.RUN_STARTED:
        raise ValueError(f"'{kind}' is the engine's own event, not an input")
    data = {k: v for k, v in event.items() if k not in META and k != "cid"}
    return Record(kind, data, cid=cid)


def is_story_change(event: Event) -> bool:
    """Whether a journaled line changes the story (a decision or a facilitator change)."""
    return event["type"] in STORY_INPUTS


def _advance(engine: Engine, at: float | None) -> None:
    if at is not None:
        engine.run_until(at)
