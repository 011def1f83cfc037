"""Meter thresholds the engine is waiting for: which were just reached, which comes next.

The engine used to re-check every conditional inject and every watched threshold at each
crossing, so a scenario with N injects on meter thresholds cost N × N. Here each meter's
thresholds are sorted (see ``simulator.index``) and a meter never falls, so two facts make
each step cheap and exactly equivalent to checking everything:

* the thresholds a meter has reached form a prefix of its sorted list: a pointer per meter
  moves forward past the ones just reached, with the same test ``holds`` applies
  (``value ≥ threshold − ε``), and only their owners are re-checked;
* the time a meter reaches a threshold, at its current rate, grows with the threshold, so
  the next crossing is found by bisection — the same earliest time after ``now`` that a
  scan of every threshold would give.

Meters that may fall (a negative rate, a derived meter with a factor ≤ 0) are checked by
brute force, and woken both when they reach a threshold and when they drop below one.
"""

from __future__ import annotations

from drillbook.simulator.events import EPSILON
from drillbook.simulator.index import ScenarioIndex, ThresholdWatch
from drillbook.simulator.meters import MeterBook

# A crossing this close to now is now: the engine's long-standing rule for "after now".
SOON = 1e-9


class Crossings:
    """Per-meter progress through the sorted thresholds of one run."""

    def __init__(self, index: ScenarioIndex) -> None:
        self.index = index
        self._reached = [0] * len(index.threshold_watches)
        self.checks = 0  # thresholds tested, for tests that assert the cost structurally
        # per watch, the last answer of ``_first_after``: (the base meter's segment it was
        # worked out on, the index of the first threshold ahead, its crossing time)
        self._found: list[tuple[object, int, float | None] | None] = [None] * len(
            index.threshold_watches
        )

    def newly_reached(self, meters: MeterBook, now: float) -> tuple[set[int], set[int]]:
        """Move past every threshold reached by ``now``; the owners they can change (as
        positions in the index's rated meters and conditional injects)."""
        rated: set[int] = set()
        injects: set[int] = set()
        for k, watch in enumerate(self.index.threshold_watches):
            i = self._reached[k]
            thresholds = watch.thresholds
            if i == len(thresholds):
                continue
            value = meters.value(watch.meter, now)
            while i < len(thresholds):
                self.checks += 1
                if not value >= thresholds[i] - EPSILON:
                    break
                rated.update(watch.owners[i][0])
                injects.update(watch.owners[i][1])
                i += 1
            self._reached[k] = i
        if self.index.loose:
            rated.update(self.index.loose_owners[0])
            injects.update(self.index.loose_owners[1])
        return rated, injects

    def next_crossing(self, meters: MeterBook, now: float) -> float | None:
        """The earliest time after ``now`` at which, at current rates, a watched meter
        reaches one of its thresholds (None: never)."""
        after = now + SOON
        best: float | None = None
        found = self._found
        for k, watch in enumerate(self.index.threshold_watches):
            segment = meters.segment(watch.base)
            known = found[k]
            if (
                known is not None
                and known[0] is segment
                and self._still_first(meters, watch, known, now, after)
            ):
                t = known[2]
            else:
                lo, t = self._first_after(meters, watch, self._reached[k], now, after)
                found[k] = (segment, lo, t)
            if t is not None and (best is None or t < best):
                best = t
        for meter_id, threshold in self.index.loose:
            t = meters.crossing(meter_id, threshold, now)
            if t is not None and t > after and (best is None or t < best):
                best = t
            # a meter that can fall also changes a condition when it drops below the level
            t = meters.falls_below(meter_id, threshold - EPSILON, now)
            if t is not None and t > after and (best is None or t < best):
                best = t
        return best

    @staticmethod
    def _still_first(
        meters: MeterBook,
        watch: ThresholdWatch,
        known: tuple[object, int, float | None],
        now: float,
        after: float,
    ) -> bool:
        """Whether the answer ``known`` (worked out earlier on the segment the base meter
        still runs on) is still ``_first_after``'s answer at ``now``.

        On one segment a meter that never falls only grows, and "reached" and "crossing
        time ≤ after" stay true once true: the thresholds before the known one stay behind
        us. So the known one stays first while it is neither reached nor due by ``after``
        (its crossing time, the segment's arithmetic, is the same); none ahead stays none.
        Between crossings most watches are not the one crossed: one value read, not a
        search."""
        _, lo, t = known
        if lo == len(watch.scaled):
            return True
        if t is not None and not t > after:
            return False
        return meters.value(watch.base, now) < watch.scaled[lo]

    def _first_after(
        self, meters: MeterBook, watch: ThresholdWatch, hint: int, now: float, after: float
    ) -> tuple[int, float | None]:
        """The first of ``watch``'s thresholds that is not yet behind us, and its crossing.

        ``crossing`` is monotone in the threshold: ``now`` for those already passed, then
        times that grow with it, then None (above the cap, or no growth). So "None or later
        than ``after``" holds from some index on; it is searched for from ``hint`` (the
        first threshold not yet reached, almost always the answer) by galloping.
        """
        thresholds = watch.scaled  # crossing(derived, k) is crossing(base, k / factor)
        crossing = meters.crossing_of(watch.base, now)
        probed: dict[int, float | None] = {}  # the answer is always one of the probes

        def ahead(i: int) -> bool:
            self.checks += 1
            t = probed[i] = crossing(thresholds[i])
            return t is None or t > after

        n = len(thresholds)
        lo = hi = min(hint, n)
        if lo > 0 and ahead(lo - 1):  # reached within ε but still ahead: look back
            lo, hi = 0, lo - 1
        else:
            step = 1
            while hi < n and not ahead(hi):
                lo = hi + 1
                hi, step = lo + step, step * 2
            hi = min(hi, n)
        while lo < hi:  # the first index in [lo, hi] that is ahead (hi is, or is n)
            mid = (lo + hi) // 2
            if ahead(mid):
                hi = mid
            else:
                lo = mid + 1
        if lo == n:
            return n, None
        return lo, probed[lo] if lo in probed else crossing(thresholds[lo])
