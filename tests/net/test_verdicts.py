"""Evaluators' verdicts are scored apart from the host's loop: in a forked process holding the
scorer (as ``drillbook host`` runs it), one pass at a time, each result sent once."""

from __future__ import annotations

import asyncio
import os
from types import SimpleNamespace

from drillbook.net.verdicts import Verdicts


def card(events: list[dict]) -> SimpleNamespace:
    """A scorecard as the scorer gives one: here it says which process scored."""
    verdict = SimpleNamespace(rule=f"pid-{os.getpid()}", status="met", late_by=0.0)
    decisions = [
        SimpleNamespace(seq=e["seq"], counted=True, why_not="", verdicts=[verdict]) for e in events
    ]
    return SimpleNamespace(decisions=decisions)


async def test_the_scorer_runs_in_a_process_of_its_own() -> None:
    events = [{"seq": 4, "type": "action_taken"}]
    sent: list[dict] = []
    got = asyncio.Event()

    def send(frame: dict) -> None:
        sent.append(frame)
        got.set()

    verdicts = Verdicts(card, lambda: events, send, 0.0, isolate=True)
    try:
        verdicts.changed()
        verdicts.changed()  # a second change while one pass is due: still one pass
        await asyncio.wait_for(got.wait(), 20)
        (frame,) = sent
        (decision,) = frame["decisions"]
        assert decision["seq"] == 4 and decision["verdicts"][0]["status"] == "met"
        assert decision["verdicts"][0]["rule"] != f"pid-{os.getpid()}"  # not this process
        assert frame["full"] is False  # what changed; a seat joining later gets them all
        assert verdicts.latest == {**frame, "full": True}
    finally:
        verdicts.close()


async def test_only_the_verdicts_that_changed_are_sent_again() -> None:
    events = [{"seq": 4, "type": "action_taken"}]
    sent: list[dict] = []
    verdicts = Verdicts(card, lambda: events, sent.append, 0.0)
    verdicts.changed()
    await verdicts._task
    events.append({"seq": 9, "type": "action_taken"})
    verdicts.changed()
    await verdicts._task
    assert [[d["seq"] for d in f["decisions"]] for f in sent] == [[4], [9]]
    assert [d["seq"] for d in verdicts.latest["decisions"]] == [4, 9]
