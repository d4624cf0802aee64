"""Compiled kernel: glmnet's binomial elastic-net path by coordinate descent (``lognet2n``).

A line-by-line port of the two-class branch of glmnet's Fortran ``lognet`` (Friedman, Hastie &
Tibshirani 2010; the code R's glmnet 4.1 ports to C++ and python-glmnet wraps), for the case
LeptoDx uses: unit observation weights, no offset, intercept, standardised predictors, unit
penalty factors, no coefficient bounds, Newton steps (``kopt = 0``). Kept from the original, so
that the λ path and coefficients agree with R to rounding:

- standardisation with the 1/n-weighted mean and population standard deviation
  (``lstandard1``); constant predictors are left out (``chkvars``);
- λ_max = max_j |x_jᵀ(y − ȳ)|/n / max(α, 10⁻³) and a geometric grid down to
  max(``lambda_min_ratio``, 10⁻⁶)·λ_max; the first λ is fitted at "infinity" (the null model);
- warm starts along the path; the sequential strong rule (predictor j enters the working set when
  |x_jᵀr| > α(2λ_k − λ_{k−1})) with a KKT check over the rest at convergence;
- per λ, an outer quadratic-approximation (IRLS) loop around covariance-free ("naive")
  coordinate descent: full passes over the working set alternate with passes over the
  active set until the largest weighted squared change is below ``thr`` × null deviance;
- the path stops early as glmnet does (after 5 λ at the least: fraction of deviance explained
  above 0.999 or its gain below 10⁻⁵); fitted probabilities are clamped at 10⁻⁹.

Sums run in the Fortran order (sequential loops, no fast-math), so results agree with glmnet to
the last few bits. Imported lazily (numba); compiled once and cached on disk; runs without the
GIL so that cross-validation folds fit in parallel on threads.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from leptodx.stats._jit import kernel, reduction_kernel

FDEV_GAIN_MIN = 1e-5
"""``sml``: stop when the fraction of deviance explained gains less than this per λ."""
FLMIN_FLOOR = 1e-6
"""``eps``: smallest allowed ``lambda_min_ratio``."""
LAMBDA_INFINITY = 9.9e35
"""``big``: the first λ, at which no predictor enters."""
MIN_LAMBDAS = 5
"""``mnlam``: λ values fitted before the early-stopping rules apply."""
FDEV_MAX = 0.999
"""``devmax``: stop when this fraction of the null deviance is explained."""
P_MIN = 1e-9
"""``pmin``: fitted probabilities are clamped to [pmin, 1 − pmin]."""


@reduction_kernel
def _dot(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:  # pragma: no cover - compiled
    """Σ a·b (vectorised)."""
    s = 0.0
    for i in range(a.size):
        s += a[i] * b[i]
    return s


@reduction_kernel
def _weighted_sum_of_squares(
    v: NDArray[np.float64], a: NDArray[np.float64]
) -> float:  # pragma: no cover - compiled
    """Σ v·a² (vectorised)."""
    s = 0.0
    for i in range(a.size):
        s += v[i] * a[i] * a[i]
    return s


@reduction_kernel
def _sum(a: NDArray[np.float64]) -> float:  # pragma: no cover - compiled
    """Σ a (vectorised)."""
    s = 0.0
    for i in range(a.size):
        s += a[i]
    return s


@kernel
def _coordinate_step(
    k: int,
    b: NDArray[np.float64],
    r: NDArray[np.float64],
    v: NDArray[np.float64],
    x: NDArray[np.float64],
    xv: NDArray[np.float64],
    al1: float,
    al2: float,
) -> float:  # pragma: no cover - compiled
    """One soft-thresholded update of coefficient ``k`` (glmnet ``lognet2n``); the working
    residuals ``r`` follow it. Returns the change, 0.0 when the coefficient did not move."""
    bk = b[1 + k]
    u = _dot(r, x[k]) + xv[k] * bk
    au = abs(u) - al1
    b[1 + k] = math.copysign(au, u) / (xv[k] + al2) if au > 0.0 else 0.0
    d: float = b[1 + k] - bk
    if d != 0.0:
        for i in range(r.shape[0]):
            r[i] = r[i] - d * v[i] * x[k, i]
    return d


@kernel
def _intercept_step(
    b: NDArray[np.float64], r: NDArray[np.float64], v: NDArray[np.float64], xmz: float
) -> float:  # pragma: no cover - compiled
    """The intercept's update (glmnet ``lognet2n``); returns its change (0.0: none)."""
    d = _sum(r) / xmz
    if d != 0.0:
        b[0] = b[0] + d
        for i in range(r.shape[0]):
            r[i] = r[i] - d * v[i]
    return d


