"""Calibration of predicted risks: intercept and slope, Brier, O/E, ICI/E50/E90/Emax, curve.

References
----------
.. [1] Austin PC, Steyerberg EW. The Integrated Calibration Index (ICI) and related metrics for
   quantifying the calibration of logistic regression models. Stat Med 2019;38:4051–4065.
.. [2] Van Calster B, et al. Calibration: the Achilles heel of predictive analytics. BMC Med 2019.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.stats._distributions import critical_value
from leptodx.stats._validation import (
    StatsInputError,
    as_binary_outcome,
    as_probabilities,
    check_level,
    check_same_length,
)
from leptodx.stats.link import logit
from leptodx.stats.logistic import newton_logistic

LOESS_SPAN = 0.75
LOESS_DEGREE = 2
BAND_MAX_N = 5000
"""Above this n the loess standard errors come from a seeded subsample (netlib loess needs
memory quadratic in n for them and crashes above ~30 000 rows; see
docs/decisions/stats-models-calibration-band.md)."""


@dataclass(frozen=True, slots=True)
class CalibrationResult:
    intercept: float
    intercept_ci: tuple[float, float]
    slope: float
    slope_ci: tuple[float, float]
    brier: float
    scaled_brier: float
    oe_ratio: float
    oe_ratio_ci: tuple[float, float]
    ici: float
    e50: float
    e90: float
    emax: float
    n: int
    n_events: int
    level: float
    method: str = (
        "intercept: logistic with offset logit(p); slope: logistic on logit(p); Wald CIs; "
        "ICI/E50/E90/Emax from loess(y ~ p, span = 0.75, degree = 2) (Austin & Steyerberg 2019)"
    )

    def to_dict(self) -> dict[str, Any]:
        """JSON of the calibration measures (docs/stats.md)."""
        return {
            "n": self.n,
            "n_events": self.n_events,
            "intercept": self.intercept,
            "intercept_ci": list(self.intercept_ci),
            "slope": self.slope,
            "slope_ci": list(self.slope_ci),
            "brier": self.brier,
            "scaled_brier": self.scaled_brier,
            "oe_ratio": self.oe_ratio,
            "oe_ratio_ci": list(self.oe_ratio_ci),
            "ici": self.ici,
            "e50": self.e50,
            "e90": self.e90,
            "emax": self.emax,
            "method": self.method,
        }


@dataclass(frozen=True, slots=True)
class CalibrationCurve:
    predicted: NDArray[np.float64]
    observed: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    level: float
    band_method: str

    def to_dict(self) -> dict[str, Any]:
        """JSON of the loess curve and its band."""
        from leptodx.jsonsafe import fields_json

        return fields_json(self)


def _checked(
    y_true: ArrayLike, y_prob: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    y = as_binary_outcome(y_true).astype(np.float64)
    p = as_probabilities(y_prob)
    check_same_length(y_true=y, y_prob=p)
    edge = (p == 0.0) | (p == 1.0)
    if edge.any():
        raise StatsInputError(
            f"y_prob: {int(edge.sum())} predicted probabilities are exactly 0 or 1; their logit is "
            "infinite, so calibration intercept and slope are undefined (a model should not predict certainty)"
        )
    return y, p


def _wald(estimate: float, se: float, level: float) -> tuple[float, float]:
    half = critical_value(level) * se
    return float(estimate - half), float(estimate + half)


def loess_fit(p: NDArray[np.float64], y: NDArray[np.float64]):  # type: ignore[no-untyped-def]
    """R's ``loess(y ~ p)`` (span 0.75, degree 2, interpolate surface) via scikit-misc."""
    from skmisc.loess import loess

    model = loess(p, y, span=LOESS_SPAN, degree=LOESS_DEGREE)
    model.fit()
    return model


