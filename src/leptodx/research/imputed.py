"""Multiple imputation in ``develop`` and ``validate``: settings, imputing the design, pooling.

The imputation model holds every predictor of the specification (encoded as the analysis model
uses it) **and the outcome** (Moons et al. 2006; Sterne et al. 2009). Rows without the outcome
are excluded, not imputed. Pooling: Rubin's rules with Barnard–Rubin df for coefficients and
calibration intercept/slope (:mod:`leptodx.stats.pooling`), the AUC on the logit scale, and
averages over the imputed copies for Brier, O/E and the loess-based measures. Curves (loess
calibration, decision curve) are computed on the imputed copies stacked, which for net benefit
equals the average over the copies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from leptodx import stats
from leptodx.errors import InputError
from leptodx.models.spec import ModelSpec, PredictorType
from leptodx.research import _engine as engine
from leptodx.stats.imputation import ImputationMethod, MiceResult, mice
from leptodx.stats.pooling import PooledEstimate, pool_auc, pool_estimates, pool_scalar

Array = NDArray[np.float64]
IMPUTE_METHODS = ("mice",)
DEFAULT_IMPUTATIONS = 10
REFERENCES = (
    "van Buuren S, Groothuis-Oudshoorn K. mice: Multivariate imputation by chained equations in "
    "R. J Stat Softw 2011;45(3)",
    "Rubin DB. Multiple Imputation for Nonresponse in Surveys. Wiley 1987; Barnard J, Rubin DB. "
    "Biometrika 1999;86:948-955",
    "Marshall A, et al. Combining estimates of interest in prognostic modelling studies after "
    "multiple imputation. BMC Med Res Methodol 2009;9:57 (AUC on the logit scale)",
)


@dataclass(frozen=True)
class ImputationOptions:
    """What the user asked for (``--impute mice --imputations M``)."""

    m: int = DEFAULT_IMPUTATIONS
    seed: int = 1
    maxit: int = 5
    donors: int = 5
    method: str = "mice"


def imputation_options(
    impute: str | None, imputations: int | None, *, seed: int
) -> ImputationOptions | None:
    """Check ``--impute``/``--imputations``; ``None`` means complete-case analysis."""
    if impute is None:
        if imputations is not None:
            raise InputError("--imputations", imputations, "to be used with --impute mice")
        return None
    if impute not in IMPUTE_METHODS:
        raise InputError("--impute", impute, f"one of: {', '.join(IMPUTE_METHODS)}")
    m = DEFAULT_IMPUTATIONS if imputations is None else imputations
    if m < 2:
        raise InputError(
            "--imputations",
            m,
            "at least 2 imputations (Rubin's rules need the between-imputation variance)",
        )
    return ImputationOptions(m=m, seed=seed)


@dataclass(frozen=True)
class ImputedDesign:
    """The incomplete design, its ``m`` imputed copies and how they were made."""

    X: Array
    y: Array
    names: tuple[str, ...]
    fields: tuple[str, ...]
    copies: tuple[Array, ...]
    result: MiceResult
    options: ImputationOptions

    def to_dict(self) -> dict[str, Any]:
        """JSON of the imputation settings, as recorded in fitted-model files and results (the
        imputed copies themselves go to files: :mod:`leptodx.research.imputation_files`)."""
        methods = {
            n: (m.value or "complete (not imputed)")
            for n, m in zip((*self.names, "outcome"), self.result.methods, strict=True)
        }
        return {
            "method": "multiple imputation by chained equations (MICE)",
            "m": self.options.m,
            "maxit": self.options.maxit,
            "donors": self.options.donors,
            "seed": self.options.seed,
            "methods": methods,
            "imputation_model": "every predictor (encoded as in the analysis model) and the outcome",
            "pooling": "Rubin's rules, Barnard-Rubin df; AUC pooled on the logit scale",
            "rows_with_missing_values": int(self.result.missing.any(axis=1).sum()),
            "software": "LeptoDx MICE (algorithms of R mice 3.15: pmm, logreg)",
        }


def impute_design(X: Array, y: Array, spec: ModelSpec, options: ImputationOptions) -> ImputedDesign:
    """Impute the NaN cells of the encoded design ``X`` with the outcome in the model."""
    names = tuple(p.name for p in spec.predictors)
    for p, column in zip(spec.predictors, X.T, strict=True):
        if np.isnan(column).all():
            raise InputError(
                "--impute",
                options.method,
                f"predictors observed in at least one row; '{p.name}' ({p.field}) is missing in "
                "every row and cannot be imputed (drop it from the specification)",
            )
    return _impute(X, y, spec, options, names)


def _impute(
    X: Array, y: Array, spec: ModelSpec, options: ImputationOptions, names: tuple[str, ...]
) -> ImputedDesign:
    methods = [
        ImputationMethod.NONE
        if not np.isnan(col).any()
        else (ImputationMethod.LOGREG if p.type is PredictorType.BINARY else ImputationMethod.PMM)
        for p, col in zip(spec.predictors, X.T, strict=True)
    ]
    result = mice(
        np.column_stack([X, y]),
        m=options.m,
        maxit=options.maxit,
        methods=[*methods, ImputationMethod.NONE],
        donors=options.donors,
        random_state=options.seed,
        names=[*names, "outcome"],
    )
    copies = tuple(np.ascontiguousarray(c[:, :-1]) for c in result.imputations)
    return ImputedDesign(X, y, names, tuple(spec.fields), copies, result, options)


HEAVY_MISSING = 0.2
"""Above this share of missing values a variable's imputation gets a warning in the report."""


