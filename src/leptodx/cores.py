"""How many cores this process may use, and when columnar work is worth threads."""

from __future__ import annotations

import os

PARALLEL_ROWS = 100_000
"""From this many rows on, columnar work (a cohort's fields, blocks of its rows, a table's
findings) runs on threads: NumPy and Arrow release the interpreter lock for whole columns.
Below it a thread costs more than it saves."""


def available_cores() -> int:
    """Cores this process may use: the CPU affinity mask where the platform has one."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return max(os.cpu_count() or 1, 1)


def threads_for(n_rows: int, *, most: int = 8) -> int:
    """Threads for columnar work on ``n_rows`` rows: the cores (at most ``most``) for a large
    table, else 1."""
    return min(available_cores(), most) if n_rows >= PARALLEL_ROWS else 1
