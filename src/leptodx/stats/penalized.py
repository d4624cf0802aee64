"""LASSO / elastic-net logistic regression with K-fold CV, following R's ``cv.glmnet``.

Paths are fitted by a compiled port of glmnet's binomial coordinate descent
(``_lognet_kernel``: standardised predictors, λ grid from λ_max down to
``lambda_min_ratio``·λ_max, warm starts, sequential strong rules, coefficients returned on the
original scale), which agrees with R's glmnet to about 1e-14. Cross-validation is done here exactly as glmnet 4.1's ``cv.glmnet(type.measure =
"deviance", grouped = TRUE)``: every training fold is fitted on its own default λ path and
predicted at the full-data λ by linear interpolation of its coefficients, held-out binomial
deviance (probabilities clamped to [1e-5, 1 − 1e-5]) is averaged per fold, ``cvm`` is the
fold-size-weighted mean of the fold means and ``cvsd`` = sqrt(weighted mean of squared
deviations / (K − 1)); ``lambda.min`` is the largest λ with the smallest ``cvm`` and
``lambda.1se`` the largest λ with ``cvm`` ≤ ``cvm(lambda.min) + cvsd(lambda.min)``.

The full-data fit and the K fold fits are independent, so they run concurrently on a thread
pool (the kernel runs without the GIL and shares no state; results do not depend on the number
of threads).

References
----------
.. [1] Friedman J, Hastie T, Tibshirani R. Regularization paths for generalized linear models via
   coordinate descent. J Stat Softw 2010;33(1):1–22.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.cores import available_cores
from leptodx.stats._validation import StatsInputError, as_binary_outcome
from leptodx.stats.link import expit

PROB_CLAMP = 1e-5
"""glmnet's ``prob_min`` for the binomial deviance."""


@dataclass(frozen=True, slots=True)
class CvGlmnetResult:
    lambdas: NDArray[np.float64]
    cv_mean: NDArray[np.float64]
    cv_se: NDArray[np.float64]
    lambda_min: float
    lambda_1se: float
    intercepts: NDArray[np.float64]
    coef_path: NDArray[np.float64]
    """Shape (n_predictors, n_lambda), original scale."""
    feature_names: tuple[str, ...]
    alpha: float
    foldid: NDArray[np.int64]
    method: str = "glmnet coordinate descent; cv.glmnet deviance conventions"

    def to_dict(self) -> dict[str, Any]:
        """JSON of the path and CV curve, coefficients and selection at λmin and λ1se."""
        from leptodx.jsonsafe import json_safe

        return dict(
            json_safe(
                {
                    "lambda": self.lambdas,
                    "cv_mean": self.cv_mean,
                    "cv_se": self.cv_se,
                    "lambda_min": self.lambda_min,
                    "lambda_1se": self.lambda_1se,
                    "coefficients": {
                        "lambda_min": self.coef("lambda_min"),
                        "lambda_1se": self.coef("lambda_1se"),
                    },
                    "selected": {
                        "lambda_min": self.selected("lambda_min"),
                        "lambda_1se": self.selected("lambda_1se"),
                    },
                    "alpha": self.alpha,
                    "method": self.method,
                }
            )
        )

    def coef(self, at: float | str = "lambda_min") -> dict[str, float]:
        """Intercept and coefficients at ``"lambda_min"``, ``"lambda_1se"`` or a λ on the path."""
        value = (
            {"lambda_min": self.lambda_min, "lambda_1se": self.lambda_1se}.get(at, at)
            if isinstance(at, str)
            else at
        )
        hits = np.flatnonzero(np.isclose(self.lambdas, float(value), rtol=1e-12, atol=0))
        if hits.size == 0:
            raise StatsInputError(
                f"at: got {at!r}; expected 'lambda_min', 'lambda_1se' or a λ on the fitted path"
            )
        k = int(hits[0])
        return {
            "(Intercept)": float(self.intercepts[k]),
            **{n: float(b) for n, b in zip(self.feature_names, self.coef_path[:, k], strict=True)},
        }

    def selected(self, at: float | str = "lambda_1se") -> list[str]:
        """Predictors with a non-zero coefficient at ``at``."""
        return [n for n, b in self.coef(at).items() if n != "(Intercept)" and b != 0.0]


THRESH = 1e-7
"""glmnet's ``thresh``: coordinate descent stops when the largest weighted squared coefficient
change of a pass is below this fraction of the null deviance."""
MAXIT = 100_000
"""glmnet's ``maxit``: passes over the data for the whole path."""


