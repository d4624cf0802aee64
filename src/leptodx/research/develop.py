"""``leptodx develop``: fit a specification on a cohort and validate it internally.

Steps (each recorded in the methods paragraph): complete-case logistic regression (optionally
LASSO selection with 10-fold CV at λ_min, then an unpenalised refit on the selected predictors;
with ``--impute mice`` the same on multiply imputed data, :mod:`leptodx.research.develop_imputed`),
Harrell's bootstrap optimism correction repeating the whole procedure in each resample,
calibration (intercept, slope, loess curve), decision curve with interventions avoided, DeLong
comparison with single-test columns, nomogram, fitted-model file and report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from leptodx.errors import InputError
from leptodx.models.fitted import FittedModel, PredictorSummary, TrainingSummary
from leptodx.models.spec import ModelSpec
from leptodx.research import _engine as engine
from leptodx.research.analysis_data import AnalysisData, load_analysis_data
from leptodx.research.imputed import ImputationOptions

SINGLE_TESTS = {"first_mri_positive": "first MRI", "first_lp_positive": "first LP"}
DCA_THRESHOLDS = np.round(np.arange(0.01, 0.81, 0.01), 2)


@dataclass(frozen=True)
class DevelopOptions:
    """What the user asked for."""

    spec: ModelSpec
    outcome: str = "lm"
    lasso: bool = False
    n_boot: int = 500
    seed: int = 1
    level: float = 0.95
    mapping: Path | None = None
    drop_invalid: bool = False
    imputation: ImputationOptions | None = None


@dataclass(frozen=True)
class Development:
    """Everything ``develop`` computed (inputs of the fitted-model file and the report)."""

    options: DevelopOptions
    cohort: AnalysisData
    X: NDArray[np.float64]
    y: NDArray[np.float64]
    fit: engine.LogisticFit
    selected: list[str]
    lasso_lambda: float | None
    y_prob: NDArray[np.float64]
    apparent_auc: engine.Auc
    calibration: engine.CalibrationStats
    calibration_curve: engine.Curve
    bootstrap: engine.OptimismBootstrap
    decision: engine.Decision
    comparisons: list[engine.TestComparison]
    roc: dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]]
    warnings: list[str] = field(default_factory=list)
    imputation: Any = None
    """:class:`leptodx.research.develop_imputed.ImputedDevelopment` with ``--impute``."""

    def to_dict(self, model: FittedModel) -> dict[str, Any]:
        """JSON of ``results.json`` of ``leptodx develop``, with ``model`` the sealed fitted model
        of this run (:func:`fitted_model`: its metrics, content hash and imputation settings)."""
        out: dict[str, Any] = {
            "model": model.metrics,
            "calibration": self.calibration.to_dict(),
            "comparisons": [c.to_dict() for c in self.comparisons],
            "selected": self.selected,
            "decision_curve": self.decision.to_dict(),
            "content_hash": model.content_hash,
            "synthetic": self.cohort.synthetic,
            "missing_data": self.cohort.missing.to_dict() if self.cohort.missing else None,
            "imputation": model.imputation,
        }
        if self.imputation is not None:
            cc = self.imputation.complete_case
            out["complete_case"] = None if cc is None else cc.to_dict()
        return out


def compare_single_tests(
    data: Any,
    spec: ModelSpec,
    y: NDArray[np.float64],
    y_prob: NDArray[np.float64],
    probabilities: dict[str, NDArray[np.float64]],
    *,
    level: float,
) -> tuple[dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]], list[engine.TestComparison]]:
    """ROC points and paired DeLong comparisons of the model with each single-test column.

    A test enters the decision curve (added to ``probabilities``) only when every patient has it.
    """
    roc = {"model": engine.roc_points(y, y_prob)}
    comparisons = []
    for column, label in SINGLE_TESTS.items():
        if column not in data.columns or column in spec.fields:
            continue
        test = data[column].to_numpy(dtype=float)
        have = ~np.isnan(test)
        if have.sum() < 10 or len(np.unique(y[have])) < 2:
            continue
        if have.all():
            probabilities[label] = test
        roc[label] = engine.roc_points(y[have], test[have])
        comparisons.append(
            engine.compare(y[have], y_prob[have], test[have], label, level=level, n_total=len(y))
        )
    return roc, comparisons


def _procedure(names: list[str], *, lasso: bool, seed: int) -> Callable[..., Any]:
    """The whole modelling procedure, refitted in each bootstrap resample.

    Returns a function of new rows giving the linear predictor, as
    :func:`leptodx.stats.bootstrap_validate` expects.
    """

    def fit(X: NDArray[np.float64], y: NDArray[np.float64]) -> Callable[..., Any]:
        keep = engine.lasso_select(X, y, seed=seed)[0] if lasso else np.ones(X.shape[1], bool)
        if not keep.any():
            prevalence = float(np.mean(y))
            log_odds = float(engine.logit(prevalence))
            return lambda Z: np.full(Z.shape[0], log_odds)
        model = engine.fit_logistic(
            X[:, keep], y, [n for n, k in zip(names, keep, strict=True) if k]
        )
        return lambda Z: model.intercept + Z[:, keep] @ model.coef

    return fit


def check_finite_design(X: NDArray[np.float64], spec: ModelSpec, *, imputing: bool) -> None:
    """Refuse values a transform made infinite or undefined (NaN is missing only when imputing)."""
    bad = ~np.isfinite(X) if not imputing else np.isinf(X)
    if bad.any():
        row = int(np.flatnonzero(bad.any(axis=1))[0])
        raise InputError(
            "--spec",
            spec.name,
            f"finite predictor values after transforms (analysis row {row + 1})",
        )


def run_develop(
    path: Path, options: DevelopOptions, *, advance: Callable[[], None], replicates: Any = None
) -> Development:
    """Fit, validate and evaluate ``options.spec`` on the cohort file ``path``
    (``replicates``: where the bootstrap replicates run, e.g. a Dask runner's)."""
    spec = options.spec
    cohort = load_analysis_data(
        path,
        needed=[*spec.fields, options.outcome],
        optional=tuple(SINGLE_TESTS),
        mapping=options.mapping,
        drop_invalid=options.drop_invalid,
        complete=None if options.imputation is None else [options.outcome],
    )
    data = cohort.data
    X = spec.design_matrix(data)
    y = data[options.outcome].to_numpy(dtype=float)
    names = [p.name for p in spec.predictors]
    warnings: list[str] = []
    check_finite_design(X, spec, imputing=options.imputation is not None)
    if options.imputation is not None:
        from leptodx.research.develop_imputed import develop_imputed

        dev: Development = develop_imputed(
            cohort, X, y, options, advance=advance, replicates=replicates
        )
        return dev
    lam = None
    keep = np.ones(len(names), dtype=bool)
    if options.lasso:
        keep, lam = engine.lasso_select(X, y, seed=options.seed)
        if not keep.any():
            warnings.append("LASSO selected no predictor; the intercept-only model is reported")
    selected = [n for n, k in zip(names, keep, strict=True) if k]
    fit = engine.fit_logistic(X[:, keep], y, selected)
    y_prob = fit.predict_proba(X[:, keep])
    apparent = engine.auc(y, y_prob, level=options.level)
    boot = engine.bootstrap(
        _procedure(names, lasso=options.lasso, seed=options.seed),
        X,
        y,
        n_boot=options.n_boot,
        seed=options.seed,
        advance=advance,
        replicates=replicates,
    )
    calib = engine.calibration_stats(y, y_prob, level=options.level)
    curve = engine.calibration_curve(y, y_prob)
    probabilities = {"model": y_prob}
    roc, comparisons = compare_single_tests(
        data, spec, y, y_prob, probabilities, level=options.level
    )
    decision = engine.decision(y, probabilities, DCA_THRESHOLDS)
    return Development(
        options,
        cohort,
        X,
        y,
        fit,
        selected,
        lam,
        y_prob,
        apparent,
        calib,
        curve,
        boot,
        decision,
        comparisons,
        roc,
        warnings,
    )


def fitted_model(dev: Development) -> FittedModel:
    """Fitted-model file content (coefficients of unselected predictors are 0)."""
    spec = dev.options.spec
    coef = dict.fromkeys((p.name for p in spec.predictors), 0.0)
    se: dict[str, float | None] = dict.fromkeys(coef, None)
    for name, b, s in zip(dev.selected, dev.fit.coef, dev.fit.se, strict=True):
        coef[name], se[name] = float(b), float(s)
    summaries = tuple(
        PredictorSummary(
            name=p.name,
            mean=float(np.nanmean(col)),
            sd=float(np.nanstd(col, ddof=1)),
            min=float(np.nanmin(col)),
            max=float(np.nanmax(col)),
        )
        for p, col in zip(spec.predictors, dev.X.T, strict=True)
    )
    lp = engine.logit(dev.y_prob)
    training = TrainingSummary(
        file=Path(dev.cohort.file).name,
        n=len(dev.y),
        n_events=int(dev.y.sum()),
        n_excluded_missing=dev.cohort.n_excluded_missing,
        synthetic=dev.cohort.synthetic,
        predictors=summaries,
        linear_predictor_mean=float(np.mean(lp)),
        linear_predictor_sd=float(np.std(lp, ddof=1)),
    )
    metrics = {
        "apparent": {
            "auc": dev.apparent_auc.auc,
            "auc_ci": list(dev.apparent_auc.ci),
            "brier": dev.calibration.brier,
            "intercept": dev.calibration.intercept,
            "slope": dev.calibration.slope,
        },
        "bootstrap": dev.bootstrap.to_dict(),
        "n_boot": dev.options.n_boot,
        "seed": dev.options.seed,
    }
    imputation = None
    if dev.imputation is not None:
        imputation = dev.imputation.design.to_dict()
        metrics["pooled"] = dev.imputation.pooled.to_dict()
        metrics["internal_validation"] = dev.imputation.validation_method
    return FittedModel(
        spec=spec.model_copy(update={"outcome": dev.options.outcome}),
        method=method_name(dev),
        intercept=float(dev.fit.intercept),
        coefficients=coef,
        standard_errors=se,
        training=training,
        metrics=metrics,
        imputation=imputation,
    )


def method_name(dev: Development) -> str:
    """Short name of the fitting method."""
    imputation = dev.options.imputation
    if dev.options.lasso:
        name = (
            f"logistic LASSO selection (10-fold CV, lambda_min = {dev.lasso_lambda:.4g}) + ML refit"
        )
        if imputation is not None:
            name = (
                "logistic LASSO selection in each imputed dataset (10-fold CV, median lambda_min "
                f"= {dev.lasso_lambda:.4g}), predictors selected in at least half kept, ML refit"
            )
    else:
        name = "logistic regression (maximum likelihood)"
    if imputation is not None:
        name += f"; multiple imputation (MICE, m = {imputation.m}), pooled by Rubin's rules"
    return name
