"""The one way kernels are compiled: numba ``njit`` without the GIL, cached on disk.

numba writes its cache next to the source or in the user's cache directory; when neither is
writable (a read-only installation run by a user without a home), ``cache=True`` would fail at
import, so the kernel is compiled in each process instead (slower first call, same results).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from numba import njit

Kernel = TypeVar("Kernel", bound=Callable[..., Any])


def kernel(fn: Kernel) -> Kernel:
    """Compile ``fn`` with ``numba.njit(cache=True, nogil=True)`` (no disk cache if none is writable)."""
    try:
        return cast(Kernel, njit(cache=True, nogil=True)(fn))
    except RuntimeError:  # numba: "cannot cache function …: no locator available"
        return cast(Kernel, njit(nogil=True)(fn))


def reduction_kernel(fn: Kernel) -> Kernel:
    """As :func:`kernel`, but LLVM may reassociate sums and fuse multiply-adds.

    For small dot products and sums inside iterative solvers: the sums vectorise (about 6× faster
    than a sequential loop) and differ from sequential summation only in the last bits, which
    may also depend on the CPU's vector width.
    """
    flags = {"reassoc", "contract"}
    try:
        return cast(Kernel, njit(cache=True, nogil=True, fastmath=flags)(fn))
    except RuntimeError:  # numba: "cannot cache function …: no locator available"
        return cast(Kernel, njit(nogil=True, fastmath=flags)(fn))
