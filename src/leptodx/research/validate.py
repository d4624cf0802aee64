"""``leptodx validate``: external validation of a fitted-model file on a new cohort.

Discrimination (AUC, DeLong CI), calibration (intercept, slope, loess curve), two recalibrated
versions offered as fitted-model files — recalibration in the large (new intercept, slopes kept)
and logistic recalibration (new intercept and one overall slope on the linear predictor)
(Steyerberg 2019, ch. 20; Van Calster 2016) — decision curves, and the case-mix of the validation
cohort next to the development cohort.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from leptodx.models.fitted import FittedModel
from leptodx.research import _engine as engine
from leptodx.research.analysis_data import AnalysisData, load_analysis_data
from leptodx.research.develop import DCA_THRESHOLDS, SINGLE_TESTS, compare_single_tests


@dataclass
class Validation:
    """Everything ``validate`` computed."""

    model: FittedModel
    cohort: AnalysisData
    X: NDArray[np.float64]
    y: NDArray[np.float64]
    lp: NDArray[np.float64]
    y_prob: NDArray[np.float64]
    auc: engine.Auc
    calibration: dict[str, Any]
    calibration_curve: engine.Curve
    recalibrated: dict[str, FittedModel]
    decision: engine.Decision
    comparisons: list[dict[str, Any]]
    roc: dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]]
    case_mix: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)


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
) -> list[dict[str, Any]]:
    rows = [
        {
            "variable": "outcome prevalence",
            "development": model.training.n_events / model.training.n,
            "validation": float(y.mean()),
            "development_sd": None,
            "validation_sd": None,
        }
    ]
    for s, col in zip(model.training.predictors, X.T, strict=True):
        rows.append(
            {
                "variable": s.name,
                "development": s.mean,
                "validation": float(col.mean()),
                "development_sd": s.sd,
                "validation_sd": float(col.std(ddof=1)),
            }
        )
    rows.append(
        {
            "variable": "linear predictor",
            "development": None,
            "validation": float(lp.mean()),
            "development_sd": None,
            "validation_sd": float(lp.std(ddof=1)),
        }
    )
    return rows


def run_validate(
    path: Path,
    model: FittedModel,
    *,
    mapping: Path | None = None,
    drop_invalid: bool = False,
    level: float = 0.95,
    advance: Callable[[], None] = lambda: None,
) -> Validation:
    """Validate ``model`` on the cohort in ``path``."""
    spec = model.spec
    cohort = load_analysis_data(
        path,
        needed=[*spec.fields, spec.outcome],
        optional=tuple(SINGLE_TESTS),
        mapping=mapping,
        drop_invalid=drop_invalid,
    )
    data = cohort.data
    X = spec.design_matrix(data)
    y = data[spec.outcome].to_numpy(dtype=float)
    lp = model.linear_predictor(data)
    y_prob = 1.0 / (1.0 + np.exp(-lp))
    advance()
    auc = engine.auc(y, y_prob, level=level)
    calib = engine.calibration_stats(y, y_prob, level=level)
    curve = engine.calibration_curve(y, y_prob)
    advance()
    recal_fit = engine.fit_logistic(lp[:, None], y, ["linear predictor"])
    recalibrated = {
        "in_the_large": recalibrate_in_the_large(model, calib["intercept"]),
        "logistic": recalibrate_logistic(model, recal_fit.intercept, float(recal_fit.coef[0])),
    }
    probabilities = {
        "model": y_prob,
        "recalibrated (logistic)": recalibrated["logistic"].predict_proba(data),
    }
    roc, comparisons = compare_single_tests(data, spec, y, y_prob, probabilities, level=level)
    decision = engine.decision(y, probabilities, DCA_THRESHOLDS)
    advance()
    warnings = []
    if cohort.synthetic != model.training.synthetic:
        warnings.append("Development and validation data differ in being synthetic.")
    return Validation(
        model,
        cohort,
        X,
        y,
        lp,
        y_prob,
        auc,
        calib,
        curve,
        recalibrated,
        decision,
        comparisons,
        roc,
        _case_mix(model, X, y, lp),
        warnings,
    )
