"""The research workflows' only door into :mod:`leptodx.stats` (small typed adapters).

Keeping every call into the statistics engine here means the workflows read as plain steps and a
change of the engine's result classes touches one module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from leptodx import stats
from leptodx.stats.link import expit as expit  # the one logistic link, re-exported
from leptodx.stats.link import logit as logit

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Auc:
    """AUC with its DeLong CI."""

    auc: float
    ci: tuple[float, float]
    se: float


@dataclass(frozen=True)
class Curve:
    """A smoothed calibration curve with its confidence band."""

    x: Array
    y: Array
    lower: Array | None
    upper: Array | None


@dataclass(frozen=True)
class Decision:
    """Decision-curve results on a grid of thresholds."""

    thresholds: Array
    net_benefit: dict[str, Array]
    interventions_avoided_per_100: dict[str, Array]


@dataclass(frozen=True)
class LogisticFit:
    """Maximum-likelihood logistic fit."""

    intercept: float
    coef: Array
    se: Array
    intercept_se: float
    model: Any

    def predict_proba(self, X: Array) -> Array:
        return np.asarray(self.model.predict_proba(X), dtype=float)


def fit_logistic(X: Array, y: Array, names: list[str]) -> LogisticFit:
    """Logistic regression by maximum likelihood (``leptodx.stats.LogisticModel``)."""
    model = stats.LogisticModel().fit(X, y, feature_names=names)
    coef = np.asarray(model.coef_, dtype=float)
    se = np.asarray(model.se_, dtype=float)
    # the engine's convention: the intercept is the first element of coef_ and se_
    return LogisticFit(float(coef[0]), coef[1:], se[1:], float(se[0]), model)


def lasso_select(X: Array, y: Array, *, seed: int) -> tuple[NDArray[np.bool_], float]:
    """Predictors with a non-zero LASSO coefficient at λ_min of 10-fold CV (glmnet)."""
    cv = stats.cv_glmnet(X, y, alpha=1.0, n_folds=10, random_state=seed)
    coef = cv.coef("lambda_min")
    slopes = np.array([b for name, b in coef.items() if name != "(Intercept)"])
    return slopes != 0, float(cv.lambda_min)


def auc(y: Array, score: Array, *, level: float) -> Auc:
    """AUC with DeLong CI."""
    r = stats.auc_ci(y, score, level=level, method="delong")
    return Auc(float(r.auc), (float(r.ci[0]), float(r.ci[1])), float(r.se))


def compare(
    y: Array, model: Array, test: Array, label: str, *, level: float, n_total: int
) -> dict[str, Any]:
    """Paired DeLong comparison of the model with one single test on the rows having both."""
    a, b = auc(y, model, level=level), auc(y, test, level=level)
    r = stats.compare_auc(y, model, test, level=level)
    return {
        "test": label,
        "n": int(y.size),
        "n_total": n_total,
        "auc_model": a.auc,
        "auc_model_ci": a.ci,
        "auc_test": b.auc,
        "auc_test_ci": b.ci,
        "difference": float(r.difference),
        "difference_ci": tuple(map(float, r.ci)),
        "z": float(r.z),
        "p_value": float(r.p_value),
    }


def roc_points(y: Array, score: Array) -> tuple[Array, Array]:
    """False- and true-positive rates of the empirical ROC curve."""
    r = stats.roc_curve(y, score)
    return np.asarray(r.fpr, dtype=float), np.asarray(r.tpr, dtype=float)


def calibration_stats(y: Array, p: Array, *, level: float) -> dict[str, Any]:
    """Calibration-in-the-large, slope, Brier, O/E and loess-based ICI/E50/E90/Emax."""
    r = stats.calibration(y, p, level=level)
    keys = (
        "intercept",
        "intercept_ci",
        "slope",
        "slope_ci",
        "brier",
        "scaled_brier",
        "oe_ratio",
        "ici",
        "e50",
        "e90",
        "emax",
    )
    out = {}
    for k in keys:
        v = getattr(r, k)
        out[k] = tuple(map(float, v)) if isinstance(v, tuple | list | np.ndarray) else float(v)
    return out


def calibration_curve(y: Array, p: Array) -> Curve:
    """Loess calibration curve with band (``leptodx.stats.calibration_curve``)."""
    r = stats.calibration_curve(y, p)
    return Curve(r.predicted, r.observed, r.lower, r.upper)


def decision(y: Array, probabilities: Mapping[str, Array], thresholds: Array) -> Decision:
    """Net benefit and interventions avoided per 100 (Vickers & Elkin 2006)."""
    r = stats.decision_curve(y, dict(probabilities), thresholds)
    nb = {k: np.asarray(v, float) for k, v in r.net_benefit.items()}
    avoided = {k: np.asarray(v, float) for k, v in r.interventions_avoided_per_100.items()}
    return Decision(np.asarray(r.thresholds, float), nb, avoided)


def bootstrap(
    procedure: Callable[..., Any],
    X: Array,
    y: Array,
    *,
    n_boot: int,
    seed: int,
    advance: Callable[[], None],
    replicates: Any = None,
) -> dict[str, dict[str, float]]:
    """Harrell's optimism bootstrap of the whole procedure; ``advance`` ticks per resample.

    ``procedure(X, y)`` returns a function giving the linear predictor of new rows;
    ``replicates(one, seeds)`` (a Dask runner's) runs the replicates elsewhere.
    """
    r = stats.bootstrap_validate(
        procedure,
        X,
        y,
        n_boot=n_boot,
        random_state=seed,
        progress=lambda _: advance(),
        replicate_map=replicates,
    )
    out = {
        part: {k: float(v) for k, v in getattr(r, part).items()}
        for part in ("apparent", "optimism", "corrected")
    }
    out["resamples"] = {"requested": float(r.n_boot), "failed": float(r.n_failed)}
    return out


def performance_intervals(
    y: Array, lp: Array, *, n_boot: int, seed: int, level: float, replicates: Any = None
) -> dict[str, Any]:
    """Percentile bootstrap intervals of a fixed model's C, calibration and Brier."""
    from leptodx.stats.performance_bootstrap import bootstrap_performance

    r = bootstrap_performance(
        y, lp, n_boot=n_boot, random_state=seed, level=level, replicate_map=replicates
    )
    return {
        "estimate": r.estimate,
        "lower": r.lower,
        "upper": r.upper,
        "level": r.level,
        "replicates": {"requested": r.n_boot, "failed": r.n_failed, "seed": seed},
        "method": r.method,
    }
