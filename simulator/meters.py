"""Meters: quantities of the story world, in closed form between events.

A base meter accrues linearly at a rate that changes only at events (an action, a
delivery, a time point a rule names), and never passes its cap nor falls below its ``min``
(a negative rate makes it fall: trust that recovers). So its value at any time is
``clamp(v0 + rate × (t − t0), min, cap)`` from the last change — no per-minute ticking, exact at any
sim time, and the moment it crosses a threshold can be computed rather than polled.
A derived meter is a base meter times a factor (dollars lost = tickets × fare gap).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from drillbook.scenarios.model import Meter
from drillbook.scenarios.references import PLACEHOLDER


@dataclass
class _Segment:
    """One stretch of a meter: its value at ``t0`` and the rate it moves at from there."""

    t0: float
    v0: float
    rate: float
    # the meter's cap and floor, carried along so that ``value`` reads one object
    cap: float | None = None
    floor: float | None = None


class MeterBook:
    """The current state of every meter of a scenario."""

    def __init__(self, meters: list[Meter]) -> None:
        self._defs = {m.id: m for m in meters}
        self._seg = {
            m.id: _Segment(0.0, m.initial, m.rate, m.cap, m.min)
            for m in meters
            if m.derived is None
        }
        # derived meter id → (its base meter, factor)
        self._derived = {m.id: (m.derived.of, m.derived.factor) for m in meters if m.derived}

    def fresh(self) -> MeterBook:
        """A new book of the same meters as this one stands: what ``MeterBook(meters)`` gives
        when this one was just built from them. A run's engine starts from its scenario's
        (``ScenarioIndex.starting_book``) instead of reading every meter's model again.
        Only the segments are per book; a segment is never changed in place (``set_rate``
        replaces it), so the two books share them until one's rates change."""
        book = object.__new__(MeterBook)
        book._defs = self._defs  # neither is ever changed after ``__init__``
        book._derived = self._derived
        book._seg = self._seg.copy()
        return book

    @property
    def ids(self) -> list[str]:
        return list(self._defs)

    def definition(self, meter_id: str) -> Meter:
        return self._defs[meter_id]

    def can_fall(self, meter_id: str) -> bool:
        """Whether the meter's value can ever go down (a negative rate, a negative factor)."""
        m = self._defs[meter_id]
        if m.derived:
            base = self._defs[m.derived.of]
            return m.derived.factor < 0 or (m.derived.factor > 0 and base.can_fall)
        return m.can_fall

    def segment(self, meter_id: str) -> object:
        """The base meter's current segment: the same object until its rate next changes
        (what a caller keeps to know that its sums on the meter still hold)."""
        return self._seg[meter_id]

    def rate(self, meter_id: str) -> float:
        m = self._defs[meter_id]
        if m.derived:
            return self._seg[m.derived.of].rate * m.derived.factor
        return self._seg[meter_id].rate

    def value(self, meter_id: str, t: float) -> float:
        s = self._seg.get(meter_id)
        if s is None:  # a derived meter (or an unknown one: KeyError, as ever)
            of, factor = self._derived[meter_id]
            return self.value(of, t) * factor
        elapsed = t - s.t0
        v = s.v0 + s.rate * (elapsed if elapsed > 0.0 else 0.0)  # max(0, …) without the call
        cap = s.cap
        if cap is not None and v > cap:  # min(v, cap), NaN and ties alike
            return cap
        floor = s.floor
        return floor if floor is not None and v < floor else v

    def values(self, t: float) -> dict[str, float]:
        return {mid: round(self.value(mid, t), 6) for mid in self._defs}

    def set_rate(self, meter_id: str, t: float, rate: float) -> bool:
        """Change a base meter's rate from time ``t``; True if it changed."""
        s = self._seg[meter_id]
        if s.rate == rate:
            return False
        self._seg[meter_id] = _Segment(t, self.value(meter_id, t), rate, s.cap, s.floor)
        return True

    def crossing(self, meter_id: str, threshold: float, now: float) -> float | None:
        """When the meter will reach ``threshold`` at the current rates (None if never)."""
        m = self._defs[meter_id]
        if m.derived:
            if m.derived.factor == 0:
                return None
            return self.crossing(m.derived.of, threshold / m.derived.factor, now)
        v = self.value(meter_id, now)
        if v >= threshold:
            return now
        s = self._seg[meter_id]
        if s.rate <= 0 or (m.cap is not None and m.cap < threshold):
            return None
        t = s.t0 + (threshold - s.v0) / s.rate
        return t if math.isfinite(t) else None

    def crossing_of(self, meter_id: str, now: float) -> Callable[[float], float | None]:
        """``crossing(meter_id, threshold, now)`` for many thresholds of one base meter at one
        moment: the value and the segment read once, then per threshold only the arithmetic
        ``crossing`` does (the same operations, so the same floats). The watch of a meter's
        thresholds probes a few of them at every crossing."""
        m = self._defs[meter_id]
        assert m.derived is None, "a derived meter's thresholds are probed on its base"
        v = self.value(meter_id, now)
        s = self._seg[meter_id]
        t0, v0, rate, cap = s.t0, s.v0, s.rate, m.cap
        isfinite = math.isfinite

        def at(threshold: float) -> float | None:
            if v >= threshold:
                return now
            if rate <= 0 or (cap is not None and cap < threshold):
                return None
            t = t0 + (threshold - v0) / rate
            return t if isfinite(t) else None

        return at

    def falls_below(self, meter_id: str, level: float, now: float) -> float | None:
        """When the meter, at current rates, first drops below ``level`` after ``now``
        (None: it is not falling, is below already, or a floor or cap holds it up).

        A threshold condition holds while the value is at least its threshold (less ε); for a
        meter that can fall, this is the moment such a condition stops holding."""
        v = self.value(meter_id, now)
        r = self.rate(meter_id)
        if r >= 0 or v < level:
            return None
        t = now + (level - v) / r
        if not math.isfinite(t):
            return None
        for _ in range(8):  # float rounding: step forward until the value is truly below
            if self.value(meter_id, t) < level:
                return t
            t = math.nextafter(t, math.inf) + abs(t) * 1e-15
        return None  # held up by a floor (or a derived meter's base at its cap)


