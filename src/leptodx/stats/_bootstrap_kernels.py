"""Compiled kernel: one bootstrap replicate of Harrell's optimism for plain logistic regression.

The same steps as :func:`leptodx.stats.validation.optimism_replicate` with a logistic procedure
(Newton–Raphson fit on the resample, then C, recalibration intercept/slope and Brier on the
resample and on the original data), compiled by numba (cached on disk) and run without the GIL
so replicates can share cores. The resample enters as row counts (a frequency-weighted fit).
Newton starts from the full-data estimate (warm start; a refit it cannot bring to convergence is
retried from zero, the Python path's start) and the test recalibration from (0, 0) as the Python
path does; all stop by the rule of :func:`leptodx.stats.logistic.newton_logistic`, so both paths
reach the same estimates. The training recalibration is the identity (0, 1) exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from leptodx.stats._jit import kernel
from leptodx.stats._rank_kernels import placement_counts, split_by_class
from leptodx.stats.link import logistic

_expit: Callable[..., Any] = kernel(logistic)  # scalars and arrays


@kernel
def _solve_spd(
    a: NDArray[np.float64], b: NDArray[np.float64]
) -> tuple[NDArray[np.float64], bool]:  # pragma: no cover - compiled
    """Solve a x = b for a small symmetric positive-definite ``a`` (Cholesky); ok = False if not PD."""
    k = b.size
    low = np.zeros((k, k))
    for j in range(k):
        d = a[j, j]
        for m in range(j):
            d -= low[j, m] * low[j, m]
        if not d > 0.0:
            return b, False
        low[j, j] = np.sqrt(d)
        for i in range(j + 1, k):
            v = a[i, j]
            for m in range(j):
                v -= low[i, m] * low[j, m]
            low[i, j] = v / low[j, j]
    x = b.copy()
    for i in range(k):
        for m in range(i):
            x[i] -= low[i, m] * x[m]
        x[i] /= low[i, i]
    for i in range(k - 1, -1, -1):
        for m in range(i + 1, k):
            x[i] -= low[m, i] * x[m]
        x[i] /= low[i, i]
    return x, True


@kernel
def pair_products(
    design: NDArray[np.float64],
) -> NDArray[np.float64]:  # pragma: no cover - compiled
    """Row-wise products x_c·x_d (d ≤ c) of the design: X'WX becomes one weighted column sum."""
    n, k = design.shape
    products = np.empty((n, k * (k + 1) // 2))
    for r in range(n):
        j = 0
        for c in range(k):
            for d in range(c + 1):
                products[r, j] = design[r, c] * design[r, d]
                j += 1
    return products


@kernel
def _linear_predictor(
    design: NDArray[np.float64], beta: NDArray[np.float64]
) -> NDArray[np.float64]:  # pragma: no cover - compiled
    """design @ beta, written out (numba's ``@`` would need SciPy's BLAS)."""
    n, k = design.shape
    lp = np.zeros(n)
    for r in range(n):
        for c in range(k):
            lp[r] += design[r, c] * beta[c]
    return lp


@kernel
def _newton(
    design: NDArray[np.float64],
    products: NDArray[np.float64],
    y: NDArray[np.float64],
    weight: NDArray[np.float64],
    rows: NDArray[np.int64],
    start: NDArray[np.float64],
    start_prob: NDArray[np.float64],
    max_iter: int,
    tolerance: float,
) -> tuple[NDArray[np.float64], bool]:  # pragma: no cover - compiled
    """Weighted logistic MLE by Newton–Raphson from ``start`` (weights = resample counts).

    Only ``rows`` (those with a positive weight) are visited. ``start_prob`` =
    expit(design @ start), known to the caller, saves the first pass of exponentials. Stops
    when max|Δβ| < tol·(1 + max|β|), as ``newton_logistic``.
    """
    k = design.shape[1]
    m = products.shape[1]
    beta = start.copy()
    for iteration in range(max_iter):
        packed = np.zeros(m)
        score = np.zeros(k)
        for r in rows:
            count = weight[r]
            if iteration == 0:
                p = start_prob[r]
            else:
                eta = 0.0
                for c in range(k):
                    eta += design[r, c] * beta[c]
                p = _expit(eta)
            w = count * p * (1.0 - p)
            resid = count * (y[r] - p)
            for j in range(m):
                packed[j] += w * products[r, j]
            for c in range(k):
                score[c] += resid * design[r, c]
        info = np.empty((k, k))
        j = 0
        for c in range(k):
            for d in range(c + 1):
                info[c, d] = packed[j]
                info[d, c] = packed[j]
                j += 1
        step, ok = _solve_spd(info, score)
        if not ok:
            return beta, False
        largest_step = 0.0
        largest_beta = 0.0
        for c in range(k):
            largest_step = max(largest_step, abs(step[c]))
            largest_beta = max(largest_beta, abs(beta[c]))
            beta[c] += step[c]
        if not np.isfinite(largest_step):
            return beta, False
        if largest_step < tolerance * (1.0 + largest_beta):
            return beta, True
    return beta, False


@kernel
def _auc(event: NDArray[np.bool_], lp: NDArray[np.float64]) -> float:  # pragma: no cover - compiled
    pos, neg = split_by_class(event, lp)
    pos.sort()
    neg.sort()
    k_pos, _ = placement_counts(pos, neg)
    return float(k_pos.sum() / (2.0 * pos.size * neg.size))


@kernel
def _recalibration(
    y: NDArray[np.float64], lp: NDArray[np.float64], max_iter: int, tolerance: float
) -> tuple[float, float, bool]:  # pragma: no cover - compiled
    """Newton–Raphson for logit P(y) = a + b·lp from (0, 0), as ``indices`` fits it.

    The 2 × 2 information and the score are five running sums, solved in closed form; the
    stopping rule is ``newton_logistic``'s.
    """
    a = 0.0
    b = 0.0
    for iteration in range(max_iter):
        s0 = 0.0
        s1 = 0.0
        s2 = 0.0
        u0 = 0.0
        u1 = 0.0
        for r in range(y.size):
            x = lp[r]
            p = 0.5 if iteration == 0 else _expit(a + b * x)
            w = p * (1.0 - p)
            resid = y[r] - p
            s0 += w
            s1 += w * x
            s2 += w * x * x
            u0 += resid
            u1 += resid * x
        det = s0 * s2 - s1 * s1
        if not det > 0.0:
            return a, b, False
        step_a = (s2 * u0 - s1 * u1) / det
        step_b = (s0 * u1 - s1 * u0) / det
        largest_step = max(abs(step_a), abs(step_b))
        largest = max(abs(a), abs(b))
        a += step_a
        b += step_b
        if not np.isfinite(largest_step):
            return a, b, False
        if largest_step < tolerance * (1.0 + largest):
            return a, b, True
    return a, b, False


@kernel
def _test_indices(
    y: NDArray[np.float64],
    lp: NDArray[np.float64],
    prob: NDArray[np.float64],
    max_iter: int,
    tolerance: float,
) -> tuple[NDArray[np.float64], bool]:  # pragma: no cover - compiled
    """C, recalibration intercept and slope, and Brier of ``lp`` on the original data."""
    out = np.zeros(4)
    out[0] = _auc(y == 1.0, lp)
    for r in range(y.size):
        d = prob[r] - y[r]
        out[3] += d * d
    out[3] /= y.size
    # from (a, b) = (0, 0), as ``indices`` does (Newton from (0, 1) can overshoot when the
    # slope is far below 1)
    out[1], out[2], ok = _recalibration(y, lp, max_iter, tolerance)
    return out, ok


@kernel
def logistic_optimism(
    design: NDArray[np.float64],
    products: NDArray[np.float64],
    y: NDArray[np.float64],
    rows: NDArray[np.int64],
    start: NDArray[np.float64],
    start_prob: NDArray[np.float64],
    max_iter: int,
    tolerance: float,
    separation: float,
) -> tuple[NDArray[np.float64], bool]:  # pragma: no cover - compiled
    """Training − test indices of the resample ``rows``; ok = False when the refit fails.

    The refit fails when Newton does not converge or when a fitted probability of a resampled
    row lies within ``separation`` of 0 or 1 (separation: the MLE does not exist).

    ``products`` = ``pair_products(design)``; ``start`` is the warm start (the full-data
    estimate) and ``start_prob`` its fitted probabilities. The resample enters as row counts, the way a
    frequency-weighted fit sees it; C on the resample uses its ``n`` rows as drawn.
    """
    n = y.size
    counts = np.zeros(n)
    events = 0.0
    for r in rows:
        counts[r] += 1.0
        events += y[r]
    if events == 0.0 or events == n:
        return np.zeros(4), False  # one class only: nothing to fit
    drawn = np.flatnonzero(counts)
    beta, ok = _newton(design, products, y, counts, drawn, start, start_prob, max_iter, tolerance)
    if not ok:  # what the warm start cannot fit, the plain start from zero decides
        zero = np.zeros(design.shape[1])
        half = np.full(n, 0.5)
        beta, ok = _newton(design, products, y, counts, drawn, zero, half, max_iter, tolerance)
    if not ok:
        return np.zeros(4), False
    lp = _linear_predictor(design, beta)
    prob = _expit(lp)
    for r in range(n):
        if counts[r] > 0.0 and min(prob[r], 1.0 - prob[r]) <= separation:
            return np.zeros(4), False
    test, ok_test = _test_indices(y, lp, prob, max_iter, tolerance)
    # On its own resample the MLE's recalibration is the identity: its score equations
    # Σ(y − p) = 0 and Σ(y − p)·x = 0 give Σ(y − p)·lp = 0, so (a, b) = (0, 1) exactly.
    train = np.zeros(4)
    train[0] = _auc(y[rows] == 1.0, lp[rows])
    train[2] = 1.0
    for r in range(n):
        d = prob[r] - y[r]
        train[3] += counts[r] * d * d
    train[3] /= n
    return train - test, ok_test
