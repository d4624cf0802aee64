"""ROC analysis: AUC with DeLong CI, paired and unpaired DeLong tests, curve, thresholds.

Direction: a higher score means "more likely an event" (pROC ``direction = "<"``); unlike pROC's
default, the direction is never chosen from the data (docs/decisions/stats-roc-direction.md).

References
----------
.. [1] DeLong ER, DeLong DM, Clarke-Pearson DL. Comparing the areas under two or more correlated
   ROC curves: a nonparametric approach. Biometrics 1988;44:837–845.
.. [2] Sun X, Xu W. Fast implementation of DeLong's algorithm for comparing the areas under
   correlated ROC curves. IEEE Signal Process Lett 2014;21:1389–1393.
.. [3] Robin X, et al. pROC. BMC Bioinformatics 2011;12:77 (``ci.auc``, ``roc.test``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.stats._distributions import critical_value, normal_sf, t_sf
from leptodx.stats._ranks import (
    aligned_counts,
    auc_and_variance_sorted,
    counts_auc,
    delong_covariance,
    placement_counts,
    split_sorted,
)
from leptodx.stats._validation import (
    StatsInputError,
    UndefinedStatisticWarning,
    as_binary_outcome,
    as_float_vector,
    check_level,
    check_same_length,
)
from leptodx.stats.link import expit, logit

_METHODS = ("delong", "delong-logit", "bootstrap")


@dataclass(frozen=True, slots=True)
class AucResult:
    """AUC with its confidence interval."""

    auc: float
    ci: tuple[float, float]
    se: float
    level: float
    method: str
    n: int
    n_events: int

    def to_dict(self) -> dict[str, Any]:
        """JSON of one AUC (docs/stats.md): estimate, CI, SE and method."""
        return {"auc": self.auc, "ci": list(self.ci), "se": self.se, "method": self.method}


@dataclass(frozen=True, slots=True)
class AucComparison:
    """Paired DeLong test of two correlated AUCs (pROC ``roc.test(paired = TRUE)``)."""

    auc1: float
    auc2: float
    difference: float
    ci: tuple[float, float]
    se: float
    z: float
    p_value: float
    level: float
    method: str = "DeLong paired test (normal), CI of the difference"

    def to_dict(self) -> dict[str, Any]:
        """JSON of the paired comparison (docs/stats.md)."""
        return {
            "difference": self.difference,
            "ci": list(self.ci),
            "z": self.z,
            "p_value": self.p_value,
            "method": self.method,
        }


@dataclass(frozen=True, slots=True)
class UnpairedAucComparison:
    """DeLong test of two AUCs from independent samples (pROC ``roc.test(paired = FALSE)``)."""

    auc1: float
    auc2: float
    difference: float
    statistic: float
    df: float
    p_value: float
    method: str = "DeLong unpaired test, t distribution with Welch–Satterthwaite-type df (pROC)"
    n2: int = 0
    """Size of the second sample."""
    n_events2: int = 0
    """Events in the second sample."""

    def to_dict(self) -> dict[str, Any]:
        """JSON of the unpaired comparison (docs/stats.md); pROC gives no CI here (null)."""
        return {
            "difference": self.difference,
            "ci": None,
            "z": self.statistic,
            "df": self.df,
            "p_value": self.p_value,
            "method": self.method,
        }


def _checked(
    y_true: ArrayLike, y_score: ArrayLike, name: str = "y_score"
) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    y = as_binary_outcome(y_true)
    s = as_float_vector(y_score, name=name)
    check_same_length(y_true=y, **{name: s})
    return y, s


def _normal_ci(center: float, se: float, level: float) -> tuple[float, float]:
    half = critical_value(level) * se
    return center - half, center + half


def auc_ci(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    level: float = 0.95,
    method: str = "delong",
    n_boot: int = 2000,
    random_state: int | np.random.Generator | None = None,
) -> AucResult:
    """Area under the ROC curve with a confidence interval.

    Parameters
    ----------
    y_true : array of shape (n,)
        Outcome coded 0/1 (1 = event); both classes must be present.
    y_score : array of shape (n,)
        Score, higher = more likely an event. Ties count one half (Mann–Whitney).
    level : float, default 0.95
        Confidence level.
    method : {"delong", "delong-logit", "bootstrap"}
        ``"delong"``: AUC ± z·SE truncated to [0, 1], as pROC ``ci.auc(method = "delong")``.
        ``"delong-logit"``: the same interval on the logit scale, back-transformed (stays inside
        (0, 1)). ``"bootstrap"``: stratified percentile bootstrap (pROC ``boot.stratified =
        TRUE``) with ``n_boot`` resamples drawn from ``random_state``.

    Notes
    -----
    SE² = var(V10)/n1 + var(V01)/n0 from DeLong's placement values [1]_, computed with one sort
    per class [2]_.
    """
    y, s = _checked(y_true, y_score)
    level = check_level(level)
    if method not in _METHODS:
        raise StatsInputError(f"method: got {method!r}; expected one of {', '.join(_METHODS)}")
    pos, neg = split_sorted(y, s)
    auc, var = auc_and_variance_sorted(pos, neg)
    se = float(np.sqrt(var))
    if np.isnan(se):
        warnings.warn(
            "DeLong variance needs at least 2 events and 2 non-events; CI is NaN",
            UndefinedStatisticWarning,
            stacklevel=2,
        )
    if method == "delong":
        low, high = _normal_ci(auc, se, level)
        ci = (max(low, 0.0), min(high, 1.0))
    elif method == "delong-logit":
        if auc in (0.0, 1.0):
            ci = (auc, auc)
        else:
            logit_se = se / (auc * (1.0 - auc))
            low, high = _normal_ci(float(logit(auc)), logit_se, level)
            ci = (float(expit(low)), float(expit(high)))
    else:
        ci = _bootstrap_ci(pos, neg, level, n_boot, np.random.default_rng(random_state))
        method = f"bootstrap (stratified percentile, B = {n_boot})"
    return AucResult(
        auc, (float(ci[0]), float(ci[1])), se, level, method, int(s.size), int(pos.size)
    )


def _bootstrap_ci(
    pos: NDArray[np.float64],
    neg: NDArray[np.float64],
    level: float,
    n_boot: int,
    rng: np.random.Generator,
) -> tuple[float, float]:
    if n_boot < 1:
        raise StatsInputError(f"n_boot: got {n_boot}; expected a positive number of resamples")
    aucs = np.empty(n_boot)
    for b in range(n_boot):
        # indices into already sorted arrays, sorted, give sorted resamples without a value sort
        p = pos[np.sort(rng.integers(0, pos.size, pos.size))]
        q = neg[np.sort(rng.integers(0, neg.size, neg.size))]
        aucs[b] = counts_auc(placement_counts(p, q)[0], q.size)
    alpha = (1.0 - level) / 2
    low, high = np.quantile(aucs, [alpha, 1 - alpha])
    return float(low), float(high)


def compare_auc(
    y_true: ArrayLike, score1: ArrayLike, score2: ArrayLike, *, level: float = 0.95
) -> AucComparison:
    """Paired DeLong test of two scores on the same patients, with the CI of the difference.

    ``z = (AUC1 − AUC2) / sqrt(var1 + var2 − 2 cov)``, two-sided p from the normal
    distribution; CI = difference ± z₁₋α/₂ · SE (pROC ``roc.test(paired = TRUE)``). The
    variance is computed as the DeLong variance of the per-patient placement differences,
    which equals var1 + var2 − 2 cov exactly.
    """
    y = as_binary_outcome(y_true)
    s1, s2 = as_float_vector(score1, name="score1"), as_float_vector(score2, name="score2")
    check_same_length(y_true=y, score1=s1, score2=s2)
    level = check_level(level)
    a_pos, a_neg = aligned_counts(y, s1)
    b_pos, b_neg = aligned_counts(y, s2)
    auc1, auc2 = counts_auc(a_pos, a_neg.size), counts_auc(b_pos, b_neg.size)
    # var1 + var2 − 2 cov is the DeLong variance of the per-patient count differences: one
    # exact pass, no cancellation
    d_pos, d_neg = a_pos - b_pos, a_neg - b_neg
    difference = counts_auc(d_pos, d_neg.size)
    se = float(np.sqrt(delong_covariance(d_pos, d_neg, d_pos, d_neg)))
    z = 0.0 if se == 0.0 and difference == 0.0 else difference / se
    p = 2 * normal_sf(abs(z))
    return AucComparison(
        auc1, auc2, difference, _normal_ci(difference, se, level), se, float(z), p, level
    )


def compare_auc_unpaired(
    y1: ArrayLike, score1: ArrayLike, y2: ArrayLike, score2: ArrayLike
) -> UnpairedAucComparison:
    """DeLong test of two AUCs from independent samples, exactly as pROC 1.18 computes it.

    ``D = (AUC1 − AUC2) / sqrt(S1 + S2)``, ``df = (S1 + S2)² / (S1²/(N1 − 1) + S2²/(N2 − 1))``
    with N the sample sizes, two-sided p from Student's t. pROC reports no CI here.
    """
    ya, sa = _checked(y1, score1, "score1")
    yb, sb = _checked(y2, score2, "score2")
    auc1, var1 = auc_and_variance_sorted(*split_sorted(ya, sa))
    auc2, var2 = auc_and_variance_sorted(*split_sorted(yb, sb))
    d = (auc1 - auc2) / np.sqrt(var1 + var2)
    df = (var1 + var2) ** 2 / (var1**2 / (sa.size - 1) + var2**2 / (sb.size - 1))
    p = 2 * t_sf(abs(d), df)
    return UnpairedAucComparison(
        auc1,
        auc2,
        auc1 - auc2,
        float(d),
        float(df),
        p,
        n2=int(yb.size),
        n_events2=int(yb.sum()),
    )
