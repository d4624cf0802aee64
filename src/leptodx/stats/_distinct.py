"""Distinct values and each row's rank among them, without sorting the rows when possible.

Shared by the survival tables (follow-up times) and the DeLong counts (tied scores): whole
numbers over a short range are their own bins (``bincount``), and a few distinct values among
many rows are hashed (``pandas.factorize``) so that only the distinct values are sorted. Values
that look continuous return None: the caller sorts the rows.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

SAMPLE = 10_000
"""Rows looked at to judge whether values are few (every (n // SAMPLE)-th row)."""


def few_distinct_ranks(
    values: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.int64]] | None:
    """``(distinct values ascending, rank of each row)`` or None when values look continuous."""
    n = values.size
    low, high = float(values.min()), float(values.max())
    if high - low <= max(n, 65536):
        whole = values.astype(np.int64)
        if np.array_equal(whole, values):
            shifted = whole - int(low)
            present = np.bincount(shifted, minlength=int(high - low) + 1) > 0
            rank = np.cumsum(present) - 1
            return np.asarray(np.flatnonzero(present) + low, dtype=np.float64), rank[shifted]
    sample = values[:: max(n // SAMPLE, 1)]
    if np.unique(sample).size * 4 > sample.size:
        return None
    import pandas as pd

    codes, uniques = pd.factorize(values)
    order = np.argsort(uniques)
    rank = np.empty(uniques.size, dtype=np.int64)
    rank[order] = np.arange(uniques.size)
    return np.asarray(uniques[order], dtype=np.float64), rank[codes]
