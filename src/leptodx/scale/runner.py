"""Mapping a function over tasks, in this process or on a Dask cluster; results in task order.

A bounded window of tasks is in flight at any time (one per worker and one more), so a job over
millions of rows holds a few partitions in memory, never the whole table. Results come back in task order whatever worker
finished first, so the output does not depend on the number of workers. A worker that dies is
Dask's business: its tasks are run again elsewhere (each task is a pure function of its
arguments) and the job completes with the same result.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from leptodx.scale.cluster import dask_client, scheduler_address

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
R = TypeVar("R")


class Runner(Protocol):
    """Where tasks run."""

    @property
    def description(self) -> str: ...

    @property
    def workers(self) -> int: ...

    @property
    def remote(self) -> bool:
        """Whether results travel from other processes (then they are worth packing)."""
        ...

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn(item)`` for every item, yielded in order."""
        ...

    def replicates(self, one: Callable[[T], R], seeds: Sequence[T]) -> Iterator[R]:
        """``one(seed)`` for every seed, in order; ``one`` is sent to each worker once."""
        ...


def _ordered(
    submit: Callable[[Any], Future[R]],
    cancel: Callable[[list[Any]], None],
    items: Iterable[Any],
    window: int,
) -> Iterator[R]:
    source = iter(items)
    pending: deque[Any] = deque(submit(item) for item in islice(source, window))
    try:
        while pending:
            result = pending.popleft().result()
            pending.extend(submit(item) for item in islice(source, 1))
            yield result
            del result  # not held while the next result is fetched
    finally:
        if pending:
            cancel(list(pending))


@dataclass
class LocalRunner:
    """Threads of this process (NumPy and Arrow release the GIL in the heavy loops)."""

    threads: int

    @property
    def description(self) -> str:
        return f"in this process ({self.threads} thread{'s' * (self.threads > 1)})"

    @property
    def workers(self) -> int:
        return self.threads

    @property
    def remote(self) -> bool:
        return False

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        if self.threads == 1:
            yield from map(fn, items)
            return
        with ThreadPoolExecutor(self.threads, thread_name_prefix="leptodx") as pool:

            def cancel(futures: list[Future[R]]) -> None:
                for f in futures:
                    f.cancel()

            yield from _ordered(lambda item: pool.submit(fn, item), cancel, items, self.threads + 1)

    def replicates(self, one: Callable[[T], R], seeds: Sequence[T]) -> Iterator[R]:
        return self.map(one, seeds)


def _run_chunk(one: Callable[[T], R], seeds: Sequence[T]) -> list[R]:
    return [one(seed) for seed in seeds]


@dataclass
class DaskRunner:
    """The workers of a Dask cluster."""

    client: Client
    address: str

    @property
    def workers(self) -> int:
        return max(1, int(sum(self.client.nthreads().values())))

    @property
    def remote(self) -> bool:
        return True

    @property
    def description(self) -> str:
        return (
            f"on the Dask cluster at {self.address} ({self.workers} worker threads; "
            f"dashboard {self.client.dashboard_link})"
        )

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        def submit(item: T) -> Any:
            return self.client.submit(fn, item, pure=False)

        yield from _ordered(submit, self.client.cancel, items, self.workers + 1)

    def replicates(self, one: Callable[[T], R], seeds: Sequence[T]) -> Iterator[R]:
        [shared] = self.client.scatter([one], broadcast=True, hash=False)
        size = max(1, len(seeds) // (8 * self.workers))
        chunks = [seeds[i : i + size] for i in range(0, len(seeds), size)]

        def submit(chunk: Sequence[T]) -> Any:
            return self.client.submit(_run_chunk, shared, chunk, pure=False)

        for results in _ordered(submit, self.client.cancel, chunks, 2 * self.workers):
            yield from results


@contextlib.contextmanager
def runner(scheduler: str | None, *, workers: int | None = None) -> Iterator[Runner]:
    """In-process threads (no scheduler) or the Dask cluster at ``scheduler``."""
    if scheduler is None:
        yield LocalRunner(workers or os.cpu_count() or 1)
        return
    with dask_client(scheduler, workers=workers) as client:
        address = str(client.scheduler_info()["address"]) if scheduler == "local" else scheduler
        yield DaskRunner(client, address)


@contextlib.contextmanager
def cluster_runner(scheduler: str | None) -> Iterator[Runner | None]:
    """The Dask runner of ``scheduler`` (else ``LEPTODX_DASK_SCHEDULER``), or None: no cluster,
    the caller's own in-process default applies."""
    address = scheduler_address(scheduler)
    if address is None:
        yield None
        return
    with runner(address) as where:
        yield where
