"""Cox–Snell R² from a C-statistic by the seeded simulation of Riley, Van Calster & Collins (2021).

``n·φ`` patients with a linear predictor (LP) ~ N(0, 1) and ``n·(1 − φ)`` with LP ~ N(√2 Φ⁻¹(C), 1),
a logistic fit of the group on the LP, and ``R²cs = 1 − exp(−LR/n)``, with n = 10⁶ and seed 123456
as in R ``pmsampsize`` (``cstat2rsq``). The random stream is R's (:class:`RRandom`, default) or
numpy's legacy ``RandomState`` (the authors' Python port), so each package's integers can be
reproduced (docs/decisions/research-samplesize.md).

References
----------
.. [1] Riley RD, Van Calster B, Collins GS. A note on estimating the Cox-Snell R² from a reported
   C statistic (AUROC) to inform sample size calculations for developing a prediction model with
   a binary outcome. Stat Med 2021;40:859–864.
"""

from __future__ import annotations

import math
from enum import StrEnum

import numpy as np
from scipy.special import expit

from leptodx.stats._distributions import normal_quantile
from leptodx.stats.r_random import RRandom

SIMULATION_SIZE = 1_000_000
DEFAULT_SEED = 123456


class Generator(StrEnum):
    """Whose random stream the C-statistic → R² simulation uses."""

    R = "r"
    """R ``set.seed`` + ``rnorm`` (pmsampsize 1.1.3 for R; default)."""
    PYTHON = "python"
    """numpy's legacy ``RandomState`` (the authors' Python port pmsampsize 0.1.0)."""


def cstatistic_to_r2cs(
    cstatistic: float,
    prevalence: float,
    *,
    seed: int = DEFAULT_SEED,
    generator: Generator = Generator.R,
    n: int = SIMULATION_SIZE,
) -> float:
    """Cox–Snell R² implied by a C-statistic, by the authors' seeded simulation (unrounded).

    ``n·φ`` non-events with LP ~ N(0, 1) and ``n·(1 − φ)`` events with LP ~ N(√2 Φ⁻¹(C), 1)
    (counts truncated like R's ``rnorm(prevalence*n)``), a logistic fit of outcome on LP and
    ``R²cs = 1 − exp(−LR/n)`` (Riley, Van Calster & Collins 2021). The labels follow pmsampsize
    (the group of size ``n·φ`` is coded 0); the likelihood ratio does not depend on that choice.
    """
    mu = math.sqrt(2.0) * normal_quantile(cstatistic)
    n0, n1 = int(prevalence * n), int((1 - prevalence) * n)
    if generator is Generator.R:
        rng = RRandom(seed)
        lp = np.concatenate([rng.rnorm(n0, 0.0, 1.0), rng.rnorm(n1, mu, 1.0)])
    else:
        legacy = np.random.RandomState(seed)
        lp = np.concatenate([legacy.normal(0.0, 1.0, n0), legacy.normal(mu, 1.0, n1)])
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    lr = _likelihood_ratio(y, lp)
    return float(1.0 - math.exp(-lr / n))


def _likelihood_ratio(y: np.ndarray, x: np.ndarray) -> float:
    """Null deviance − deviance of the logistic model ``y ~ 1 + x`` (Newton–Raphson)."""
    ybar = float(y.mean())
    a, b = math.log(ybar / (1 - ybar)), 0.0
    for _ in range(100):
        p = expit(a + b * x)
        w = p * (1.0 - p)
        r = y - p
        s0, s1, s2 = float(w.sum()), float(w @ x), float(w @ (x * x))
        g0, g1 = float(r.sum()), float(r @ x)
        det = s0 * s2 - s1 * s1
        da, db = (s2 * g0 - s1 * g1) / det, (s0 * g1 - s1 * g0) / det
        a, b = a + da, b + db
        if max(abs(da), abs(db)) < 1e-12 * (1.0 + max(abs(a), abs(b))):
            break
    eta = a + b * x
    loglik = float(y @ eta - np.logaddexp(0.0, eta).sum())
    null = float(y.size * (ybar * math.log(ybar) + (1 - ybar) * math.log(1 - ybar)))
    return 2.0 * (loglik - null)
