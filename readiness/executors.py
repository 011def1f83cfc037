"""Where the runs are played: in this process, over a process pool, or on a Dask cluster.

An executor takes batches of run indices and gives back their results; it never decides a
seed (``runner.run_seed`` does, from the master seed and the index), so the same simulation
gives the same figures whichever executor and however many workers played it. Runs go out in
batches (tens to hundreds per task) so scheduling costs stay small beside the runs.
"""

from __future__ import annotations

import os
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
        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            futures = [pool.submit(run_batch, spec, b) for b in batches]
            for f in as_completed(futures):
                yield f.result()


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
            cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                host="127.0.0.1",
            )
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