def missingness_warnings(design: ImputedDesign) -> list[str]:
    """Warnings for heavily imputed predictors (MAR is an assumption, not a fact)."""
    share = design.result.missing[:, : len(design.names)].mean(axis=0)
    heavy = [f"{n} {s:.0%}" for n, s in zip(design.names, share, strict=True) if s > HEAVY_MISSING]
    if not heavy:
        return []
    return [
        f"Heavily imputed: {', '.join(heavy)} missing. Multiple imputation assumes values are "
        "missing at random given the other predictors and the outcome; imputing a test that was "
        "not done (e.g. CSF values of patients without an LP) changes the population the model "
        "describes."
    ]


def imputer(spec: ModelSpec, options: ImputationOptions) -> Any:
    """``impute(X, y, seed)`` for the bootstrap: same settings, another seed."""

    def impute(X: Array, y: Array, seed: int) -> tuple[Array, ...]:
        again = ImputationOptions(options.m, seed, options.maxit, options.donors, options.method)
        names = tuple(p.name for p in spec.predictors)
        return _impute(X, y, spec, again, names).copies

    return impute


class LinearLogit:
    """Prediction from fixed (pooled) coefficients, shaped like a fitted ``LogisticModel``."""

    def __init__(self, intercept: float, coef: Array) -> None:
        self.intercept = intercept
        self.coef = coef

    def predict_proba(self, X: Array) -> Array:
        return np.asarray(engine.expit(self.intercept + X @ self.coef), dtype=float)


@dataclass(frozen=True)
class PooledLogistic:
    """Logistic model fitted on each imputed copy and pooled by Rubin's rules."""

    names: tuple[str, ...]
    terms: tuple[PooledEstimate, ...]
    """Intercept first, then one per selected predictor."""

    def as_fit(self) -> engine.LogisticFit:
        """The pooled model in the shape the reports use (SE = √T)."""
        coef = np.array([t.estimate for t in self.terms[1:]])
        se = np.array([t.std_error for t in self.terms[1:]])
        intercept = self.terms[0].estimate
        return engine.LogisticFit(
            intercept, coef, se, self.terms[0].std_error, LinearLogit(intercept, coef)
        )

    def to_dict(self) -> dict[str, Any]:
        """Each pooled term by name, intercept first (``metrics.pooled`` of the model file)."""
        names = ("(Intercept)", *self.names)
        return {name: term.to_dict() for name, term in zip(names, self.terms, strict=True)}


def fit_pooled(
    copies: Sequence[Array],
    y: Array,
    keep: NDArray[np.bool_],
    names: Sequence[str],
    *,
    level: float,
) -> PooledLogistic:
    """ML logistic fit on every copy (selected columns), pooled; ``dfcom = n − k − 1`` like glm."""
    selected = [n for n, k in zip(names, keep, strict=True) if k]
    fits = [engine.fit_logistic(c[:, keep], y, selected) for c in copies]
    estimates = [[f.intercept, *f.coef] for f in fits]
    std_errors = [[f.intercept_se, *f.se] for f in fits]
    dfcom = y.size - len(selected) - 1
    terms = pool_estimates(estimates, std_errors, dfcom=max(dfcom, 1), level=level)
    return PooledLogistic(tuple(selected), tuple(terms))


def select_by_majority(
    copies: Sequence[Array], y: Array, *, seed: int
) -> tuple[NDArray[np.bool_], NDArray[np.float64], float]:
    """LASSO on each copy; keep predictors selected in at least half (Wood, White & Royston 2008).

    Returns ``(keep, selection_frequency, median λ_min)``.
    """
    runs = [engine.lasso_select(c, y, seed=seed) for c in copies]
    frequency = np.mean([keep for keep, _ in runs], axis=0)
    return frequency >= 0.5, frequency, float(np.median([lam for _, lam in runs]))