def calibration(y_true: ArrayLike, y_prob: ArrayLike, *, level: float = 0.95) -> CalibrationResult:
    """Calibration statistics of predicted risks ``y_prob`` for outcomes ``y_true``.

    Notes
    -----
    Calibration-in-the-large: intercept a of ``logit P(y) = a + logit(p)`` (offset); slope b of
    ``logit P(y) = a + b·logit(p)``. Brier = mean (p − y)²; scaled Brier = 1 − Brier/(ȳ(1 − ȳ)).
    O/E = Σy / Σp with CI exp(log(O/E) ± z/√O). ICI, E50, E90, Emax: mean, median, 90th
    percentile and maximum of |loess(y ~ p) − p| over the sample [1]_.
    """
    y, p = _checked(y_true, y_prob)
    level = check_level(level)
    lp = logit(p)
    ones = np.ones((lp.size, 1))
    large, large_cov, _ = newton_logistic(ones, y, offset=lp)
    slope_fit, slope_cov, _ = newton_logistic(np.column_stack([ones, lp]), y)
    intercept, intercept_se = float(large[0]), float(np.sqrt(large_cov[0, 0]))
    slope, slope_se = float(slope_fit[1]), float(np.sqrt(slope_cov[1, 1]))
    brier = float(np.mean((p - y) ** 2))
    prevalence = float(y.mean())
    observed, expected = float(y.sum()), float(p.sum())
    oe = observed / expected
    z = critical_value(level)
    oe_ci = (oe * float(np.exp(-z / np.sqrt(observed))), oe * float(np.exp(z / np.sqrt(observed))))
    diff = np.abs(loess_fit(p, y).outputs.fitted_values - p)
    return CalibrationResult(
        intercept,
        _wald(intercept, intercept_se, level),
        slope,
        _wald(slope, slope_se, level),
        brier,
        1.0 - brier / (prevalence * (1.0 - prevalence)),
        oe,
        oe_ci,
        float(diff.mean()),
        float(np.quantile(diff, 0.5)),
        float(np.quantile(diff, 0.9)),
        float(diff.max()),
        int(y.size),
        int(observed),
        level,
    )


def calibration_curve(
    y_true: ArrayLike,
    y_prob: ArrayLike,
    *,
    n_points: int = 100,
    level: float = 0.95,
    random_state: int = 0,
) -> CalibrationCurve:
    """Loess calibration curve on a grid over the observed risk range, with a pointwise band.

    The curve is ``loess(y ~ p)`` on all data. The band is fitted ± z·SE (R ``predict(loess,
    se = TRUE)``); above ``BAND_MAX_N`` rows the SE is computed on a subsample of that size drawn
    with ``random_state`` and scaled by sqrt(m/n) (approximate; stated in ``band_method``).
    Curve and band are clipped to [0, 1] (loess can overshoot at the ends; a risk cannot).
    """
    y, p = _checked(y_true, y_prob)
    level = check_level(level)
    grid = np.linspace(p.min(), p.max(), n_points)
    fitted = np.asarray(loess_fit(p, y).predict(grid).values)
    if y.size <= BAND_MAX_N:
        se = np.asarray(loess_fit(p, y).predict(grid, stderror=True).stderr)
        band_method = "pointwise ±z·SE of the loess fit"
    else:
        idx = np.random.default_rng(random_state).choice(y.size, BAND_MAX_N, replace=False)
        sub = loess_fit(p[idx], y[idx]).predict(
            np.clip(grid, p[idx].min(), p[idx].max()), stderror=True
        )
        se = np.asarray(sub.stderr) * np.sqrt(BAND_MAX_N / y.size)
        band_method = f"approximate: loess SE from a random subsample of {BAND_MAX_N} (seed {random_state}) scaled by sqrt(m/n)"
    z = critical_value(level)
    return CalibrationCurve(
        grid,
        np.clip(fitted, 0, 1),
        np.clip(fitted - z * se, 0, 1),
        np.clip(fitted + z * se, 0, 1),
        level,
        band_method,
    )
