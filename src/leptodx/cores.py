"""How many cores this process may use (for the thread pools of columnar work)."""

from __future__ import annotations

import os


def available_cores() -> int:
    """Cores this process may use: the CPU affinity mask where the platform has one."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return max(os.cpu_count() or 1, 1)
