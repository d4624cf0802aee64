"""Univariate random-effects pooling of one logit (sensitivity or specificity), REML, with I².

Model ``y_i ~ N(μ, v_i + τ²)``. ``τ²`` maximises the restricted likelihood on ``[0, ∞)``: the
score ``−½ tr(P) + ½ yᵀP²y`` (``P = W − W11ᵀW / Σw``, ``W = diag(1/(v_i + τ²))``) is solved by
Brent's method when it is positive at 0, else ``τ² = 0``. ``μ`` is the inverse-variance weighted
mean with weights ``1/(v_i + τ²)`` and Wald CI. Heterogeneity: Cochran's Q with weights ``1/v_i``,
and ``I² = 100 τ² / (τ² + s²)`` with the typical within-study variance
``s² = (k − 1) Σw / ((Σw)² − Σw²)`` (Higgins & Thompson 2002), as R ``metafor::rma(yi, vi,
method = "REML")`` reports them.

References
----------
Higgins JPT, Thompson SG. Quantifying heterogeneity in a meta-analysis. Stat Med 2002;21:1539.
Viechtbauer W. Bias and efficiency of meta-analytic variance estimators in the random-effects
model. J Educ Behav Stat 2005;30:261–293.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, stats

from leptodx.meta.summary import Interval, wald

Array = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class UnivariateFit:
    """Pooled logit with its CI, ``τ²``, I² and Cochran's Q."""

    k: int
    logit: Interval
    se: float
    tau2: float
    i2_percent: float
    h2: float
    q: float
    q_df: int
    q_p: float


def _score(tau2: float, y: Array, v: Array) -> float:
    w = 1.0 / (v + tau2)
    mu = float(w @ y / w.sum())
    trace_p = float(w.sum() - (w * w).sum() / w.sum())
    return -0.5 * trace_p + 0.5 * float((w * w) @ (y - mu) ** 2)


def reml_tau2(y: Array, v: Array) -> float:
    """REML estimate of ``τ²`` (≥ 0)."""
    if _score(0.0, y, v) <= 0.0:
        return 0.0
    upper = max(float(np.var(y, ddof=1)), float(v.max()), 1e-8)
    while _score(upper, y, v) > 0.0:
        upper *= 2.0
    return float(
        optimize.brentq(
            _score, 0.0, upper, args=(y, v), xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500
        )
    )


def fit_univariate(y: Array, v: Array, *, level: float = 0.95) -> UnivariateFit:
    """REML random-effects pooling of ``y`` (logits) with within-study variances ``v`` (k ≥ 2)."""
    y = np.asarray(y, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    k = len(y)
    tau2 = reml_tau2(y, v)
    w = 1.0 / (v + tau2)
    mu = float(w @ y / w.sum())
    se = math.sqrt(1.0 / float(w.sum()))
    w0 = 1.0 / v
    mu_fixed = float(w0 @ y / w0.sum())
    q = float(w0 @ (y - mu_fixed) ** 2)
    typical = (k - 1) * float(w0.sum()) / (float(w0.sum()) ** 2 - float((w0 * w0).sum()))
    return UnivariateFit(
        k=k,
        logit=wald(mu, se, level),
        se=se,
        tau2=tau2,
        i2_percent=100.0 * tau2 / (tau2 + typical),
        h2=(tau2 + typical) / typical,
        q=q,
        q_df=k - 1,
        q_p=float(stats.chi2.sf(q, k - 1)),
    )
