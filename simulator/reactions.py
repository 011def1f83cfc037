"""Reactions: what the engine re-evaluates when something happens, and how.

A decision, a delivery, a finding, a time point or a meter crossing can change meter rates
and conditions; the index says which (``ScenarioIndex.reactions``), and these methods
re-rate those meters and fire those conditional injects whose condition now holds, in
declaration order, then set the wake-up for the next meter crossing. They live beside the
engine (``Engine`` takes them in) so that its module stays about time and decisions.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from drillbook.scenarios.model import Inject, Meter
from drillbook.simulator.index import Reaction

if TYPE_CHECKING:
    from drillbook.simulator.engine import Engine


class Reactions:
    """``_react`` and what it builds on (see ``simulator.engine``)."""

    def _meter_watch(self: Engine, token: int) -> None:
        if token != self._watch_token:
            return  # superseded: the rates changed since this watch was set
        self._watch_at = None
        self._react_to_crossings()

    def _react(self: Engine, trigger: tuple[str, str | float] | None = None) -> None:
        """Re-evaluate what depends on state (meter rates, conditional injects): everything
        (at the start), or only what names ``trigger`` (a decision, a delivery, a finding, a
        time point)."""
        if trigger is None:
            if self._watching:  # else there is no threshold to have reached
                self.crossings.newly_reached(self.meters, self.now)  # those reached at the start
            self._react_at_start()
        else:
            reaction = self.index.reactions.get(trigger)
            if reaction is not None:  # else no rate and no condition can have changed
                self._apply(reaction)

    def _react_at_start(self: Engine) -> None:
        """``_apply(index.initial)``: every rate and condition, as a run starts.

        Every run of a scenario starts in the same state (no decision, nothing delivered,
        the meters at their initial values, time 0), and the conditions are pure functions
        of it: so the outcome — each rated meter's rate, which injects fire at once and when
        they are due — is the scenario's. The first run works it out; later runs set it."""
        outcomes = self.index.outcomes
        known = outcomes.get("start")
        if known is None:
            already = len(self.pending)
            self._apply(self.index.initial)
            fired = list(self.pending.values())[already:]
            book = self.meters
            rates = tuple((m, book.rate(m)) for m, _ in self.index.initial[0])
            outcomes["start"] = (rates, tuple((p.key, p.due) for p in fired))
            return
        rates, fired = known
        now, book = float(self.env._now), self.meters
        for meter_id, rate in rates:
            book.set_rate(meter_id, now, rate)
        for inject_id, due in fired:
            self._fired.add(inject_id)
            self._schedule(inject_id, due, "scripted", {"inject": inject_id})
        if self._watching:
            self._rewatch()

    def _react_to_crossings(self: Engine) -> None:
        """At a meter crossing, re-evaluate (in declaration order) only what names a threshold
        just reached: other conditions change only at the triggers and time points indexed."""
        rated, injects = self.crossings.newly_reached(self.meters, self.now)
        self._reevaluate(
            [self.index.rated[i] for i in sorted(rated)],
            [self.index.conditional[i] for i in sorted(injects)],
        )

    def _reevaluate(self: Engine, meters: list[Meter], injects: list[Inject]) -> None:
        """Re-rate ``meters``, then fire those of ``injects`` whose condition now holds."""
        self._apply(self.index.reaction(meters, injects))

    def _apply(self: Engine, reaction: Reaction) -> None:
        """``_reevaluate`` in the index's plain terms (``simulator.index.Reaction``)."""
        rules, checks = reaction
        now, state, book, index = float(self.env._now), self.state, self.meters, self.index
        rate_tests = index.rate_tests
        for meter_id, rate in rules:
            for rule_rate, test in rate_tests[meter_id]:
                if test(state, book, now):
                    rate = rule_rate
            book.set_rate(meter_id, now, rate)
        fired, cancelled, tests = self._fired, self._cancelled, index.inject_tests
        for inject_id, delay in checks:
            if inject_id in fired or inject_id in cancelled:
                continue
            if tests[inject_id](state, book, now):
                fired.add(inject_id)
                self._schedule(inject_id, now + delay, "scripted", {"inject": inject_id})
        if self._watching:  # else no condition names a threshold: nothing to watch for
            self._rewatch()

    def _rewatch(self: Engine) -> None:
        """Wake up when the next watched meter threshold will be crossed at current rates."""
        if not self._watching:
            return  # no condition names a threshold: never a crossing to wake up for
        nxt = self.crossings.next_crossing(self.meters, self.now)
        if nxt == self._watch_at:
            return
        self._watch_token += 1
        self._watch_at = nxt
        if nxt is not None:
            self._wake(nxt, partial(self._meter_watch, self._watch_token))