def pooled_auc(y: Array, probabilities: Sequence[Array], *, level: float) -> engine.Auc:
    """AUC per copy (DeLong SE) pooled on the logit scale; SE back on the AUC scale (delta)."""
    single = [engine.auc(y, p, level=level) for p in probabilities]
    auc, ci, pooled = pool_auc([a.auc for a in single], [a.se for a in single], level=level)
    return engine.Auc(auc, ci, pooled.std_error * auc * (1.0 - auc))


def _wald_se(ci: Sequence[float], level: float) -> float:
    """Standard error recovered from a symmetric Wald interval."""
    return float((ci[1] - ci[0]) / (2.0 * stats.critical_value(level)))


def pooled_calibration(
    y: Array, probabilities: Sequence[Array], *, level: float
) -> engine.CalibrationStats:
    """Calibration intercept and slope pooled by Rubin's rules; other measures averaged."""
    single = [engine.calibration_stats(y, p, level=level) for p in probabilities]
    intercept, slope = (
        pool_scalar(
            [getattr(s, key) for s in single],
            [_wald_se(getattr(s, f"{key}_ci"), level) ** 2 for s in single],
            dfcom=max(y.size - k, 1),
            level=level,
        )
        for key, k in (("intercept", 1), ("slope", 2))
    )
    mean = {
        key: float(np.mean([getattr(s, key) for s in single]))
        for key in ("brier", "scaled_brier", "oe_ratio", "ici", "e50", "e90", "emax")
    }
    return engine.CalibrationStats(
        intercept=intercept.estimate,
        intercept_ci=intercept.ci,
        slope=slope.estimate,
        slope_ci=slope.ci,
        intercept_fmi=intercept.fmi,
        slope_fmi=slope.fmi,
        **mean,
    )


def pooled_compare(
    y: Array,
    model: Sequence[Array],
    test: Array,
    label: str,
    *,
    level: float,
    n_total: int,
) -> engine.TestComparison:
    """Paired DeLong comparison per copy, pooled: AUCs on the logit scale, difference by Rubin."""
    single = [engine.compare(y, p, test, label, level=level, n_total=n_total) for p in model]
    z = stats.critical_value(level)
    diff = pool_scalar(
        [c.difference for c in single],
        [_wald_se(c.difference_ci, level) ** 2 for c in single],
        level=level,
    )
    a = pooled_auc(y, model, level=level)
    b = engine.auc(y, test, level=level)
    return engine.TestComparison(
        label,
        int(y.size),
        n_total,
        a.auc,
        a.ci,
        b.auc,
        b.ci,
        diff.estimate,
        diff.ci,
        diff.statistic,
        diff.p_value,
        method=f"paired DeLong per imputation, pooled by Rubin's rules (z crit {z:.2f})",
    )


def compare_tests_pooled(
    data: Any, spec: ModelSpec, y: Array, probabilities: Sequence[Array], *, level: float
) -> tuple[dict[str, tuple[Array, Array]], list[engine.TestComparison], dict[str, Array]]:
    """Single-test comparisons pooled over the copies, with ROC points of the mean risk.

    Returns ``(roc, comparisons, stacked_tests)``; ``stacked_tests`` holds, for the decision
    curve, each test every patient has, repeated once per copy.
    """
    from leptodx.research.develop import SINGLE_TESTS, compare_single_tests

    mean_risk = np.mean(probabilities, axis=0)
    roc, single = compare_single_tests(data, spec, y, mean_risk, {}, level=level)
    column_of = {label: column for column, label in SINGLE_TESTS.items()}
    comparisons, tests = [], {}
    for c in single:
        test = data[column_of[c.test]].to_numpy(dtype=float)
        have = ~np.isnan(test)
        comparisons.append(
            pooled_compare(
                y[have],
                [p[have] for p in probabilities],
                test[have],
                c.test,
                level=level,
                n_total=len(y),
            )
        )
        if have.all():
            tests[c.test] = np.tile(test, len(probabilities))
    return roc, comparisons, tests


def stacked(y: Array, probabilities: Sequence[Array]) -> tuple[Array, Array]:
    """Outcome and predictions of the imputed copies stacked (for curves)."""
    return np.tile(y, len(probabilities)), np.concatenate(list(probabilities))


def stacked_curve(y: Array, probabilities: Sequence[Array]) -> engine.Curve:
    """Loess calibration curve of the stacked copies; no band (stacking overstates precision)."""
    ys, ps = stacked(y, probabilities)
    curve = engine.calibration_curve(ys, ps)
    return engine.Curve(curve.x, curve.y, None, None)
