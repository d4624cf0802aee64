"""``leptodx validate``: external validation of a fitted-model file on a new cohort.

Discrimination (AUC, DeLong CI), calibration (intercept, slope, loess curve), two recalibrated
versions offered as fitted-model files — recalibration in the large (new intercept, slopes kept)
and logistic recalibration (new intercept and one overall slope on the linear predictor)
(Steyerberg 2019, ch. 20; Van Calster 2016) — decision curves, and the case-mix of the validation
cohort next to the development cohort. With ``--impute mice`` missing predictors of the validation
cohort are imputed ``m`` times (outcome in the imputation model) and every measure is pooled
(:mod:`leptodx.research.imputed`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from leptodx.errors import InputError
from leptodx.models.fitted import FittedModel
from leptodx.research import _engine as engine
from leptodx.research import imputed as mi
from leptodx.research.analysis_data import AnalysisData, load_analysis_data
from leptodx.research.develop import (
    DCA_THRESHOLDS,
    SINGLE_TESTS,
    check_finite_design,
    compare_single_tests,
)


@dataclass(frozen=True)
class CaseMixRow:
    """One variable's mean (SD) in the development and the validation cohort (None: not
    recorded, e.g. the linear predictor's development spread)."""

    variable: str
    development: float | None
    validation: float
    development_sd: float | None
    validation_sd: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "variable": self.variable,
            "development": self.development,
            "validation": self.validation,
            "development_sd": self.development_sd,
            "validation_sd": self.validation_sd,
        }


@dataclass(frozen=True)
class CompleteCaseMeasures:
    """AUC and calibration on the patients with every predictor (next to the pooled ones)."""

    n: int
    n_events: int
    auc: engine.Auc
    calibration: engine.CalibrationStats

    def to_dict(self) -> dict[str, Any]:
        """``complete_case`` of the validation's ``results.json``."""
        return {
            "n": self.n,
            "n_events": self.n_events,
            "auc": {"auc": self.auc.auc, "ci": self.auc.ci},
            "calibration": self.calibration.to_dict(),
        }


@dataclass(frozen=True)
class Validation:
    """Everything ``validate`` computed."""

    model: FittedModel
    cohort: AnalysisData
    X: NDArray[np.float64]
    y: NDArray[np.float64]
    lp: NDArray[np.float64]
    y_prob: NDArray[np.float64]
    auc: engine.Auc
    calibration: engine.CalibrationStats
    calibration_curve: engine.Curve
    recalibrated: dict[str, FittedModel]
    decision: engine.Decision
    comparisons: list[engine.TestComparison]
    roc: dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]]
    case_mix: list[CaseMixRow]
    warnings: list[str] = field(default_factory=list)
    imputation: ImputedValidation | None = None
    bootstrap: engine.BootstrapIntervals | None = None
    """Percentile bootstrap intervals of C, calibration intercept/slope and Brier (``--bootstrap``)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON of ``results.json`` of ``leptodx validate`` (docs/research.md)."""
        out: dict[str, Any] = {
            "auc": self.auc.to_dict(),
            "calibration": self.calibration.to_dict(),
            "comparisons": [c.to_dict() for c in self.comparisons],
            "case_mix": [r.to_dict() for r in self.case_mix],
            "model_hash": self.model.content_hash,
            "decision_curve": {
                "thresholds": self.decision.thresholds,
                "net_benefit": self.decision.net_benefit,
            },
            "synthetic": self.cohort.synthetic,
            "missing_data": self.cohort.missing.to_dict() if self.cohort.missing else None,
            "imputation": None if self.imputation is None else self.imputation.design.to_dict(),
            "bootstrap": None if self.bootstrap is None else self.bootstrap.to_dict(),
        }
        cc = self.imputation.complete_case if self.imputation is not None else None
        if cc is not None:
            out["complete_case"] = cc.to_dict()
        return out


