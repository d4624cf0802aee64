"""DeLong placement values from one sort per class and a compiled merge (after Sun & Xu 2014).

For a positive with score x, V10 = (#negatives < x + ½ #negatives = x) / n0; for a negative with
score z, V01 = (#positives > z + ½ #positives = z) / n1. With both classes sorted, one linear
merge pass gives every count (``_rank_kernels.placement_counts``); counts stay integers
k = #other < x + #other ≤ x, so V10 = k / (2 n0), V01 = 1 − k / (2 n1) and the AUC is the exact
ratio Σk / (2 n0 n1).

Below ``COMPILED_FROM`` scores the same integer counts come from numpy (binary searches), so a
short-lived process with a small cohort never loads numba (~0.5 s on first use); both paths give
identical integers.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from leptodx.stats._distinct import few_distinct_ranks

COMPILED_FROM = 100_000
"""Scores from which the compiled kernels are used (smaller inputs take numpy's few ms)."""


def split_sorted(
    y: NDArray[np.bool_], s: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Scores of events and non-events, each sorted ascending (fresh arrays)."""
    pos, neg = _split(y, s)
    pos.sort()
    neg.sort()
    return pos, neg


def placement_counts(
    pos: NDArray[np.float64], neg: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Integer placement counts of ascending-sorted positives and negatives, in that order."""
    if pos.size + neg.size < COMPILED_FROM:
        lo, hi = np.searchsorted(neg, pos, "left"), np.searchsorted(neg, pos, "right")
        below, at_or_below = np.searchsorted(pos, neg, "left"), np.searchsorted(pos, neg, "right")
        return (lo + hi).astype(np.int64), (below + at_or_below).astype(np.int64)
    from leptodx.stats._rank_kernels import placement_counts as kernel

    return kernel(np.ascontiguousarray(pos), np.ascontiguousarray(neg))


def _split(
    y: NDArray[np.bool_], s: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Scores of events and of non-events, each in input order (fresh arrays)."""
    if s.size < COMPILED_FROM:
        return s[y], s[~y]
    from leptodx.stats._rank_kernels import split_by_class

    return split_by_class(y, s)


def counts_auc(k_pos: NDArray[np.int64], n_neg: int) -> float:
    """AUC = Σ k_pos / (2 n1 n0), an exact integer sum divided once."""
    return int(k_pos.sum()) / (2.0 * k_pos.size * n_neg)


def delong_covariance(
    a_pos: NDArray[np.int64],
    a_neg: NDArray[np.int64],
    b_pos: NDArray[np.int64],
    b_neg: NDArray[np.int64],
) -> float:
    """cov(V10a, V10b)/n1 + cov(V01a, V01b)/n0 from counts (a = b: the DeLong variance).

    NaN with fewer than 2 events or non-events (pROC: NA).
    """
    n1, n0 = a_pos.size, a_neg.size
    if n1 < 2 or n0 < 2:
        return float("nan")
    # exact rational Σ(a − ā)(b − b̄) / ((2 n_other)² (n − 1) n), rounded once
    cov10 = _co_moment(a_pos, b_pos) / ((2 * n0) ** 2 * (n1 - 1) * n1)
    cov01 = _co_moment(a_neg, b_neg) / ((2 * n1) ** 2 * (n0 - 1) * n0)
    return float(cov10 + cov01)


def _co_moment(a: NDArray[np.int64], b: NDArray[np.int64]) -> Fraction:
    """Exact Σ (a − ā)(b − b̄) of two integer vectors of equal length."""
    n = a.size
    center_a, center_b = int(a.sum()) // n, int(b.sum()) // n
    if n < COMPILED_FROM:
        da, db = a - center_a, b - center_b
        if int(np.abs(da).max()) * int(np.abs(db).max()) * n < 2**62:  # int64 sums stay exact
            sum_a, sum_b, products = int(da.sum()), int(db.sum()), int((da * db).sum())
            return Fraction(products) - Fraction(sum_a * sum_b, n)
    from leptodx.stats._rank_kernels import centered_products

    sum_a, sum_b, high, low = centered_products(a, b, center_a, center_b)
    return Fraction(high * 2**62 + low) - Fraction(sum_a * sum_b, n)


def auc_and_variance_sorted(
    pos: NDArray[np.float64], neg: NDArray[np.float64]
) -> tuple[float, float]:
    """AUC and DeLong variance var(V10)/n1 + var(V01)/n0 from ascending-sorted class scores."""
    k_pos, k_neg = placement_counts(pos, neg)
    return counts_auc(k_pos, neg.size), delong_covariance(k_pos, k_neg, k_pos, k_neg)


def aligned_counts(
    y: NDArray[np.bool_], s: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Placement counts in input order within each class (to pair two scores per patient).

    Large inputs with few distinct scores (rounded or integer scores) get their counts per
    distinct value from ``bincount`` and each row looks its value up; otherwise each class is
    argsorted, merged and the counts scattered back.
    """
    few = few_distinct_ranks(s) if s.size >= COMPILED_FROM else None
    if few is not None:
        n_values = few[0].size
        rank_pos, rank_neg = few[1][y], few[1][~y]
        pos_per_value = np.bincount(rank_pos, minlength=n_values)
        neg_per_value = np.bincount(rank_neg, minlength=n_values)
        k_pos = 2 * np.cumsum(neg_per_value) - neg_per_value  # 2·#below + #tied
        k_neg = 2 * np.cumsum(pos_per_value) - pos_per_value
        return k_pos[rank_pos], k_neg[rank_neg]
    pos, neg = _split(y, s)
    pos_order, neg_order = np.argsort(pos), np.argsort(neg)
    k_pos_sorted, k_neg_sorted = placement_counts(pos[pos_order], neg[neg_order])
    k_pos, k_neg = np.empty_like(k_pos_sorted), np.empty_like(k_neg_sorted)
    k_pos[pos_order] = k_pos_sorted
    k_neg[neg_order] = k_neg_sorted
    return k_pos, k_neg
