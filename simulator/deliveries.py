"""Deliveries: a scripted inject, a source's finding, an ad-hoc inject reaching its roles.

They live beside the engine (``Engine`` takes them in, as it takes the facilitator's verbs)
so that the engine's module stays about time, decisions and conditions. Every delivery is
journaled as one ``inject_delivered`` event and noted in the world state (whom it reached,
and first when), which is what conditions on deliveries and the answer check read.
"""

from __future__ import annotations

import marshal
from typing import TYPE_CHECKING, Any

from drillbook.simulator.events import Event, Kind
from drillbook.simulator.index import Delivery
from drillbook.simulator.meters import render_parts

if TYPE_CHECKING:
    from drillbook.simulator.engine import Engine

_DELIVERED = Kind.INJECT_DELIVERED  # a module constant: reading a member off its enum is a lookup


class Deliveries:
    """``_deliver_scripted``, ``_deliver_finding`` and ``_deliver`` (see ``simulator.engine``)."""

    def _render(self: Engine, text: str) -> str:
        return render_parts(self.index.text_parts(text), self.meters, self.env._now)

    def _deliver_scripted(self: Engine, d: Delivery) -> None:
        """Deliver a scripted inject: the event ``_deliver`` would build, from the parts the
        index cut once (the texts filled in only where they have placeholders): a copy of
        its head with this delivery's own seq, sim and list of roles written over."""
        now = self.env._now
        event: Event = d.head.copy()  # the keys in the journal's order, as ``_deliver`` has them
        event["seq"] = self._seq
        event["sim"] = float(now)
        event["to"] = list(d.to)
        if d.title_parts is not None:
            event["title"] = render_parts(d.title_parts, self.meters, now)
        if d.body_parts is not None:
            event["body"] = render_parts(d.body_parts, self.meters, now)
        if d.flat is None:  # else the head holds ``delivery_extra``'s copy (plain values)
            if d.packed is not None:
                event.update(marshal.loads(d.packed))
            else:
                event.update(self.index.delivery_extra(d.inject))
        self._delivered(event)

    def _deliver_finding(self: Engine, role: str, source_id: str, *, refused: bool) -> None:
        src = self.index.sources[source_id]
        self.state.investigations.setdefault(source_id, [])
        if not refused:
            self.state.investigations[source_id].append(role)
        self._deliver(
            f"source:{source_id}",
            "finding",
            to=[role],
            channel="dashboard" if src.kind == "dashboard" else "chat",
            title=("Cannot reach: " if refused else "") + src.title,
            body=src.refusal if refused else self._render(src.shows),
            source=source_id,
            refused=refused,
        )

    def _deliver(self: Engine, inject_id: str, kind: str, **fields: Any) -> None:
        self._delivered(
            {
                "seq": self._seq,
                "type": _DELIVERED,
                "sim": float(self.env._now),
                "inject": inject_id,
                "kind": kind,
                **fields,
            }
        )

    def _delivered(self: Engine, event: Event) -> None:
        """Journal a delivery and note in the state whom it reached, and first when."""
        self._seq += 1  # ``_publish``, inlined
        self.latest = event
        for listener in self.listeners:
            listener(event)
        self.deliveries += 1
        state = self.state
        inject_id = event["inject"]
        state.delivered.setdefault(inject_id, event["sim"])
        to = state.delivered_to.get(inject_id)
        if to is None:
            state.delivered_to[inject_id] = set(event["to"])
        else:
            to.update(event["to"])
