"""Fisher's exact test and Pearson's χ² test of count tables without importing ``scipy.stats``.

``scipy.stats`` takes 0.6–1.6 s to import on the project's machines — more than the whole
``csf-table`` computation on 10⁶ patients — so the two table tests are written here on top of
NumPy and ``scipy.special`` (imported for the Wilson interval anyway):

- :func:`fisher_exact_p` is R's ``fisher.test`` for a 2×2 table (two-sided): the hypergeometric
  probabilities of every table with the same margins, and p the sum of those not more probable
  than the observed one, with R's relative tolerance 1 + 10⁻⁷ for ties. The probabilities are
  built from the ratio of neighbours, p(x + 1)/p(x) = (m − x)(k − x) / ((x + 1)(n − k + x + 1)),
  accumulated in log space outward from the most probable table and added with log-sum-exp (R exponentiates relative to the largest
  probability first; the two agree to rounding).
- :func:`chi_square` is ``scipy.stats.chi2_contingency`` for a two-way table, bit for bit: the
  same expected counts, Yates correction for 1 degree of freedom when asked, the same sum and
  ``scipy.special.chdtrc`` for the tail.

References: R ``stats::fisher.test`` (R Core Team); Agresti A. Categorical Data Analysis, 3rd ed.
(2013), §3.5.1 and §1.5.2. Tests: ``tests/stats/test_contingency.py`` (R's ``fisher.test`` and
``chisq.test`` reference values, and SciPy on many random tables).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from leptodx.stats._distributions import chi2_sf

R_RELATIVE_TOLERANCE = 1 + 1e-7
"""R ``fisher.test``: tables whose probability is within this factor of the observed one count
as "not more probable" (ties in exact arithmetic, separated by rounding)."""


def _log_sum_exp(values: NDArray[np.float64]) -> float:
    top = float(values.max())
    return top + math.log(float(np.exp(values - top).sum()))


def fisher_exact_p(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p of Fisher's exact test of ``[[a, b], [c, d]]`` as R ``fisher.test``."""
    m, n, k = a + c, b + d, a + b  # first column, second column, first row
    lo, hi = max(0, k - n), min(k, m)
    if lo == hi:
        return 1.0  # a zero margin: one table only
    x = np.arange(lo, hi, dtype=np.float64)
    log_ratio = np.log((m - x) * (k - x)) - np.log((x + 1) * (n - k + x + 1))
    # log p(x) − log p(mode), x = lo…hi, summed outward from the mode (the ratios decrease in x)
    # so that the largest probabilities carry the smallest rounding error
    mode = int(np.count_nonzero(log_ratio > 0))
    below = -np.cumsum(log_ratio[:mode][::-1])[::-1]
    log_p = np.concatenate((below, [0.0], np.cumsum(log_ratio[mode:])))
    observed = log_p[a - lo]
    extreme = log_p[log_p <= observed + math.log(R_RELATIVE_TOLERANCE)]
    return min(1.0, math.exp(_log_sum_exp(extreme) - _log_sum_exp(log_p)))


def sample_odds_ratio(a: int, b: int, c: int, d: int) -> float:
    """``a·d / (b·c)`` as ``scipy.stats.fisher_exact`` reports it: NaN when a row or column is
    empty, infinite when ``b·c`` is 0 otherwise."""
    if 0 in (a + b, c + d, a + c, b + d):
        return math.nan
    if b > 0 and c > 0:
        return float(a * d) / float(b * c)
    return math.inf


@dataclass(frozen=True, slots=True)
class ChiSquare:
    """Pearson's χ² statistic, its degrees of freedom and upper-tail p."""

    statistic: float
    df: int
    p_value: float

    def to_dict(self) -> dict[str, Any]:
        """JSON of the test: statistic, df, p_value."""
        from leptodx.jsonsafe import fields_json

        return fields_json(self)


def chi_square(table: NDArray[np.int64] | NDArray[np.float64], *, correction: bool) -> ChiSquare:
    """Pearson's χ² test of independence of a two-way table (every margin positive), with Yates'
    continuity correction for one degree of freedom when ``correction``: R ``chisq.test``,
    ``scipy.stats.chi2_contingency`` bit for bit."""
    observed = np.asarray(table, dtype=np.float64)
    expected = observed.sum(axis=1, keepdims=True) * observed.sum(axis=0, keepdims=True)
    expected = expected / observed.sum()
    df = expected.size - sum(expected.shape) + expected.ndim - 1
    if df == 0:
        return ChiSquare(0.0, 0, 1.0)
    if df == 1 and correction:
        diff = expected - observed
        observed = observed + np.minimum(0.5, np.abs(diff)) * np.sign(diff)
    statistic = float(((observed - expected) ** 2 / expected).sum())
    return ChiSquare(statistic, df, chi2_sf(statistic, df))