@kernel
def lognet_path(
    xt: NDArray[np.float64],
    y: NDArray[np.float64],
    alpha: float,
    nlam: int,
    flmin: float,
    thr: float,
    maxit: int,
) -> tuple[
    int, NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], int
]:  # pragma: no cover - compiled
    """Fit the path; ``xt`` is the predictor matrix transposed (p × n, one row per predictor).

    Returns ``(lmu, a0, beta, lambdas, jerr)``: the number of fitted λ, intercepts (lmu),
    coefficients on the original scale (p × lmu), the λ values (the first as fitted, i.e.
    "infinity") and glmnet's error code (0 = success, 7777 = all predictors constant,
    8001/9001 = outcome (almost) all 0/1, −k = no convergence at the k-th λ within ``maxit``).
    """
    ni, no = xt.shape
    x = xt.copy()
    w = np.full(no, 1.0 / no)
    ju = np.zeros(ni, dtype=np.int64)
    for j in range(ni):
        t = x[j, 0]
        for i in range(1, no):
            if x[j, i] != t:
                ju[j] = 1
                break
    lmu = 0
    a0 = np.zeros(nlam)
    beta = np.zeros((ni, nlam))
    alm = np.zeros(nlam)
    if ju.max() == 0:
        return lmu, a0, beta, alm, 7777
    xm = np.zeros(ni)
    xs = np.ones(ni)
    for j in range(ni):
        if ju[j] == 0:
            continue
        s = 0.0
        for i in range(no):
            s += w[i] * x[j, i]
        xm[j] = s
        for i in range(no):
            x[j, i] = x[j, i] - s
        s = 0.0
        for i in range(no):
            s += w[i] * x[j, i] ** 2
        xs[j] = math.sqrt(s)
        for i in range(no):
            x[j, i] = x[j, i] / xs[j]

    fmax = math.log(1.0 / P_MIN - 1.0)
    fmin = -fmax
    vmin = (1.0 + P_MIN) * P_MIN * (1.0 - P_MIN)
    bta = alpha
    omb = 1.0 - bta
    q0 = 0.0
    for i in range(no):
        q0 += w[i] * y[i]
    if q0 <= P_MIN:
        return lmu, a0, beta, alm, 8001
    if q0 >= 1.0 - P_MIN:
        return lmu, a0, beta, alm, 9001
    ixx = np.zeros(ni, dtype=np.int64)
    al = 0.0
    bz = math.log(q0 / (1.0 - q0))
    vi = q0 * (1.0 - q0)
    b = np.zeros(ni + 1)  # b[0] intercept, b[1 + k] predictor k
    bs = np.zeros(ni + 1)
    b[0] = bz
    v = np.empty(no)
    r = np.empty(no)
    q = np.empty(no)
    eta = np.empty(no)
    for i in range(no):
        v[i] = vi * w[i]
        r[i] = w[i] * (y[i] - q0)
        q[i] = q0
    xmz = vi
    dev1 = -(bz * q0 + math.log(1.0 - q0))
    dev0 = dev1  # y is 0/1: the saturated model's log-likelihood terms are all zero
    eqs = max(FLMIN_FLOOR, flmin)
    alf = eqs ** (1.0 / (nlam - 1))
    m = np.zeros(ni, dtype=np.int64)  # active predictors in order of entry
    mm = np.zeros(ni, dtype=np.int64)  # 1-based position in m, 0 = never active
    nlp = 0
    nin = 0
    mnl = min(MIN_LAMBDAS, nlam)
    shr = thr * dev0
    xv = np.zeros(ni)
    ga = np.zeros(ni)
    dev = np.zeros(nlam)
    for j in range(ni):
        if ju[j] == 0:
            continue
        ga[j] = abs(_dot(r, x[j]))

    for ilm in range(nlam):
        al0 = al
        if ilm >= 2:
            al = al * alf
        elif ilm == 0:
            al = LAMBDA_INFINITY
        else:
            al0 = 0.0
            for j in range(ni):
                if ju[j] != 0:
                    al0 = max(al0, ga[j])
            al0 = al0 / max(bta, 1.0e-3)
            al = alf * al0
        al2 = al * omb
        al1 = al * bta
        tlam = bta * (2.0 * al - al0)
        for k in range(ni):
            if ixx[k] == 0 and ju[k] != 0 and ga[k] > tlam:
                ixx[k] = 1
        while True:  # quadratic approximation (IRLS) at the current fit
            bs[0] = b[0]
            for jj in range(nin):
                bs[1 + m[jj]] = b[1 + m[jj]]
            for j in range(ni):
                if ixx[j] > 0:
                    xv[j] = _weighted_sum_of_squares(v, x[j])
            while True:  # a pass over the working set, then the active set to convergence
                nlp += 1
                dlx = 0.0
                for k in range(ni):
                    if ixx[k] == 0:
                        continue
                    d = _coordinate_step(k, b, r, v, x, xv, al1, al2)
                    if d == 0.0:
                        continue
                    dlx = max(dlx, xv[k] * d**2)
                    if mm[k] == 0:
                        nin += 1
                        mm[k] = nin
                        m[nin - 1] = k
                d = _intercept_step(b, r, v, xmz)
                dlx = max(dlx, xmz * d**2)
                if dlx < shr:
                    break
                if nlp > maxit:
                    return lmu, a0, beta, alm, -(ilm + 1)
                while True:
                    nlp += 1
                    dlx = 0.0
                    for jj in range(nin):
                        k = m[jj]
                        d = _coordinate_step(k, b, r, v, x, xv, al1, al2)
                        if d == 0.0:
                            continue
                        dlx = max(dlx, xv[k] * d**2)
                    d = _intercept_step(b, r, v, xmz)
                    dlx = max(dlx, xmz * d**2)
                    if dlx < shr:
                        break
                    if nlp > maxit:
                        return lmu, a0, beta, alm, -(ilm + 1)
            eta[:] = 0.0
            for jj in range(nin):
                bl = b[1 + m[jj]]
                for i in range(no):
                    eta[i] += bl * x[m[jj], i]
            for i in range(no):
                fi = b[0] + eta[i]
                if fi < fmin:
                    q[i] = 0.0
                elif fi > fmax:
                    q[i] = 1.0
                else:
                    q[i] = 1.0 / (1.0 + math.exp(-fi))
            xmz = 0.0
            for i in range(no):
                v[i] = w[i] * q[i] * (1.0 - q[i])
                xmz += v[i]
            if xmz <= vmin:
                break
            for i in range(no):
                r[i] = w[i] * (y[i] - q[i])
            if xmz * (b[0] - bs[0]) ** 2 >= shr:
                continue
            moved = False
            for jj in range(nin):
                k = m[jj]
                if xv[k] * (b[1 + k] - bs[1 + k]) ** 2 >= shr:
                    moved = True
                    break
            if moved:
                continue
            for k in range(ni):
                if ixx[k] == 1 or ju[k] == 0:
                    continue
                ga[k] = abs(_dot(r, x[k]))
                if ga[k] > al1:
                    ixx[k] = 1
                    moved = True
            if not moved:
                break
        # store the solution on the original scale (glmnet: ca/xs, a0 − Σ ca·xm in entry order)
        s = 0.0
        for jj in range(nin):
            k = m[jj]
            coef = b[1 + k] / xs[k]
            beta[k, ilm] = coef
            s += coef * xm[k]
        a0[ilm] = b[0] - s
        alm[ilm] = al
        lmu = ilm + 1
        devi = 0.0
        for i in range(no):
            pi = min(max(P_MIN, q[i]), 1.0 - P_MIN)
            devi = devi - w[i] * (y[i] * math.log(pi) + (1.0 - y[i]) * math.log(1.0 - pi))
        dev[ilm] = (dev1 - devi) / dev0
        if xmz <= vmin:
            break
        if ilm + 1 < mnl:
            continue
        if dev[ilm] > FDEV_MAX:
            break
        if dev[ilm] - dev[ilm - 1] < FDEV_GAIN_MIN:
            break
    return lmu, a0, beta, alm, 0