@dataclass(frozen=True, slots=True)
class GlmnetPath:
    """One fitted λ path (glmnet's ``lambda``, ``a0`` and ``beta``), coefficients on the original scale."""

    lambdas: NDArray[np.float64]
    intercepts: NDArray[np.float64]
    coefs: NDArray[np.float64]
    """Shape (n_predictors, n_lambda)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON of the path: ``coefs[j][k]`` is predictor ``j`` at ``lambdas[k]``."""
        from leptodx.jsonsafe import fields_json

        return fields_json(self)


def glmnet_path(
    X: NDArray[np.float64],
    y: NDArray[np.int64],
    *,
    alpha: float,
    nlambda: int,
    lambda_min_ratio: float,
) -> GlmnetPath:
    """glmnet's binomial path on its default λ grid (compiled kernel, runs without the GIL).

    As R's ``glmnet``, the first λ (fitted at "infinity") is reported as
    exp(2 log λ₂ − log λ₃); a path cut short by non-convergence keeps its converged λ values.
    """
    from leptodx.stats._lognet_kernel import lognet_path  # numba: only when fitting

    lmu, a0, beta, alm, jerr = lognet_path(
        np.ascontiguousarray(X.T, dtype=np.float64),
        np.asarray(y, dtype=np.float64),
        float(alpha),
        int(nlambda),
        float(lambda_min_ratio),
        THRESH,
        MAXIT,
    )
    if jerr == 7777:
        raise StatsInputError("X: every predictor is constant; nothing to select from")
    if jerr > 0 or lmu == 0:
        raise StatsInputError(
            "y: almost all outcomes are equal (null probability outside [1e-9, 1 − 1e-9])"
        )
    lambdas = alm[:lmu].copy()
    if lmu > 2:
        lambdas[0] = np.exp(2.0 * np.log(lambdas[1]) - np.log(lambdas[2]))
    return GlmnetPath(lambdas, a0[:lmu].copy(), beta[:, :lmu].copy())