@dataclass(frozen=True)
class ImputedValidation:
    """What multiple imputation added to a validation run."""

    design: mi.ImputedDesign
    probabilities: tuple[NDArray[np.float64], ...]
    recalibration: tuple[float, float]
    """Pooled intercept and slope of the logistic recalibration on the linear predictor."""
    complete_case: CompleteCaseMeasures | None = None
    """The same measures on the patients with every predictor (for the side-by-side table)."""


def _complete_case_measures(
    model: FittedModel, X: NDArray[np.float64], y: NDArray[np.float64], *, level: float
) -> CompleteCaseMeasures | None:
    """AUC and calibration on the complete cases, or None when there are too few."""
    rows = ~np.isnan(X).any(axis=1)
    if rows.sum() < 10 or len(np.unique(y[rows])) < 2:
        return None
    risk = engine.expit(model.intercept + X[rows] @ model.beta)
    return CompleteCaseMeasures(
        int(rows.sum()),
        int(y[rows].sum()),
        engine.auc(y[rows], risk, level=level),
        engine.calibration_stats(y[rows], risk, level=level),
    )


def recalibrate_in_the_large(model: FittedModel, alpha: float) -> FittedModel:
    """Shift the intercept by the calibration-in-the-large estimate ``alpha``."""
    return model.model_copy(
        update={
            "intercept": model.intercept + alpha,
            "method": f"{model.method}; recalibrated in the large (intercept + {alpha:.4g})",
            "content_hash": "",
        }
    ).sealed()


def recalibrate_logistic(model: FittedModel, a: float, b: float) -> FittedModel:
    """Apply ``logit p' = a + b · lp`` to intercept and coefficients."""
    coef = {k: b * v for k, v in model.coefficients.items()}
    return model.model_copy(
        update={
            "intercept": a + b * model.intercept,
            "coefficients": coef,
            "method": f"{model.method}; logistic recalibration (a = {a:.4g}, b = {b:.4g})",
            "content_hash": "",
        }
    ).sealed()


def _case_mix(
    model: FittedModel, X: NDArray[np.float64], y: NDArray[np.float64], lp: NDArray[np.float64]
) -> list[CaseMixRow]:
    prevalence = model.training.n_events / model.training.n
    rows = [CaseMixRow("outcome prevalence", prevalence, float(y.mean()), None, None)]
    for s, col in zip(model.training.predictors, X.T, strict=True):
        validation, sd = float(np.nanmean(col)), float(np.nanstd(col, ddof=1))
        rows.append(CaseMixRow(s.name, s.mean, validation, s.sd, sd))
    rows.append(CaseMixRow("linear predictor", None, float(lp.mean()), None, float(lp.std(ddof=1))))
    return rows


def run_validate(
    path: Path,
    model: FittedModel,
    *,
    mapping: Path | None = None,
    drop_invalid: bool = False,
    level: float = 0.95,
    advance: Callable[[], None] = lambda: None,
    imputation: mi.ImputationOptions | None = None,
    n_boot: int = 0,
    seed: int = 1,
    replicates: Any = None,
) -> Validation:
    """Validate ``model`` on the cohort in ``path`` (complete cases, or imputed), with
    ``n_boot`` bootstrap replicates for intervals of the performance indices (complete cases
    only; ``replicates``: where they run, e.g. on Dask)."""
    if n_boot and imputation is not None:
        raise InputError("--bootstrap", n_boot, "0 with --impute (intervals are pooled instead)")
    spec = model.spec
    cohort = load_analysis_data(
        path,
        needed=[*spec.fields, spec.outcome],
        optional=tuple(SINGLE_TESTS),
        mapping=mapping,
        drop_invalid=drop_invalid,
        complete=None if imputation is None else [spec.outcome],
    )
    data = cohort.data
    X = spec.design_matrix(data)
    y = data[spec.outcome].to_numpy(dtype=float)
    check_finite_design(X, spec, imputing=imputation is not None)
    if imputation is None:
        measures = _complete_case(data, model, y, level=level, advance=advance)
    else:
        measures = _imputed(cohort, model, X, y, imputation, level=level, advance=advance)
    return Validation(
        model=model,
        cohort=cohort,
        X=X,
        y=y,
        case_mix=_case_mix(model, X, y, measures["lp"]),
        warnings=_warnings(model, cohort)
        + (
            mi.missingness_warnings(measures["imputation"].design)
            if "imputation" in measures
            else []
        ),
        **measures,
        bootstrap=engine.performance_intervals(
            y, measures["lp"], n_boot=n_boot, seed=seed, level=level, replicates=replicates
        )
        if n_boot
        else None,
    )


