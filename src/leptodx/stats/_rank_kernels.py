"""Compiled kernels for DeLong placements (numba; compiled once, cached on disk).

Imported lazily by :mod:`leptodx.stats._ranks` (numba itself takes ~0.5 s to import). Counts
are kept as integers ``k = #other < x + #other ≤ x`` so that half credit for ties is exact, the
AUC is a ratio of integers and the DeLong (co)variances are exact rationals.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from leptodx.stats._jit import kernel


@kernel
def split_by_class(
    y: NDArray[np.bool_], s: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:  # pragma: no cover - compiled
    """Scores of events and of non-events, each in input order (one branch-free pass)."""
    n = y.size
    n1 = 0
    for i in range(n):
        n1 += y[i]
    pos = np.empty(n1 + 1)
    neg = np.empty(n - n1 + 1)
    a = 0
    b = 0
    for i in range(n):
        value = s[i]
        event = int(y[i])
        pos[a] = value  # overwritten by the next event unless this row is one
        neg[b] = value
        a += event
        b += 1 - event
    return pos[:n1], neg[: n - n1]


@kernel
def placement_counts(
    pos: NDArray[np.float64], neg: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:  # pragma: no cover - compiled
    """For ascending ``pos`` and ``neg``: k_pos = #neg < x + #neg ≤ x, k_neg = #pos < z + #pos ≤ z.

    One merge pass; a run of equal values shared by both classes is handled at once (each side
    counts the other side's run as half), so heavy ties cost no more than distinct scores.
    """
    n1 = pos.size
    n0 = neg.size
    k_pos = np.empty(n1, np.int64)
    k_neg = np.empty(n0, np.int64)
    i = 0
    j = 0
    while i < n1 and j < n0:
        x = pos[i]
        z = neg[j]
        if x < z:
            k_pos[i] = 2 * j
            i += 1
        elif z < x:
            k_neg[j] = 2 * i
            j += 1
        else:
            i_end = i
            while i_end < n1 and pos[i_end] == x:
                i_end += 1
            j_end = j
            while j_end < n0 and neg[j_end] == x:
                j_end += 1
            k_pos[i:i_end] = j + j_end
            k_neg[j:j_end] = i + i_end
            i = i_end
            j = j_end
    k_pos[i:] = 2 * n0
    k_neg[j:] = 2 * n1
    return k_pos, k_neg


@kernel
def centered_products(
    a: NDArray[np.int64], b: NDArray[np.int64], center_a: int, center_b: int
) -> tuple[int, int, int, int]:  # pragma: no cover - compiled
    """Σ da, Σ db and Σ da·db (da = a − center_a, db = b − center_b) in exact integers.

    Σ da·db is returned as ``(high, low)`` = high · 2⁶² + low, a 126-bit accumulator, so no
    count vector of realistic length can overflow it.
    """
    limit = np.int64(1) << 62
    sum_a = 0
    sum_b = 0
    high = 0
    low = 0
    for i in range(a.size):
        da = a[i] - center_a
        db = b[i] - center_b
        sum_a += da
        sum_b += db
        low += da * db
        if low >= limit:
            low -= limit
            high += 1
        elif low <= -limit:
            low += limit
            high -= 1
    return sum_a, sum_b, high, low
