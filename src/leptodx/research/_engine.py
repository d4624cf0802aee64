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
from leptodx.jsonsafe import fields_json, json_safe
from leptodx.stats.link import expit as expit  # the one logistic link, re-exported
from leptodx.stats.link import logit as logit

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Auc:
    """AUC with its DeLong CI."""

    auc: float
    ci: tuple[float, float]
    se: float

    def to_dict(self) -> dict[str, Any]:
        """``{"auc", "ci", "se"}`` (``results.json``)."""
        return {"auc": self.auc, "ci": self.ci, "se": self.se}


@dataclass(frozen=True)
class CalibrationStats:
    """Calibration-in-the-large, slope, Brier, O/E and loess-based ICI/E50/E90/Emax; with
    multiple imputation the intercept and slope carry their fraction of missing information."""

    intercept: float
    intercept_ci: tuple[float, float]
    slope: float
    slope_ci: tuple[float, float]
    brier: float
    scaled_brier: float
    oe_ratio: float
    ici: float
    e50: float
    e90: float
    emax: float
    intercept_fmi: float | None = None
    slope_fmi: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON of the measures (``calibration`` of ``results.json``)."""
        out: dict[str, Any] = {}
        for key in ("intercept", "slope"):
            out[key], out[f"{key}_ci"] = getattr(self, key), getattr(self, f"{key}_ci")
            if getattr(self, f"{key}_fmi") is not None:
                out[f"{key}_fmi"] = getattr(self, f"{key}_fmi")
        for key in ("brier", "scaled_brier", "oe_ratio", "ici", "e50", "e90", "emax"):
            out[key] = getattr(self, key)
        return out


@dataclass(frozen=True)
class TestComparison:
    """Paired DeLong comparison of the model with one single test on the patients having it."""

    test: str
    n: int
    n_total: int
    auc_model: float
    auc_model_ci: tuple[float, float]
    auc_test: float
    auc_test_ci: tuple[float, float]
    difference: float
    difference_ci: tuple[float, float]
    z: float
    p_value: float
    method: str | None = None
    """Set when the comparison was pooled over imputations."""

    def to_dict(self) -> dict[str, Any]:
        """JSON of the comparison (``comparisons`` of ``results.json``)."""
        out: dict[str, Any] = {
            "test": self.test,
            "n": self.n,
            "n_total": self.n_total,
            "auc_model": self.auc_model,
            "auc_model_ci": self.auc_model_ci,
            "auc_test": self.auc_test,
            "auc_test_ci": self.auc_test_ci,
            "difference": self.difference,
            "difference_ci": self.difference_ci,
            "z": self.z,
            "p_value": self.p_value,
        }
        if self.method is not None:
            out["method"] = self.method
        return out


@dataclass(frozen=True)
class OptimismBootstrap:
    """Harrell's optimism bootstrap: apparent, optimism and corrected value per index (keyed by
    the index name: ``auc``, ``brier``, ``intercept``, ``slope``, …) and the resamples."""

    apparent: dict[str, float]
    optimism: dict[str, float]
    corrected: dict[str, float]
    requested: int
    failed: int

    def to_dict(self) -> dict[str, Any]:
        """JSON of the bootstrap (``metrics.bootstrap`` of the fitted-model file)."""
        return {
            "apparent": dict(self.apparent),
            "optimism": dict(self.optimism),
            "corrected": dict(self.corrected),
            "resamples": {"requested": float(self.requested), "failed": float(self.failed)},
        }


@dataclass(frozen=True)
class BootstrapIntervals:
    """Percentile bootstrap intervals of a fixed model's C, calibration and Brier."""

    estimate: dict[str, float]
    lower: dict[str, float]
    upper: dict[str, float]
    level: float
    requested: int
    failed: int
    seed: int
    method: str

    def to_dict(self) -> dict[str, Any]:
        """JSON of the intervals (``bootstrap`` of the validation's ``results.json``)."""
        return {
            "estimate": self.estimate,
            "lower": self.lower,
            "upper": self.upper,
            "level": self.level,
            "replicates": {"requested": self.requested, "failed": self.failed, "seed": self.seed},
            "method": self.method,
        }


