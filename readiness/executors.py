"""Where the runs are played: in this process, over a process pool, or on a Dask cluster.

An executor takes batches of run indices and gives back their results; it never decides a
seed (``runner.run_seed`` does, from the master seed and the index), so the same simulation
gives the same figures whichever executor and however many workers played it. Runs go out in
batches (tens to hundreds per task) so scheduling costs stay small beside the runs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Protocol

from drillbook.readiness.runner import RunResult, Spec, run_batch

Progress = Callable[[int], None]  # called with the number of runs just finished


class Executor(Protocol):
    name: str

    def map(self, spec: Spec, batches: list[list[int]]) -> Iterator[list[RunResult]]: ...


def batches_of(runs: int, workers: int, most: int = 200) -> list[list[int]]:
    """Run indices in batches: a few per worker (for an even finish), at most ``most`` each."""
    size = max(1, min(most, -(-runs // max(1, workers * 4))))
    return [list(range(i, min(i + size, runs))) for i in range(0, runs, size)]


class Inline:
    """Every run in this process, one after another (one worker; the tests' reference)."""

    name = "inline"

    def map(self, spec: Spec, batches: list[list[int]]) -> Iterator[list[RunResult]]:
        for batch in batches:
            yield run_batch(spec, batch)


class Processes:
    """A local process pool (the default): one worker per core unless told otherwise."""

    name = "processes"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1

    def map(self, spec: Spec, batches: list[list[int]]) -> Iterator[list[RunResult]]:
        if self.workers == 1:
            yield from Inline().map(spec, batches)
            return
        pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_leave_interrupts)
        try:
            futures = [pool.submit(run_batch, spec, b) for b in batches]
            for f in as_completed(futures):
                yield f.result()
        except BaseException:
            # Ctrl+C, a batch that failed, or a caller that stopped reading: the batches
            # still queued are not wanted. Leaving the pool's ``with`` would wait for every
            # one of them — minutes of a 100,000-run simulation after the person said stop.
            _stop(pool)
            raise
        pool.shutdown(wait=True)


def _leave_interrupts() -> None:
    """In a worker: ctrl+c is the parent's to handle (the terminal sends it to the whole
    process group); a worker that died of it would break the pool under the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the workers now, mid-batch."""
    workers = list((getattr(pool, "_processes", None) or {}).values())  # pid → Process
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        with contextlib.suppress(Exception):
            worker.terminate()
    for worker in workers:
        with contextlib.suppress(Exception):
            worker.join(timeout=5)


CONNECT_SECONDS = 10  # how long to wait for a named Dask scheduler to answer


class SchedulerUnreachable(Exception):
    """The Dask scheduler named could not be reached, or its address is not one."""


class Dask:
    """A Dask cluster: the scheduler at ``address``, or a LocalCluster started for the run."""

    name = "dask"

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        self.address = address
        self.workers = workers or os.cpu_count() or 1

    def map(self, spec: Spec, batches: list[list[int]]) -> Iterator[list[RunResult]]:
        from dask.distributed import Client, LocalCluster, as_completed

        cluster = None
        if self.address is None:
            # Its processes are started leaving ctrl+c to this one (the terminal sends it to
            # the whole process group): each would otherwise print its own traceback, and
            # this process closes the cluster on it anyway.
            interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    host="127.0.0.1",
                    silence_logs=logging.ERROR,  # its start and stop are not the user's news
                )
            finally:
                signal.signal(signal.SIGINT, interrupt)
        try:
            client = Client(
                cluster if cluster is not None else self.address, timeout=CONNECT_SECONDS
            )
        except (OSError, ValueError, TimeoutError) as exc:  # nobody there, or not an address
            if cluster is not None:
                cluster.close()
            raise SchedulerUnreachable(str(exc)) from None
        try:
            scattered = client.scatter(spec, broadcast=True)
            futures = [client.submit(run_batch, scattered, b, pure=False) for b in batches]
            for f in as_completed(futures):
                yield f.result()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def executor_for(name: str, workers: int | None, scheduler: str | None) -> Executor:
    if name == "dask":
        return Dask(scheduler, workers)
    if name == "inline":
        return Inline()
    return Processes(workers)


def run_all(
    spec: Spec,
    runs: int,
    executor: Executor,
    progress: Progress | None = None,
    workers: int = 1,
) -> list[RunResult]:
    """Every run of ``spec``, in index order whatever order they finished in."""
    out: list[RunResult] = []
    for batch in executor.map(spec, batches_of(runs, workers)):
        out += batch
        if progress:
            progress(len(batch))
    return sorted(out, key=lambda r: r.index)
