"""Bivariate meta-regression: compare index tests, or study subgroups, on logit sensitivity and
logit specificity with one shared between-study covariance (as ``mada::reitsma(formula =
cbind(tsens, tfpr) ~ test)`` and ``metafor::rma.mv(..., mods = ~ outcome + outcome:test)``).

Each row of the input is an independent unit. A study that reports several index tests on the
same patients contributes correlated rows; that pairing is not modelled (as in mada and metandi)
and is flagged in the warnings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scipy import stats

from leptodx.meta._covariance import correlation
from leptodx.meta.design import Design
from leptodx.meta.fitting import Method, ModelFit, fit_model
from leptodx.meta.results import Contrast, contrasts
from leptodx.meta.studies import ContinuityCorrection, StudyTable


@dataclass(frozen=True, slots=True)
class Regression:
    """A fitted meta-regression with one contrast per non-intercept term."""

    variable: str
    """``test`` or the covariate's column name."""
    subset: str | None
    """Index test the regression is restricted to (covariate regressions), else None."""
    fit: ModelFit
    contrasts: tuple[Contrast, ...]
    overall: tuple[float, int]
    """Joint Wald χ² and its degrees of freedom for all non-intercept terms."""
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        fit, design = self.fit, self.fit.design
        ok = fit.converged
        rho = correlation(fit.sigma) if ok else math.nan
        chi2, df = self.overall
        return {
            "variable": self.variable,
            "test": self.subset,
            "k": fit.k,
            "method": fit.method.value,
            "numeric": design.numeric,
            "centre": design.centre,
            "reference": design.reference,
            "converged": ok,
            "message": fit.message,
            "tau2_sensitivity": float(fit.sigma[0, 0]) if ok else None,
            "tau2_fpr": float(fit.sigma[1, 1]) if ok else None,
            "rho": None if not math.isfinite(rho) else rho,
            "continuity_correction": {
                "applied": fit.correction_applied,
                "studies": list(fit.corrected_studies),
            },
            "contrasts": [c.as_dict() for c in self.contrasts] if ok else None,
            "wald_overall": {"chi2": chi2, "df": df, "p_value": float(stats.chi2.sf(chi2, df))}
            if ok
            else None,
            "warnings": list(self.warnings),
        }


def minimum_studies(design: Design) -> int:
    """Fewest studies for which the model is identifiable: 2k observations must exceed the 2p
    fixed effects by at least the 3 covariance parameters plus one."""
    return design.n_terms + 2


def meta_regression(
    table: StudyTable,
    design: Design,
    *,
    variable: str,
    subset: str | None,
    method: Method,
    correction: ContinuityCorrection,
    level: float,
    n_quadrature: int = 1,
) -> Regression:
    """Fit the bivariate model on ``design`` and derive the contrasts (only if converged)."""
    fit = fit_model(table, design, method, correction, n_quadrature=n_quadrature)
    warnings: list[str] = []
    if not fit.converged:
        where = f" within {subset}" if subset else ""
        warnings.append(
            f"meta-regression on {variable}{where} did not converge ({fit.message}); "
            "no contrast is reported"
        )
        return Regression(variable, subset, fit, (), (math.nan, 0), tuple(warnings))
    found, overall = contrasts(fit, level)
    return Regression(variable, subset, fit, found, overall, tuple(warnings))