@dataclass(frozen=True)
class Curve:
    """A smoothed calibration curve with its confidence band."""

    x: Array
    y: Array
    lower: Array | None
    upper: Array | None

    def to_dict(self) -> dict[str, Any]:
        """JSON of the curve (x = predicted, y = observed; no band: null)."""
        return fields_json(self)


@dataclass(frozen=True)
class Decision:
    """Decision-curve results on a grid of thresholds."""

    thresholds: Array
    net_benefit: dict[str, Array]
    interventions_avoided_per_100: dict[str, Array]

    def to_dict(self) -> dict[str, Any]:
        """JSON of the decision curve (``decision_curve`` of the development's results)."""
        return fields_json(self)


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

    def to_dict(self) -> dict[str, Any]:
        """JSON of the coefficients (the fitted estimator itself is not serialised)."""
        out: dict[str, Any] = json_safe(
            {
                "intercept": self.intercept,
                "intercept_se": self.intercept_se,
                "coef": self.coef,
                "se": self.se,
            }
        )
        return out


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
) -> TestComparison:
    """Paired DeLong comparison of the model with one single test on the rows having both."""
    a, b = auc(y, model, level=level), auc(y, test, level=level)
    r = stats.compare_auc(y, model, test, level=level)
    lo, hi = map(float, r.ci)
    return TestComparison(
        label,
        int(y.size),
        n_total,
        a.auc,
        a.ci,
        b.auc,
        b.ci,
        float(r.difference),
        (lo, hi),
        float(r.z),
        float(r.p_value),
    )


def roc_points(y: Array, score: Array) -> tuple[Array, Array]:
    """False- and true-positive rates of the empirical ROC curve."""
    r = stats.roc_curve(y, score)
    return np.asarray(r.fpr, dtype=float), np.asarray(r.tpr, dtype=float)


def calibration_stats(y: Array, p: Array, *, level: float) -> CalibrationStats:
    """Calibration-in-the-large, slope, Brier, O/E and loess-based ICI/E50/E90/Emax."""
    r = stats.calibration(y, p, level=level)
    return CalibrationStats(
        intercept=float(r.intercept),
        intercept_ci=(float(r.intercept_ci[0]), float(r.intercept_ci[1])),
        slope=float(r.slope),
        slope_ci=(float(r.slope_ci[0]), float(r.slope_ci[1])),
        brier=float(r.brier),
        scaled_brier=float(r.scaled_brier),
        oe_ratio=float(r.oe_ratio),
        ici=float(r.ici),
        e50=float(r.e50),
        e90=float(r.e90),
        emax=float(r.emax),
    )


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
) -> OptimismBootstrap:
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
    return optimism_bootstrap(r)


def optimism_bootstrap(r: stats.ValidationResult) -> OptimismBootstrap:
    """The engine's validation result with plain floats."""
    apparent, optimism, corrected = (
        {k: float(v) for k, v in getattr(r, part).items()}
        for part in ("apparent", "optimism", "corrected")
    )
    return OptimismBootstrap(apparent, optimism, corrected, int(r.n_boot), int(r.n_failed))


def performance_intervals(
    y: Array, lp: Array, *, n_boot: int, seed: int, level: float, replicates: Any = None
) -> BootstrapIntervals:
    """Percentile bootstrap intervals of a fixed model's C, calibration and Brier."""
    from leptodx.stats.performance_bootstrap import bootstrap_performance

    r = bootstrap_performance(
        y, lp, n_boot=n_boot, random_state=seed, level=level, replicate_map=replicates
    )
    return BootstrapIntervals(
        r.estimate, r.lower, r.upper, r.level, r.n_boot, r.n_failed, seed, r.method
    )
