"""Kernel: DeLong placement values from one sort per class (after Sun & Xu 2014).

For a positive with score x, V10 = (#negatives < x + ½ #negatives = x) / n0; for a negative with
score z, V01 = (#positives > z + ½ #positives = z) / n1. With both classes sorted, the negatives'
counts follow from the positives' insertion points by a histogram, so the cost is one sort of
each class plus one binary search pass.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def sorted_placements(
    pos: NDArray[np.float64], neg: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Placements of ascending-sorted positive and negative scores, in the same sorted order."""
    n1, n0 = pos.size, neg.size
    lo = np.searchsorted(neg, pos, side="left")  # negatives strictly below each positive
    inside = lo < n0
    tied = bool(np.any(neg[lo[inside]] == pos[inside]))
    hi = np.searchsorted(neg, pos, side="right") if tied else lo
    v10 = (lo + hi) * (0.5 / n0)
    # positives with hi_i <= j are strictly below negative j; with lo_i <= j, at or below it.
    below = np.cumsum(np.bincount(hi, minlength=n0 + 1)[:n0])
    at_or_below = np.cumsum(np.bincount(lo, minlength=n0 + 1)[:n0]) if tied else below
    v01 = 1.0 - (below + at_or_below) * (0.5 / n1)
    return np.asarray(v10, dtype=np.float64), np.asarray(v01, dtype=np.float64)


def aligned_placements(
    y_true: NDArray[np.bool_], y_score: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Placements in input order within each class (needed to pair two scores per patient)."""
    pos, neg = y_score[y_true], y_score[~y_true]
    pos_order, neg_order = np.argsort(pos), np.argsort(neg)
    v10_sorted, v01_sorted = sorted_placements(pos[pos_order], neg[neg_order])
    v10, v01 = np.empty_like(v10_sorted), np.empty_like(v01_sorted)
    v10[pos_order] = v10_sorted
    v01[neg_order] = v01_sorted
    return v10, v01


def auc_and_variance(v10: NDArray[np.float64], v01: NDArray[np.float64]) -> tuple[float, float]:
    """AUC (mean placement) and DeLong variance var(V10)/n1 + var(V01)/n0."""
    auc = float(v10.mean())
    if v10.size < 2 or v01.size < 2:
        return auc, float("nan")  # undefined with one case or control (pROC: NA)
    var = float(v10.var(ddof=1) / v10.size + v01.var(ddof=1) / v01.size)
    return auc, var
