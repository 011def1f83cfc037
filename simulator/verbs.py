"""The facilitator's verbs on a running engine: an ad-hoc inject, re-timing, cancelling.

They live beside the engine (``Engine`` takes them in) so that the engine's module stays
about the run itself; each journals the change first, then changes the schedule, in the
engine's canonical order (what is due now happens before the change).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drillbook.simulator.events import Kind, Verb
from drillbook.simulator.refusals import ActionRejected

if TYPE_CHECKING:
    from drillbook.simulator.engine import Engine


class FacilitatorVerbs:
    """``send_adhoc``, ``retime`` and ``cancel`` (see ``simulator.engine``)."""

    def send_adhoc(
        self: Engine,
        to: list[str],
        channel: str,
        title: str,
        body: str,
        *,
        at: float | None = None,
        **tags: Any,
    ) -> str:
        """Schedule an ad-hoc inject now or at ``at``; returns its id. ``tags`` (a command id,
        the decision a simulation-cell reply answers) are journaled with the change."""
        self._still_open("an ad-hoc inject")
        self.run_until(self.now)  # canonical order: what is due now happens before the change
        unknown = [r for r in to if r not in self.scenario.role_ids]
        if unknown or not to:
            raise ActionRejected(
                f"ad-hoc inject to {', '.join(unknown) or 'nobody'}: expected roles in play "
                f"({', '.join(self.scenario.role_ids)})"
            )
        due = self.now if at is None else at
        if due < self.now:
            raise ActionRejected(f"ad-hoc inject at {due:g} min is in the past (now {self.now:g})")
        self._adhoc += 1
        key = f"adhoc-{self._adhoc}"
        payload = {"to": list(to), "channel": channel, "title": title, "body": body}
        self._emit(Kind.FACILITATOR, verb=Verb.ADHOC, inject=key, due=due, **payload, **tags)
        delivered = {**payload, **({"reply_to": tags["reply_to"]} if "reply_to" in tags else {})}
        self._schedule(key, due, "adhoc", delivered)
        return key

    def retime(self: Engine, inject_id: str, due: float, **tags: Any) -> None:
        self._still_open(f"re-timing '{inject_id}'")
        self.run_until(self.now)
        p = self.pending.get(inject_id)
        if p is None:
            raise ActionRejected(
                f"inject '{inject_id}' is not waiting to be delivered; it cannot be re-timed"
            )
        if due < self.now:
            raise ActionRejected(f"cannot re-time '{inject_id}' into the past (now {self.now:g})")
        self._emit(Kind.FACILITATOR, verb=Verb.RETIME, inject=inject_id, due=due, **tags)
        self._schedule(inject_id, due, p.kind, p.payload)

    def cancel(self: Engine, inject_id: str, **tags: Any) -> None:
        self._still_open(f"cancelling '{inject_id}'")
        self.run_until(self.now)
        p = self.pending.get(inject_id)
        inj = self.index.injects.get(inject_id)
        waiting = inj is not None and inj.when is not None and not self.is_triggered(inject_id)
        if p is None and not waiting:
            raise ActionRejected(
                f"inject '{inject_id}' is neither scheduled nor waiting; nothing to cancel"
            )
        self._emit(Kind.FACILITATOR, verb=Verb.CANCEL, inject=inject_id, **tags)
        self._cancelled.add(inject_id)
        self.pending.pop(inject_id, None)  # its wake-up finds itself gone and does nothing
