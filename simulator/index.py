"""What the engine derives from a scenario once, however many runs it plays.

Which injects wait on conditions, at which offsets and meter thresholds their truth may
change, and which decisions or deliveries can change which conditions: all of it depends on
the scenario alone. The scorer's counterfactual, property tests and the TUI start many
engines on one scenario, so this is computed once and kept with the scenario.

Meter thresholds are indexed by meter, sorted, with the owners (rated meters, conditional
injects) each one can change: a meter never falls, so the thresholds it has reached are a
prefix of its sorted list, and a crossing need only re-check the owners of the thresholds
just passed. That keeps a run's cost growing with crossings, not injects × crossings.
"""

from __future__ import annotations

import marshal
import weakref
from dataclasses import dataclass, field
from typing import Any

from drillbook.formats.collector import collector_paused
from drillbook.scenarios.conditions import After, Done, MeterAbove, NotDone, leaves
from drillbook.scenarios.model import Inject, Meter, Scenario, Source
from drillbook.simulator.conditions import Test, compiled, trigger_of
from drillbook.simulator.events import Kind
from drillbook.simulator.meters import MeterBook, TextParts, text_parts
from drillbook.simulator.opening import Opening, opening_of

Trigger = tuple[str, str | float]
# What re-evaluating some rated meters and conditional injects comes to, in plain tuples the
# engine loops over without reading the models: per meter (id, its rate when no rule
# holds), then per inject (id, minutes from its condition holding to its delivery). Their
# tests are looked up by id in ``rate_tests`` and ``inject_tests``, the one place they live.
Reaction = tuple[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]]
# Owners to re-check, as positions in ``ScenarioIndex.rated`` and ``.conditional``: kept as
# positions so that a set of them sorts back into declaration order (the canonical order).
Owners = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class ThresholdWatch:
    """The thresholds conditions name on one meter whose value never falls."""

    meter: str
    thresholds: tuple[float, ...]  # ascending, distinct
    owners: tuple[Owners, ...]  # per threshold: what its crossing can change
    # the base meter and the thresholds in its units (a derived meter's divided by its
    # factor, exactly as ``MeterBook.crossing`` divides them), for computing crossing times
    base: str = ""
    scaled: tuple[float, ...] = ()


@dataclass(frozen=True)
class Delivery:
    """A scripted inject as every delivery of it starts out: the same in every run, so cut
    once per scenario (see ``ScenarioIndex.delivery``). A text with no placeholder is
    delivered as written (``*_parts`` None); one with placeholders is filled in from its
    parts as the meters stand at delivery."""

    inject: Inject
    to: tuple[str, ...]
    channel: str
    title: str
    title_parts: TextParts | None
    body: str
    body_parts: TextParts | None
    # what the delivery can change (``reactions[("delivered", id)]``; None: nothing)
    hit: Reaction | None
    # the event a delivery journals, as far as it is the same every time: its keys in the
    # journal's order, each value as written (the texts unfilled, ``flat`` included); a
    # delivery copies it and sets its own seq, sim, list of roles and filled-in texts
    head: dict[str, Any]
    # its other fields (``delivery_extra``) as each delivery gets its own copy of them:
    # ``flat`` to copy key by key (plain values), or ``packed`` to unmarshal (nested data);
    # neither: ask ``delivery_extra`` (nested data marshal cannot carry)
    flat: dict[str, Any] | None = None
    packed: bytes | None = None