def _complete_case(
    data: Any,
    model: FittedModel,
    y: NDArray[np.float64],
    *,
    level: float,
    advance: Callable[[], None],
) -> dict[str, Any]:
    """Measures on complete cases with the stored coefficients."""
    lp = model.linear_predictor(data)
    y_prob = engine.expit(lp)
    advance()
    calib = engine.calibration_stats(y, y_prob, level=level)
    out: dict[str, Any] = {
        "lp": lp,
        "y_prob": y_prob,
        "auc": engine.auc(y, y_prob, level=level),
        "calibration": calib,
        "calibration_curve": engine.calibration_curve(y, y_prob),
    }
    advance()
    recal_fit = engine.fit_logistic(lp[:, None], y, ["linear predictor"])
    out["recalibrated"] = {
        "in_the_large": recalibrate_in_the_large(model, calib.intercept),
        "logistic": recalibrate_logistic(model, recal_fit.intercept, float(recal_fit.coef[0])),
    }
    probabilities = {
        "model": y_prob,
        "recalibrated (logistic)": out["recalibrated"]["logistic"].predict_proba(data),
    }
    out["roc"], out["comparisons"] = compare_single_tests(
        data, model.spec, y, y_prob, probabilities, level=level
    )
    out["decision"] = engine.decision(y, probabilities, DCA_THRESHOLDS)
    advance()
    return out


def _warnings(model: FittedModel, cohort: AnalysisData) -> list[str]:
    if cohort.synthetic != model.training.synthetic:
        return ["Development and validation data differ in being synthetic."]
    return []


def _imputed(
    cohort: AnalysisData,
    model: FittedModel,
    X: NDArray[np.float64],
    y: NDArray[np.float64],
    options: mi.ImputationOptions,
    *,
    level: float,
    advance: Callable[[], None],
) -> dict[str, Any]:
    """Measures on ``m`` imputed copies of the validation cohort, pooled."""
    design = mi.impute_design(X, y, model.spec, options)
    advance()
    lps = [model.intercept + c @ model.beta for c in design.copies]
    probabilities = tuple(engine.expit(lp) for lp in lps)
    calib = mi.pooled_calibration(y, probabilities, level=level)
    out: dict[str, Any] = {
        "lp": np.mean(lps, axis=0),
        "y_prob": np.mean(probabilities, axis=0),
        "auc": mi.pooled_auc(y, probabilities, level=level),
        "calibration": calib,
        "calibration_curve": mi.stacked_curve(y, probabilities),
    }
    advance()
    fits = [engine.fit_logistic(v[:, None], y, ["linear predictor"]) for v in lps]
    a = float(np.mean([f.intercept for f in fits]))
    b = float(np.mean([f.coef[0] for f in fits]))
    out["recalibrated"] = {
        "in_the_large": recalibrate_in_the_large(model, calib.intercept),
        "logistic": recalibrate_logistic(model, a, b),
    }
    recal = [engine.expit(a + b * v) for v in lps]
    out["roc"], out["comparisons"], tests = mi.compare_tests_pooled(
        cohort.data, model.spec, y, probabilities, level=level
    )
    ys, ps = mi.stacked(y, probabilities)
    out["decision"] = engine.decision(
        ys,
        {"model": ps, "recalibrated (logistic)": np.concatenate(recal), **tests},
        DCA_THRESHOLDS,
    )
    out["imputation"] = ImputedValidation(
        design, probabilities, (a, b), _complete_case_measures(model, X, y, level=level)
    )
    advance()
    return out
