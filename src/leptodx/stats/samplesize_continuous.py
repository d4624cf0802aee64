"""Minimum sample size to develop a model for a continuous outcome (Riley et al., Stat Med 2019, I).

Four criteria: expected shrinkage ≥ S (searched from n = p + 2 with pmsampsize's expression of
the shrinkage from the adjusted R²), optimism in R² ≤ 0.05, precise residual variance
(``n = 234 + p``) and the intercept's multiplicative margin of error (MMOE, default 1.1) at a 95 %
t-interval. Criterion 4 is searched until the margin is met; pmsampsize 1.1.3 stops one step
after max(n₁, n₂, n₃) (docs/decisions/research-samplesize.md). Shrinkages are rounded to 3
decimals as pmsampsize reports them.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import stats

from leptodx.stats._validation import StatsInputError
from leptodx.stats.samplesize import Criterion, DevelopmentSampleSize, open_unit, positive_int


def _continuous_shrinkage(n: int, parameters: int, r2: float) -> float:
    """Expected shrinkage at size ``n`` from the adjusted R² (pmsampsize's ``es``)."""
    inner = 1 - ((r2 * (n - parameters - 1)) + parameters) / (n - 1)
    return 1 + (parameters - 2) / (n * math.log(inner))


def _shrinkage_at(n: np.ndarray, parameters: int, r2: float) -> np.ndarray:
    """Vectorised :func:`_continuous_shrinkage`."""
    inner = 1 - ((r2 * (n - parameters - 1)) + parameters) / (n - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(1 + (parameters - 2) / (n * np.log(inner)))


def _first(start: int, condition: Callable[[np.ndarray], np.ndarray], block: int = 4096) -> int:
    """Smallest whole n ≥ ``start`` meeting ``condition`` (searched block by block)."""
    while start < 10**9:
        n = np.arange(start, start + block, dtype=np.float64)
        hits = np.flatnonzero(condition(n))
        if hits.size:
            return int(n[hits[0]])
        start += block
    raise StatsInputError("no sample size up to 10⁹ meets the criterion")


def continuous_sample_size(
    *,
    r2: float,
    parameters: int,
    intercept: float,
    sd: float,
    shrinkage: float = 0.9,
    mmoe: float = 1.1,
) -> DevelopmentSampleSize:
    """Riley criteria 1–4 for a continuous outcome (adjusted R², mean ``intercept``, ``sd``)."""
    r2 = open_unit(r2, "r2", "an adjusted R²")
    parameters = positive_int(parameters, "parameters")
    shrinkage = open_unit(shrinkage, "shrinkage", "a target shrinkage factor")
    if not sd > 0:
        raise StatsInputError(f"sd: got {sd!r}; expected a positive standard deviation")
    if intercept == 0:
        raise StatsInputError(
            "intercept: got 0; expected the non-zero mean outcome value (a margin of error relative to 0 is undefined)"
        )
    if not mmoe > 1:
        raise StatsInputError(f"mmoe: got {mmoe!r}; expected a multiplicative margin above 1")
    n1 = _first(parameters + 2, lambda n: _shrinkage_at(n, parameters, r2) >= shrinkage)
    s1 = _continuous_shrinkage(n1, parameters, r2)
    n2 = math.ceil(1 + (parameters * (1 - r2)) / 0.05)
    n3 = 234 + parameters

    def margin_met(n: np.ndarray) -> np.ndarray:
        half = np.sqrt(sd**2 * (1 - r2) / n) * stats.t.ppf(0.975, n - parameters - 1)
        return np.asarray((abs(intercept) + half) / abs(intercept) <= mmoe)

    n4 = _first(max(n1, n2, n3), margin_met)
    n = max(n1, n2, n3, n4)
    half = math.sqrt(sd**2 * (1 - r2) / n) * float(stats.t.ppf(0.975, n - parameters - 1))
    return DevelopmentSampleSize(
        outcome="continuous",
        sample_size=n,
        events=None,
        epp=None,
        shrinkage=round(_continuous_shrinkage(n, parameters, r2), 3),
        criteria=(
            Criterion("shrinkage", n1, round(s1, 3)),
            Criterion("optimism in R²", n2, round(_continuous_shrinkage(n2, parameters, r2), 3)),
            Criterion("residual variance", n3, round(_continuous_shrinkage(n3, parameters, r2), 3)),
            Criterion(
                "intercept (mean outcome)", n4, round(_continuous_shrinkage(n4, parameters, r2), 3)
            ),
        ),
        parameters=parameters,
        r2=r2,
        details={
            "subjects_per_parameter": n / parameters,
            "intercept_lower": intercept - half,
            "intercept_upper": intercept + half,
        },
    )
