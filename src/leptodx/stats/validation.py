"""Internal validation by Harrell's bootstrap optimism correction (rms ``validate``).

For each of B resamples the *whole* modelling procedure is refitted on the resample (including
LASSO selection when the procedure does it); each index is computed on the resample (training)
and on the original data (test); optimism = mean(training − test) and corrected = apparent −
optimism. Indices follow rms: C (AUC), calibration intercept and slope of the joint logistic
recalibration ``logit P(y) = a + b·lp`` (apparent a = 0, b = 1), and the Brier score.

References
----------
.. [1] Harrell FE, Lee KL, Mark DB. Multivariable prognostic models. Stat Med 1996;15:361–387.
.. [2] Steyerberg EW. Clinical Prediction Models, 2nd ed. Springer 2019, ch. 17.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.stats._ranks import sorted_placements
from leptodx.stats._validation import StatsInputError, as_binary_outcome
from leptodx.stats.logistic import newton_logistic

LinearPredictor = Callable[[NDArray[np.float64]], NDArray[np.float64]]
Procedure = Callable[[NDArray[np.float64], NDArray[np.float64]], LinearPredictor]
INDICES = ("auc", "intercept", "slope", "brier")


@dataclass(frozen=True, slots=True)
class ValidationResult:
    apparent: dict[str, float]
    optimism: dict[str, float]
    corrected: dict[str, float]
    n_boot: int
    n_failed: int
    method: str


def indices(y: NDArray[np.float64], lp: NDArray[np.float64]) -> dict[str, float]:
    """C (AUC), recalibration intercept and slope, and Brier of linear predictor ``lp``."""
    yb = y == 1.0
    pos, neg = np.sort(lp[yb]), np.sort(lp[~yb])
    auc = float(sorted_placements(pos, neg)[0].mean())
    design = np.column_stack([np.ones_like(lp), lp])
    (intercept, slope), _, _ = newton_logistic(design, y)
    p = 0.5 * (1.0 + np.tanh(0.5 * lp))
    return {
        "auc": auc,
        "intercept": float(intercept),
        "slope": float(slope),
        "brier": float(np.mean((p - y) ** 2)),
    }


def logistic_procedure(*, firth: bool = False) -> Procedure:
    """Plain (or Firth) logistic regression on all predictors."""

    def fit(X: NDArray[np.float64], y: NDArray[np.float64]) -> LinearPredictor:
        beta, _, _ = newton_logistic(np.column_stack([np.ones(len(y)), X]), y, firth=firth)
        return lambda Z: beta[0] + Z @ beta[1:]

    return fit


def lasso_procedure(
    *, at: str = "lambda_1se", n_folds: int = 10, alpha: float = 1.0, seed: int = 0
) -> Procedure:
    """LASSO (or elastic net) with CV-chosen λ, refitted with its own folds in every resample."""
    from leptodx.stats.penalized import cv_glmnet

    def fit(X: NDArray[np.float64], y: NDArray[np.float64]) -> LinearPredictor:
        cv = cv_glmnet(X, y, alpha=alpha, n_folds=n_folds, random_state=seed)
        coef = cv.coef(at)
        beta = np.array(list(coef.values()))
        return lambda Z: beta[0] + Z @ beta[1:]

    return fit


def bootstrap_validate(
    procedure: Procedure,
    X: ArrayLike,
    y: ArrayLike,
    *,
    n_boot: int,
    random_state: int | np.random.Generator | None,
    n_jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> ValidationResult:
    """Harrell's optimism-corrected C, calibration intercept/slope and Brier.

    Resample indices are drawn up front from ``random_state``, so results do not depend on
    ``n_jobs``. A resample whose refit fails (e.g. separation, one class only) is skipped and
    counted in ``n_failed`` (rms does the same and reports fewer successful resamples).
    """
    yv = as_binary_outcome(y).astype(np.float64)
    x = np.asarray(X, dtype=np.float64)
    x = x.reshape(-1, 1) if x.ndim == 1 else x
    if x.shape[0] != yv.size or not np.isfinite(x).all():
        raise StatsInputError(f"X: expected {yv.size} finite rows, got shape {x.shape}")
    if n_boot < 1:
        raise StatsInputError(f"n_boot: got {n_boot}; expected at least 1 bootstrap resample")
    apparent = indices(yv, procedure(x, yv)(x))
    rng = np.random.default_rng(random_state)
    draws = rng.integers(0, yv.size, size=(n_boot, yv.size))

    def one(idx: NDArray[np.int64]) -> NDArray[np.float64] | None:
        yb = yv[idx]
        if yb.min() == yb.max():
            return None
        try:
            model = procedure(x[idx], yb)
            train, test = indices(yb, model(x[idx])), indices(yv, model(x))
        except (StatsInputError, np.linalg.LinAlgError, FloatingPointError):
            return None
        return np.array([train[k] - test[k] for k in INDICES])

    if n_jobs == 1:
        results = []
        for i, idx in enumerate(draws):
            results.append(one(idx))
            if progress is not None:
                progress(i + 1)
    else:
        with ThreadPoolExecutor(max_workers=n_jobs) as pool:
            results = list(pool.map(one, draws))
    ok = [r for r in results if r is not None]
    if not ok:
        raise StatsInputError(
            "bootstrap: every resample failed to refit; the model cannot be validated"
        )
    optimism = dict(zip(INDICES, np.mean(ok, axis=0).tolist(), strict=True))
    corrected = {k: apparent[k] - optimism[k] for k in INDICES}
    method = f"Harrell bootstrap optimism correction, B = {n_boot}, {len(ok)} successful"
    return ValidationResult(apparent, optimism, corrected, n_boot, n_boot - len(ok), method)