def make_foldid(y: NDArray[np.bool_], n_folds: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """Random fold labels 1..K of (almost) equal size, as R's ``sample(rep(seq(K), length = n))``."""
    return rng.permutation(np.resize(np.arange(1, n_folds + 1), y.size)).astype(np.int64)


def cv_glmnet(
    X: ArrayLike,
    y: ArrayLike,
    *,
    alpha: float = 1.0,
    nlambda: int = 100,
    lambda_min_ratio: float | None = None,
    foldid: ArrayLike | None = None,
    n_folds: int = 10,
    random_state: int | np.random.Generator | None = None,
    feature_names: Sequence[str] | None = None,
    n_jobs: int | None = None,
) -> CvGlmnetResult:
    """Penalised logistic path with K-fold cross-validated binomial deviance (R ``cv.glmnet``).

    Parameters
    ----------
    alpha : float, default 1
        Elastic-net mixing: 1 = LASSO, 0 = ridge.
    lambda_min_ratio : float, optional
        Default as glmnet: 0.01 when n < p, else 1e-4.
    foldid : array of ints 1..K, optional
        Fold of each observation (R ``foldid``); otherwise ``n_folds`` random folds from ``random_state``.
    n_jobs : int, optional
        Threads for the K + 1 path fits (default: the cores available); results are identical
        for any value.
    """
    yb = as_binary_outcome(y)
    x = np.asarray(X, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] != yb.size or x.shape[1] < 2:
        raise StatsInputError(
            f"X: got shape {x.shape}; expected (n = {yb.size}, p ≥ 2) (glmnet needs at least two predictors)"
        )
    if not np.isfinite(x).all():
        raise StatsInputError("X: contains NaN or infinite values; remove or impute them first")
    if not 0.0 <= alpha <= 1.0:
        raise StatsInputError(f"alpha: got {alpha}; expected a mixing parameter in [0, 1]")
    names = (
        tuple(feature_names)
        if feature_names is not None
        else tuple(f"x{i + 1}" for i in range(x.shape[1]))
    )
    ratio = (
        lambda_min_ratio
        if lambda_min_ratio is not None
        else (0.01 if x.shape[0] < x.shape[1] else 1e-4)
    )
    folds = (
        np.asarray(foldid, dtype=np.int64)
        if foldid is not None
        else make_foldid(yb, n_folds, np.random.default_rng(random_state))
    )
    k = int(folds.max()) if folds.size else 0
    if (
        folds.shape != yb.shape
        or folds.min() < 1
        or k < 3
        or set(np.unique(folds)) != set(range(1, k + 1))
    ):
        raise StatsInputError(
            f"foldid: expected fold labels 1..K (K ≥ 3) for each of the {yb.size} rows"
        )
    if n_jobs is not None and n_jobs < 1:
        raise StatsInputError(f"n_jobs: got {n_jobs}; expected at least 1 thread")
    if min(int(yb.sum()), int((~yb).sum())) < k:
        raise StatsInputError(
            f"y: {int(yb.sum())} events and {int((~yb).sum())} non-events: fewer than the {k} folds; use fewer folds"
        )
    yi = yb.astype(np.int64)
    xt = np.ascontiguousarray(x.T)  # one row per predictor: the layout the kernel reads

    def fit(fold: int) -> GlmnetPath:
        """Path on all rows (fold 0) or without fold ``fold``."""
        keep = folds != fold
        rows = xt if fold == 0 else xt[:, keep]
        return glmnet_path(
            rows.T,
            yi if fold == 0 else yi[keep],
            alpha=alpha,
            nlambda=nlambda,
            lambda_min_ratio=ratio,
        )

    jobs = min(n_jobs if n_jobs is not None else available_cores(), k + 1)
    if jobs == 1:
        full, *fold_fits = [fit(i) for i in range(k + 1)]
    else:
        from concurrent.futures import ThreadPoolExecutor  # ~10 ms: only when used

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            full, *fold_fits = pool.map(fit, range(k + 1))
    lambdas = full.lambdas
    fold_means, fold_sizes = _fold_deviance(x, yi, folds, lambdas, fold_fits)
    weights = fold_sizes / fold_sizes.sum()
    cvm = weights @ fold_means
    cvsd = np.sqrt((weights @ (fold_means - cvm) ** 2) / (k - 1))
    lambda_min = float(lambdas[cvm <= cvm.min()].max())
    i_min = int(np.flatnonzero(lambdas == lambda_min)[0])
    lambda_1se = float(lambdas[cvm <= cvm[i_min] + cvsd[i_min]].max())
    return CvGlmnetResult(
        lambdas,
        cvm,
        cvsd,
        lambda_min,
        lambda_1se,
        full.intercepts,
        full.coefs,
        names,
        alpha,
        folds,
    )


def interpolate_coefficients(
    fold_lambdas: NDArray[np.float64],
    intercepts: NDArray[np.float64],
    coefs: NDArray[np.float64],
    s: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Coefficients at λ values ``s`` by linear interpolation on the path (R ``lambda.interp``).

    λ outside the fitted path is clamped to its ends, as ``predict.glmnet(s = ...)`` does.
    """
    if fold_lambdas.size == 1:
        return np.repeat(intercepts, s.size), np.repeat(coefs, s.size, axis=1)
    first, last = fold_lambdas[0], fold_lambdas[-1]
    frac_path = (first - fold_lambdas) / (first - last)
    sfrac = np.clip((first - s) / (first - last), frac_path.min(), frac_path.max())
    coord = np.interp(sfrac, frac_path, np.arange(fold_lambdas.size, dtype=np.float64))
    left, right = np.floor(coord).astype(int), np.ceil(coord).astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = (sfrac - frac_path[right]) / (frac_path[left] - frac_path[right])
    weight[(left == right) | (np.abs(frac_path[left] - frac_path[right]) < np.finfo(float).eps)] = (
        1.0
    )
    a = intercepts[left] * weight + intercepts[right] * (1 - weight)
    b = coefs[:, left] * weight + coefs[:, right] * (1 - weight)
    return a, b


def _fold_deviance(
    x: NDArray[np.float64],
    y: NDArray[np.int64],
    folds: NDArray[np.int64],
    lambdas: NDArray[np.float64],
    fold_fits: Sequence[GlmnetPath],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Held-out mean binomial deviance per fold (rows) and λ (columns), and the fold sizes.

    As glmnet 4.1's ``cv.glmnet``: each training fold has its own default λ path (the full-data
    path is assigned only after the fold fits), and predictions at the full-data λ are made by
    linear interpolation of the fold's coefficients (``buildPredmat``, ``alignment = "lambda"``).
    ``fold_fits[i - 1]`` is the fit without fold i.
    """
    k = int(folds.max())
    means = np.empty((k, lambdas.size))
    sizes = np.empty(k)
    for i, fit in enumerate(fold_fits, start=1):
        held = folds == i
        a, b = interpolate_coefficients(fit.lambdas, fit.intercepts, fit.coefs, lambdas)
        prob = expit(a + x[held] @ b)
        prob = np.clip(prob, PROB_CLAMP, 1 - PROB_CLAMP)
        yh = y[held][:, None]
        deviance = -2.0 * (yh * np.log(prob) + (1 - yh) * np.log(1 - prob))
        means[i - 1] = deviance.mean(axis=0)
        sizes[i - 1] = held.sum()
    return means, sizes