# Money is shown with its currency's sign; a meter without a unit (or in USD) shows dollars.
_CURRENCY_SIGNS = {"": "$", "USD": "$", "EUR": "€", "GBP": "£"}


def render_value(meter: Meter, value: float) -> str:
    """A meter value as players read it: ``12,480`` tickets, ``$1,747,200``, ``€9,800``,
    ``12.5%``."""
    if meter.format == "money":
        sign = _CURRENCY_SIGNS.get(meter.unit.upper())
        return f"{sign}{value:,.0f}" if sign else f"{meter.unit} {value:,.0f}"
    if meter.format == "percent":
        return f"{value:.1f}%"
    if meter.format == "number":
        return f"{value:,.1f}"
    return f"{math.floor(value + 1e-9):,}"


def render_text(text: str, defs: dict[str, Meter], book: MeterBook, now: float) -> str:
    """An inject's text with its ``{meter}`` and ``{meter:rate}`` placeholders filled in as
    the meters stand at ``now``; a text with no placeholder (most) is returned as it is."""
    if "{" not in text:
        return text
    return render_parts(text_parts(text, defs), book, now)


def shown_as(meter: Meter) -> Callable[[float], str]:
    """``render_value(meter, ·)`` for one meter, its format chosen once: a delivery fills in
    the same placeholders in every run, and choosing the format each time was most of it."""
    if meter.format == "money":
        sign = _CURRENCY_SIGNS.get(meter.unit.upper())
        prefix = sign if sign else meter.unit.replace("{", "{{").replace("}", "}}") + " "
        return (prefix + "{:,.0f}").format
    if meter.format == "percent":
        return "{:.1f}%".format
    if meter.format == "number":
        return "{:,.1f}".format
    return lambda value: f"{math.floor(value + 1e-9):,}"


# A text cut at its placeholders: literal pieces, and (meter, whether its rate is shown, how
# its value reads) for each placeholder naming a meter (one naming none stays as written).
TextParts = tuple[str | tuple[Meter, bool, Callable[[float], str]], ...]


def text_parts(text: str, defs: dict[str, Meter]) -> TextParts:
    """``text`` cut where ``render_text`` fills in a value: the engine cuts each inject's
    and source's text once per scenario instead of matching the pattern at every delivery."""
    parts: list[str | tuple[Meter, bool, Callable[[float], str]]] = []
    end = 0
    for m in PLACEHOLDER.finditer(text):
        meter = defs.get(m.group(1))
        if meter is None:
            continue  # kept as written: part of the literal around it
        if m.start() > end:
            parts.append(text[end : m.start()])
        parts.append((meter, m.group(2) == "rate", shown_as(meter)))
        end = m.end()
    if end < len(text):
        parts.append(text[end:])
    return tuple(parts)


def render_parts(parts: TextParts, book: MeterBook, now: float) -> str:
    """A text cut by ``text_parts``, filled in as the meters stand at ``now`` (exactly what
    ``render_text`` gives for the text it was cut from)."""
    out = []
    for part in parts:
        if type(part) is str:
            out.append(part)
        else:
            meter, rate, show = part  # type: ignore[misc]
            out.append(show(book.rate(meter.id) if rate else book.value(meter.id, now)))
    return "".join(out)
