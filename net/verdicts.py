"""Evaluators' verdicts: the host's scorer on the journal so far, kept off the host's loop.

Scoring a long run takes a visible fraction of a second (it re-runs the story), and the
host's one loop also carries every seat's frames; so the scorer runs on a copy of the events
in a worker *process* (``isolate``: forked once, holding the scorer; a thread would still
share the interpreter lock with the loop, and the bench saw 285 ms stalls that way) — or a
worker thread where processes cannot fork — at most once per ``interval``, stretched to
several times its own last duration, and only while an evaluator is connected. Each pass sends every evaluator one ``verdicts`` frame holding only the decisions
whose verdict changed (``full: false``); a seat that joins gets them all (``full: true``).
A long run's full set is hundreds of kilobytes, which encoded for every evaluator on every
pass stalled the host's loop for a second in the bench.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from drillbook.simulator.events import Event

log = logging.getLogger("drillbook.net")
Scorer = Callable[[list[Event]], Any]  # journal so far → Scorecard (scoring.score)
STRETCH = 5.0  # wait at least this many times the last scoring's duration between two


def verdicts_frame(card: Any) -> dict[str, Any]:
    """A Scorecard's decision verdicts as the frame evaluators receive (all of them)."""
    return {
        "t": "verdicts",
        "full": True,
        "decisions": [
            {
                "seq": d.seq,
                "counted": d.counted,
                "why_not": d.why_not,
                "verdicts": [
                    {"rule": v.rule, "status": v.status, "late_by": v.late_by} for v in d.verdicts
                ],
            }
            for d in card.decisions
        ],
    }


_SCORER: Scorer | None = None  # in the worker process: the host's scorer, inherited by fork


def _install(scorer: Scorer) -> None:
    global _SCORER
    _SCORER = scorer


def _score(events: list[Event]) -> dict[str, Any]:
    assert _SCORER is not None
    return verdicts_frame(_SCORER(events))


class Verdicts:
    """Re-scores when decisions arrive; ``send`` delivers each new frame to the evaluators."""

    def __init__(
        self,
        scorer: Scorer,
        history: Callable[[], list[Event]],
        send: Callable[[dict[str, Any]], None],
        interval: float,
        *,
        isolate: bool = False,
    ) -> None:
        self.scorer, self.history, self.send, self.interval = scorer, history, send, interval
        self.isolate = isolate
        self._pool: ProcessPoolExecutor | None = None
        self.latest: dict[str, Any] | None = None  # every verdict (may trail the journal)
        self._sent: dict[int, dict[str, Any]] = {}  # seq → the verdict evaluators last got
        self._dirty = True
        self._took = 0.0
        self._task: asyncio.Task[None] | None = None

    def changed(self) -> None:
        """A decision was journaled: score again soon (one pass at a time)."""
        self._dirty = True
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._rescore())

    async def _rescore(self) -> None:
        while self._dirty:
            await asyncio.sleep(max(self.interval, STRETCH * self._took))
            self._dirty = False
            events = list(self.history())
            started = time.perf_counter()
            try:
                pool = self._worker()
                if pool is not None:
                    frame = await asyncio.get_running_loop().run_in_executor(pool, _score, events)
                else:
                    frame = verdicts_frame(await asyncio.to_thread(self.scorer, events))
            except Exception:
                log.exception("the scorer failed; evaluators get no verdicts this time")
                continue
            finally:
                self._took = time.perf_counter() - started
            self.latest = frame
            changed = [d for d in frame["decisions"] if self._sent.get(d["seq"]) != d]
            self._sent = {d["seq"]: d for d in frame["decisions"]}
            if changed:
                self.send({"t": "verdicts", "full": False, "decisions": changed})

    def _worker(self) -> ProcessPoolExecutor | None:
        """The scoring process (forked at first use, so it inherits the scorer unpickled)."""
        if self._pool is None and self.isolate:
            try:
                context = multiprocessing.get_context("fork")
            except ValueError:  # no fork here: the thread it is
                self.isolate = False
                return None
            self._pool = ProcessPoolExecutor(
                1, mp_context=context, initializer=_install, initargs=(self.scorer,)
            )
        return self._pool

    def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self._pool is not None:
            with contextlib.suppress(Exception):
                self._pool.shutdown(wait=False, cancel_futures=True)