@dataclass(frozen=True)
class ScenarioIndex:
    """What every run of a scenario looks up, worked out once: injects, sources and meters by
    id, the triggers each change can fire, the delivery templates and the opening."""

    injects: dict[str, Inject]
    sources: dict[str, Source]
    meters: dict[str, Meter]
    conditional: list[Inject]
    rated: list[Meter]  # base meters with rate rules
    time_points: list[float]  # sorted offsets at which a condition may change with time alone
    watched: frozenset[tuple[str, float]]  # (meter, threshold) pairs conditions name
    # what a decision or delivery can change: trigger → (meters to re-rate, injects to re-check)
    triggers: dict[Trigger, tuple[list[Meter], list[Inject]]] = field(default_factory=dict)
    # thresholds on meters that never fall (base meters, derived ones with a positive factor)
    threshold_watches: tuple[ThresholdWatch, ...] = ()
    # thresholds on any other meter (one with a negative rate, a derived one with a factor
    # ≤ 0), checked by brute force at every crossing (rising or falling), as are their owners
    loose: frozenset[tuple[str, float]] = frozenset()
    loose_owners: Owners = ((), ())
    # each condition as a closure (``conditions.compiled``): a rated meter's rules as
    # (rate, test) by meter id, a conditional inject's test by inject id
    rate_tests: dict[str, tuple[tuple[float, Test], ...]] = field(default_factory=dict)
    inject_tests: dict[str, Test] = field(default_factory=dict)
    # ``triggers`` as the engine applies them (see ``reaction``), and those of decisions by
    # action name: a decision looks its name up without building the key each time
    reactions: dict[Trigger, Reaction] = field(default_factory=dict)
    by_action: dict[str, Reaction] = field(default_factory=dict)
    initial: Reaction = ((), ())  # every rated meter and conditional inject (the start)
    # the scripted injects' (id, offset) in declaration order: every run's first wake-ups
    scripted: tuple[tuple[str, float], ...] = ()
    # the wake-ups every run starts with (see ``simulator.opening``)
    opening: Opening = field(default_factory=lambda: Opening((), {}, 0, 0))
    # scripted inject id → its delivery template, once built (see ``delivery``)
    deliveries: dict[str, Delivery] = field(default_factory=dict, repr=False, compare=False)
    # inject id → the fields a delivery adds beside to/channel/title/body, built once, and
    # how to copy them (see ``delivery_extra``)
    _extras: dict[str, tuple[dict[str, Any], bytes | None, bool]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # a text → its parts (see ``text_parts``)
    _texts: dict[str, TextParts] = field(default_factory=dict, repr=False, compare=False)
    # the meters as every run starts them; an engine takes a ``fresh`` copy (never this one)
    starting_book: MeterBook | None = field(default=None, repr=False, compare=False)
    # what ``initial`` comes to at the start of a run (see ``Engine._react``), once known:
    # "start" → (each rated meter's rate, the injects fired at once and when they are due)
    outcomes: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def text_parts(self, text: str) -> TextParts:
        """``text`` (an inject's or a source's) cut at its placeholders, once per scenario."""
        parts = self._texts.get(text)
        if parts is None:
            parts = self._texts[text] = text_parts(text, self.meters)
        return parts

    def delivery(self, inject_id: str) -> Delivery:
        """The scripted inject ``inject_id`` as its deliveries start out, built once."""
        known = self.deliveries.get(inject_id)
        if known is None:
            inj = self.injects[inject_id]
            title, body = inj.title, inj.body
            self.delivery_extra(inj)  # built once: how to copy it
            extra, packed, nested = self._extras[inject_id]
            head = {
                "seq": 0,
                "type": Kind.INJECT_DELIVERED,
                "sim": 0.0,
                "inject": inject_id,
                "kind": "scripted",
                "to": None,
                "channel": inj.channel,
                "title": title,
                "body": body,
                **({} if nested else extra),
            }
            known = self.deliveries[inject_id] = Delivery(
                inj,
                tuple(inj.to),
                inj.channel,
                title,
                self.text_parts(title) if "{" in title else None,  # most have no placeholder
                body,
                self.text_parts(body) if "{" in body else None,
                self.reactions.get(("delivered", inject_id)),
                head,
                None if nested else extra,
                packed,
            )
        return known

    def reaction(self, meters: list[Meter], injects: list[Inject]) -> Reaction:
        """Re-evaluating ``meters`` and ``injects`` (in this order) as the engine does it."""
        return _reaction(meters, injects)

    def delivery_extra(self, inj: Inject) -> dict[str, Any]:
        """What a scripted delivery of ``inj`` carries besides its text (attachments, the
        question as players see it, phase, sender): the same data for every delivery, so
        built once per scenario (``model_dump`` per delivery was a visible share of a run);
        each delivery gets its own copy, as it got its own dump before. A copy of nested
        data is one ``marshal`` round trip (a walk in Python cost twice that)."""
        known = self._extras.get(inj.id)
        if known is None:
            extra: dict[str, Any] = {}
            if inj.attachments:
                extra["attachments"] = [a.model_dump(mode="json") for a in inj.attachments]
            if inj.question:
                extra["question"] = inj.question.players_view()
            if inj.phase:
                extra["phase"] = inj.phase
            if inj.sender:
                extra["sender"] = inj.sender
            nested = any(isinstance(v, dict | list) for v in extra.values())
            known = self._extras[inj.id] = (extra, _packed(extra) if nested else None, nested)
        extra, packed, nested = known
        if packed is not None:
            return marshal.loads(packed)  # type: ignore[no-any-return]
        return {k: _fresh(v) for k, v in extra.items()} if nested else dict(extra)


def _packed(extra: dict[str, Any]) -> bytes | None:
    """``extra`` marshalled, when it holds plain JSON types only (None: something marshal
    cannot carry as it is, such as a str subclass)."""
    try:
        packed = marshal.dumps(extra)
    except ValueError:
        return None
    return packed if marshal.loads(packed) == extra else None


def _fresh(value: Any) -> Any:
    """A copy of JSON-like data (dicts and lists copied, everything else immutable)."""
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


def never_falls(meter: Meter, meters: dict[str, Meter]) -> bool:
    """Whether a meter's value can only grow or stay: a base meter whose rates are all ≥ 0
    (a cap only clips); a derived one when its factor is positive and its base never falls."""
    if meter.derived is None:
        return not meter.can_fall
    base = meters[meter.derived.of]
    return meter.derived.factor > 0 and base.derived is None and not base.can_fall


class _Readings:
    """What the index reads of each condition, each condition's leaves walked once.

    ``time_points`` and ``meters_watched`` each walk a condition's leaves, and the index
    asked both (and the triggers) of every condition twice: five walks of 10,000 conditions
    were most of the index's time. The sets are built here by the same expressions over the
    same leaves, so they hold (and iterate) the same as theirs."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[Any, list[Any], set[float], set[tuple[str, float]]]] = {}

    def _of(self, cond: Any) -> tuple[Any, list[Any], set[float], set[tuple[str, float]]]:
        known = self._known.get(id(cond))
        if known is None:
            found = leaves(cond)
            points: set[float] = set()
            for leaf in found:  # ``time_points``
                if isinstance(leaf, After):
                    points.add(leaf.after)
                elif isinstance(leaf, Done | NotDone) and leaf.by is not None:
                    points.add(leaf.by)
            watched = {(lf.meter, lf.above) for lf in found if isinstance(lf, MeterAbove)}
            known = self._known[id(cond)] = (cond, found, points, watched)  # cond: kept alive
        return known

    def leaves(self, cond: Any) -> list[Any]:
        return self._of(cond)[1]

    def time_points(self, cond: Any) -> set[float]:
        return self._of(cond)[2]

    def meters_watched(self, cond: Any) -> set[tuple[str, float]]:
        return self._of(cond)[3]


def _threshold_watches(
    s: Scenario, rated: list[Meter], conditional: list[Inject], read: _Readings
) -> tuple[tuple[ThresholdWatch, ...], frozenset[tuple[str, float]], Owners]:
    meters = {m.id: m for m in s.meters}
    named: dict[tuple[str, float], tuple[set[int], set[int]]] = {}
    for pos, m in enumerate(rated):
        for rule in m.rates:
            for w in read.meters_watched(rule.when):
                named.setdefault(w, (set(), set()))[0].add(pos)
    for pos, inj in enumerate(conditional):
        for w in read.meters_watched(inj.when):
            named.setdefault(w, (set(), set()))[1].add(pos)
    by_meter: dict[str, list[float]] = {}
    loose_rated: set[int] = set()
    loose_injects: set[int] = set()
    loose: set[tuple[str, float]] = set()
    steady: dict[str, bool] = {}  # meter id → never_falls, asked once per meter
    for meter_id, threshold in named:
        rises = steady.get(meter_id)
        if rises is None:
            meter = meters.get(meter_id)
            rises = steady[meter_id] = meter is not None and never_falls(meter, meters)
        if rises:
            by_meter.setdefault(meter_id, []).append(threshold)
        else:
            loose.add((meter_id, threshold))
            loose_rated |= named[(meter_id, threshold)][0]
            loose_injects |= named[(meter_id, threshold)][1]
    watches = []
    for meter_id, thresholds in by_meter.items():
        ordered = tuple(sorted(set(thresholds)))
        owners = tuple(_owners(named[(meter_id, t)]) for t in ordered)
        derived = meters[meter_id].derived
        base, scaled = meter_id, ordered
        if derived is not None:
            base, scaled = derived.of, tuple(t / derived.factor for t in ordered)
        watches.append(ThresholdWatch(meter_id, ordered, owners, base, scaled))
    return (
        tuple(watches),
        frozenset(loose),
        (tuple(sorted(loose_rated)), tuple(sorted(loose_injects))),
    )


def _owners(positions: tuple[set[int], set[int]]) -> Owners:
    """A threshold's owners in declaration order (most thresholds have one owner)."""
    rated, injects = positions
    return (
        tuple(rated) if len(rated) < 2 else tuple(sorted(rated)),
        tuple(injects) if len(injects) < 2 else tuple(sorted(injects)),
    )


def _build(s: Scenario) -> ScenarioIndex:
    read = _Readings()
    conditional = [i for i in s.injects if i.when is not None]
    rated = [m for m in s.meters if m.rates and not m.derived]
    conditions = [i.when for i in conditional] + [r.when for m in s.meters for r in m.rates]
    points = sorted({float(p) for c in conditions for p in read.time_points(c)})
    watched = frozenset(w for c in conditions for w in read.meters_watched(c))
    triggers: dict[Trigger, tuple[list[Meter], list[Inject]]] = {}
    owners: list[tuple[Meter | Inject, list]] = [(m, [r.when for r in m.rates]) for m in rated]
    owners += [(i, [i.when]) for i in conditional]
    for owner, conds in owners:
        named = {t for c in conds for leaf in read.leaves(c) if (t := trigger_of(leaf))}
        named |= {("time", float(p)) for c in conds for p in read.time_points(c)}
        if ("action", "contain") in named:  # lifting a containment undoes it
            named.add(("action", "lift_containment"))
        for trigger in named:
            meters, injects = triggers.setdefault(trigger, ([], []))
            (meters if isinstance(owner, Meter) else injects).append(owner)
    watches, loose, loose_owners = _threshold_watches(s, rated, conditional, read)
    reactions = {t: _reaction(*hit) for t, hit in triggers.items()}
    scripted = tuple((i.id, float(i.at)) for i in s.injects if i.at is not None)
    return ScenarioIndex(
        injects={i.id: i for i in s.injects},
        sources={src.id: src for src in s.sources},
        meters={m.id: m for m in s.meters},
        conditional=conditional,
        rated=rated,
        time_points=points,
        watched=watched,
        triggers=triggers,
        threshold_watches=watches,
        loose=loose,
        loose_owners=loose_owners,
        rate_tests={m.id: tuple((r.rate, compiled(r.when)) for r in m.rates) for m in rated},
        inject_tests={i.id: compiled(i.when) for i in conditional},
        reactions=reactions,
        by_action={str(t[1]): r for t, r in reactions.items() if t[0] == "action"},
        initial=_reaction(rated, conditional),
        scripted=scripted,
        opening=opening_of(scripted, points),
        starting_book=MeterBook(s.meters),
    )


def _reaction(meters: list[Meter], injects: list[Inject]) -> Reaction:
    return (tuple((m.id, m.rate) for m in meters), tuple((i.id, i.delay) for i in injects))


def index_of(s: Scenario) -> ScenarioIndex:
    """The scenario's index, built on first use and kept in the scenario's memo.

    The last one asked for is also kept here, beside a weak reference to its scenario and
    the memo dict it is kept in: reading a model's private memo goes through pydantic's
    ``__getattr__``, a tenth of starting an engine, and every run of one scenario asks.
    (A scenario is given a new memo only as a new copy, see ``scenarios.loader``; a memo
    that has been cleared no longer holds the index, and it is built again.)"""
    last = _LAST
    if last and last[0]() is s and last[1].get(_KEY) is last[2]:
        return last[2]  # type: ignore[no-any-return]
    memo = s.derived_memo
    if _KEY not in memo:
        with collector_paused():  # tens of thousands of small sets and tuples, all kept
            memo[_KEY] = _build(s)
    index = memo[_KEY]
    _LAST[:] = [weakref.ref(s), memo, index]
    return index  # type: ignore[return-value]


_KEY = "simulator.index"
# (a weak reference to the scenario last asked about, its memo, its index)
_LAST: list[Any] = []
