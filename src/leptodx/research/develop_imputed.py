"""``leptodx develop --impute mice``: the development procedure on multiply imputed data.

Steps: impute the encoded predictors ``m`` times (outcome in the imputation model); fit the
logistic model on every copy (with ``--lasso``: LASSO on every copy and majority selection, then
ML refits) and pool by Rubin's rules; apparent performance pooled over the copies; internal
validation by bootstrap with imputation inside every resample
(:mod:`leptodx.stats.imputed_validation`); the complete-case fit of the same predictors is kept
for the side-by-side table of the report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from leptodx.errors import LeptoDxError
from leptodx.research import _engine as engine
from leptodx.research import imputed as mi
from leptodx.research.analysis_data import AnalysisData
from leptodx.stats.imputed_validation import bootstrap_validate_imputed

Array = NDArray[np.float64]


@dataclass(frozen=True)
class CompleteCaseFit:
    """The same predictors fitted on the complete cases only (for comparison)."""

    n: int
    n_events: int
    intercept: float
    intercept_se: float
    coef: dict[str, float]
    se: dict[str, float]
    auc: engine.Auc | None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """``complete_case`` of the development's ``results.json``."""
        return {
            "n": self.n,
            "n_events": self.n_events,
            "intercept": self.intercept,
            "coefficients": self.coef,
            "standard_errors": self.se,
            "auc": None if self.auc is None else {"auc": self.auc.auc, "ci": self.auc.ci},
            "note": self.note,
        }


@dataclass(frozen=True)
class ImputedDevelopment:
    """What multiple imputation added to a development run."""

    design: mi.ImputedDesign
    pooled: mi.PooledLogistic
    probabilities: tuple[Array, ...]
    complete_case: CompleteCaseFit | None
    selection_frequency: dict[str, float] = field(default_factory=dict)
    validation_method: str = ""


def _procedure(names: Sequence[str], *, lasso: bool, seed: int, level: float) -> Any:
    """Fit on the imputed copies and pool; the linear predictor of new complete rows."""

    def fit(copies: Sequence[Array], y: Array) -> Callable[[Array], Array]:
        if lasso:
            keep = mi.select_by_majority(copies, y, seed=seed)[0]
        else:
            keep = np.ones(copies[0].shape[1], dtype=bool)
        if not keep.any():
            prevalence = float(np.mean(y))
            log_odds = float(engine.logit(prevalence))
            return lambda Z: np.full(Z.shape[0], log_odds)
        model = mi.fit_pooled(copies, y, keep, names, level=level).as_fit()
        return lambda Z: model.intercept + Z[:, keep] @ model.coef

    return fit


def _complete_case(
    X: Array, y: Array, keep: NDArray[np.bool_], names: Sequence[str], *, level: float
) -> CompleteCaseFit | None:
    rows = ~np.isnan(X).any(axis=1)
    selected = [n for n, k in zip(names, keep, strict=True) if k]
    if rows.sum() < 2 or not keep.any():
        return None
    yc = y[rows]
    try:
        fit = engine.fit_logistic(X[rows][:, keep], yc, selected)
        auc = engine.auc(yc, fit.predict_proba(X[rows][:, keep]), level=level)
    except LeptoDxError as exc:
        return CompleteCaseFit(
            int(rows.sum()), int(yc.sum()), np.nan, np.nan, {}, {}, None, str(exc)
        )
    return CompleteCaseFit(
        int(rows.sum()),
        int(yc.sum()),
        fit.intercept,
        fit.intercept_se,
        dict(zip(selected, map(float, fit.coef), strict=True)),
        dict(zip(selected, map(float, fit.se), strict=True)),
        auc,
    )


def develop_imputed(
    cohort: AnalysisData,
    X: Array,
    y: Array,
    options: Any,
    *,
    advance: Callable[[], None],
    replicates: Any = None,
) -> Any:
    """Run the development procedure with multiple imputation (returns a ``Development``;
    ``replicates``: where the bootstrap replicates run, e.g. a Dask runner's)."""
    from leptodx.research.develop import DCA_THRESHOLDS, Development

    spec, level = options.spec, options.level
    settings = options.imputation
    names = [p.name for p in spec.predictors]
    design = mi.impute_design(X, y, spec, settings)
    warnings = mi.missingness_warnings(design)
    lam, frequency = None, {}
    keep = np.ones(len(names), dtype=bool)
    if options.lasso:
        keep, freq, lam = mi.select_by_majority(design.copies, y, seed=options.seed)
        frequency = dict(zip(names, map(float, freq), strict=True))
        if not keep.any():
            warnings.append("LASSO selected no predictor in half of the imputations")
    selected = [n for n, k in zip(names, keep, strict=True) if k]
    pooled = mi.fit_pooled(design.copies, y, keep, names, level=level)
    fit = pooled.as_fit()
    probabilities = tuple(fit.predict_proba(c[:, keep]) for c in design.copies)
    y_prob = np.mean(probabilities, axis=0)
    apparent = mi.pooled_auc(y, probabilities, level=level)
    result = bootstrap_validate_imputed(
        _procedure(names, lasso=options.lasso, seed=options.seed, level=level),
        mi.imputer(spec, settings),
        X,
        y,
        design.copies,
        n_boot=options.n_boot,
        random_state=options.seed,
        progress=lambda _: advance(),
        replicate_map=replicates,
    )
    boot = engine.optimism_bootstrap(result)
    calibration = mi.pooled_calibration(y, probabilities, level=level)
    curve = mi.stacked_curve(y, probabilities)
    roc, comparisons, tests = mi.compare_tests_pooled(
        cohort.data, spec, y, probabilities, level=level
    )
    ys, ps = mi.stacked(y, probabilities)
    decision = engine.decision(ys, {"model": ps, **tests}, DCA_THRESHOLDS)
    dev = Development(
        options,
        cohort,
        X,
        y,
        fit,
        selected,
        lam,
        y_prob,
        apparent,
        calibration,
        curve,
        boot,
        decision,
        comparisons,
        roc,
        warnings,
        imputation=ImputedDevelopment(
            design,
            pooled,
            probabilities,
            _complete_case(X, y, keep, names, level=level),
            frequency,
            result.method,
        ),
    )
    return dev
