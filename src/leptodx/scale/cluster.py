"""Finding and connecting to a Dask scheduler, with errors that name the address."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from leptodx.errors import LeptoDxError

if TYPE_CHECKING:
    from distributed import Client

SCHEDULER_ENV = "LEPTODX_DASK_SCHEDULER"
"""Environment variable naming the scheduler (``tcp://host:8786``) when no option is given."""
TIMEOUT_ENV = "LEPTODX_DASK_TIMEOUT"
"""Seconds to wait for the scheduler before giving up (default :data:`DEFAULT_TIMEOUT`)."""
DEFAULT_TIMEOUT = 10.0
LOCAL = "local"
"""``--scheduler local``: a ``LocalCluster`` of worker processes started for the job."""


WORKER_CONFIG: dict[str, dict[str, str]] = {"distributed.nanny.pre-spawn-environ": {}}
"""Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which switches off glibc's
adaptive mmap threshold: every column array is then mapped and unmapped anew, and a batch task
costs about 1.5× the CPU (measured; docs/scale-out.md). Local pools start workers without it."""


class SchedulerUnreachable(LeptoDxError):
    """The Dask scheduler at the given address did not answer."""

    def __init__(self, address: str, timeout: float, reason: BaseException) -> None:
        self.address = address
        super().__init__(
            f"--scheduler: could not reach the Dask scheduler at {address} within {timeout:g} s "
            f"({type(reason).__name__}: {reason}). Check the address and that `dask scheduler` "
            "is running there, or leave --scheduler (and LEPTODX_DASK_SCHEDULER) out to run "
            "in this process"
        )


def scheduler_address(option: str | None = None) -> str | None:
    """The scheduler to use: the option, else ``LEPTODX_DASK_SCHEDULER``, else None (in-process)."""
    chosen = option if option is not None else os.environ.get(SCHEDULER_ENV)
    return chosen.strip() or None if chosen is not None else None


def connect_timeout() -> float:
    """Seconds to wait for a scheduler (``LEPTODX_DASK_TIMEOUT``, default 10)."""
    raw = os.environ.get(TIMEOUT_ENV)
    return float(raw) if raw else DEFAULT_TIMEOUT


@contextlib.contextmanager
def dask_client(address: str, *, workers: int | None = None) -> Iterator[Client]:
    """A client of the scheduler at ``address`` (or of a new local process pool for ``local``).

    Raises :class:`SchedulerUnreachable` naming the address when nothing answers in time.
    """
    import dask
    from distributed import Client, LocalCluster

    if address == LOCAL:
        with (
            dask.config.set(WORKER_CONFIG),
            LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    timeout = connect_timeout()
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerUnreachable(address, timeout, exc) from None
    try:
        yield client
    finally:
        client.close()
