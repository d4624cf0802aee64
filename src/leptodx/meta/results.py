"""Result objects of a diagnostic-accuracy meta-analysis and their JSON form.

The JSON field names of a test (``test, k, sensitivity, specificity, tau2_sensitivity, tau2_fpr,
rho, dor, lr_positive, lr_negative, auc_sroc, converged``) are a contract
(``docs/meta-analysis.md``). A fit that did not converge reports ``converged: false``, a warning,
and ``null`` for every estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from leptodx.meta._covariance import correlation
from leptodx.meta.fitting import ModelFit
from leptodx.meta.studies import Study
from leptodx.meta.summary import Hsroc, Interval, SummaryPoint, expit_interval, z_value
from leptodx.meta.univariate import UnivariateFit
from leptodx.stats.proportions import wilson_ci


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


@dataclass(frozen=True, slots=True)
class StudyRow:
    """One study's counts with Wilson CIs of its sensitivity and specificity (uncorrected)."""

    study: Study
    sensitivity: Interval
    specificity: Interval

    @classmethod
    def of(cls, study: Study, level: float) -> StudyRow:
        sens = wilson_ci(study.tp, study.n_diseased, level=level)
        spec = wilson_ci(study.tn, study.n_non_diseased, level=level)
        return cls(study, Interval(sens.estimate, *sens.ci), Interval(spec.estimate, *spec.ci))

    def as_dict(self) -> dict[str, Any]:
        s = self.study
        return {
            "study": s.name,
            "row": s.row,
            "tp": s.tp,
            "fp": s.fp,
            "fn": s.fn,
            "tn": s.tn,
            "sensitivity": self.sensitivity.as_dict(),
            "specificity": self.specificity.as_dict(),
            "covariates": dict(s.covariates),
        }


def univariate_dict(
    fit: UnivariateFit | None, *, complement: bool = False
) -> dict[str, Any] | None:
    """Pooled proportion (back-transformed logit) with CI, τ², I², Q."""
    if fit is None:
        return None
    from scipy.special import expit

    return {
        "estimate": float(expit(fit.logit.estimate)),
        "ci_lower": float(expit(fit.logit.ci_lower)),
        "ci_upper": float(expit(fit.logit.ci_upper)),
        "logit": fit.logit.estimate,
        "logit_se": fit.se,
        "tau2": fit.tau2,
        "i2_percent": fit.i2_percent,
        "q": fit.q,
        "q_df": fit.q_df,
        "q_p": fit.q_p,
        "k": fit.k,
    }


@dataclass(frozen=True, slots=True)
class TestResult:
    """Pooled accuracy of one index test."""

    test: str
    studies: tuple[StudyRow, ...]
    fit: ModelFit | None
    """Bivariate fit (None for the univariate method)."""
    point: SummaryPoint | None
    """Summary point; None when the fit did not converge."""
    hsroc: Hsroc | None
    auc: float | None
    univariate: tuple[UnivariateFit, UnivariateFit] | None
    """Univariate pooling of logit sensitivity and logit specificity (k ≥ 2)."""
    univariate_correction: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def k(self) -> int:
        return len(self.studies)

    @property
    def pooled(self) -> tuple[Interval, Interval] | None:
        """Pooled sensitivity and specificity: the bivariate summary point, or for the
        univariate method the two univariate estimates."""
        if self.point is not None:
            return self.point.sensitivity, self.point.specificity
        if self.fit is None and self.univariate is not None:
            return expit_interval(self.univariate[0].logit), expit_interval(
                self.univariate[1].logit
            )
        return None

    @property
    def converged(self) -> bool:
        return self.fit.converged if self.fit is not None else self.univariate is not None

    @property
    def rho(self) -> float | None:
        if self.fit is None or not self.fit.converged:
            return None
        return _finite(correlation(self.fit.sigma))

    def as_dict(self) -> dict[str, Any]:
        fit, point, pooled = self.fit, self.point, self.pooled
        uni = self.univariate
        tau2: tuple[float | None, float | None] = (None, None)
        if fit is not None and fit.converged:
            tau2 = (float(fit.sigma[0, 0]), float(fit.sigma[1, 1]))
        elif fit is None and uni is not None:
            tau2 = (uni[0].tau2, uni[1].tau2)
        logit = None
        if fit is not None and fit.converged:
            se = np.sqrt(np.diag(fit.vcov))
            logit = {
                "sensitivity": {"estimate": float(fit.coef[0]), "se": float(se[0])},
                "fpr": {"estimate": float(fit.coef[1]), "se": float(se[1])},
                "covariance": fit.vcov.tolist(),
                "vcov_method": fit.estimates.vcov_method,
            }
        return {
            "test": self.test,
            "k": self.k,
            "sensitivity": None if pooled is None else pooled[0].as_dict(),
            "specificity": None if pooled is None else pooled[1].as_dict(),
            "tau2_sensitivity": _finite(tau2[0]),
            "tau2_fpr": _finite(tau2[1]),
            "rho": self.rho,
            "dor": None if point is None else point.dor.as_dict(),
            "lr_positive": None if point is None else point.lr_positive.as_dict(),
            "lr_negative": None if point is None else point.lr_negative.as_dict(),
            "auc_sroc": _finite(self.auc),
            "converged": self.converged,
            "method": None if fit is None else fit.method.value,
            "message": None if fit is None else fit.message,
            "n_diseased": sum(r.study.n_diseased for r in self.studies),
            "n_non_diseased": sum(r.study.n_non_diseased for r in self.studies),
            "logit": logit,
            "hsroc": None if self.hsroc is None else self.hsroc.as_dict(),
            "log_likelihood": None
            if fit is None or not fit.converged
            else _finite(fit.estimates.loglik),
            "continuity_correction": {
                "applied": bool(fit.correction_applied)
                if fit is not None
                else bool(self.univariate_correction),
                "studies": list(
                    fit.corrected_studies if fit is not None else self.univariate_correction
                ),
            },
            "univariate": None
            if uni is None
            else {
                "sensitivity": univariate_dict(uni[0]),
                "specificity": univariate_dict(uni[1]),
                "continuity_correction_studies": list(self.univariate_correction),
            },
            "studies": [r.as_dict() for r in self.studies],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True, slots=True)
class Contrast:
    """Differences in logit sensitivity and logit specificity for one term of a regression."""

    term: str
    sensitivity: Interval
    sensitivity_se: float
    specificity: Interval
    specificity_se: float
    chi2: float
    """Joint Wald χ² (2 df) of both differences."""

    @staticmethod
    def _one(interval: Interval, se: float) -> dict[str, float]:
        p = 2 * float(stats.norm.sf(abs(interval.estimate) / se))
        return {**interval.as_dict(), "se": se, "p_value": p}

    def as_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "difference_logit_sensitivity": self._one(self.sensitivity, self.sensitivity_se),
            "difference_logit_specificity": self._one(self.specificity, self.specificity_se),
            "wald": {"chi2": self.chi2, "df": 2, "p_value": float(stats.chi2.sf(self.chi2, 2))},
        }


def contrasts(fit: ModelFit, level: float) -> tuple[tuple[Contrast, ...], tuple[float, int]]:
    """One contrast per non-intercept term and the joint Wald test of all of them."""
    design, coef, vcov = fit.design, fit.coef, fit.vcov
    z = z_value(level)
    out = []
    for j, term in enumerate(design.terms[1:], start=1):
        i_s, i_f = design.index(0, j), design.index(1, j)
        se_s, se_f = math.sqrt(vcov[i_s, i_s]), math.sqrt(vcov[i_f, i_f])
        d_s, d_f = float(coef[i_s]), -float(coef[i_f])
        pair = np.array([i_s, i_f])
        b = coef[pair]
        chi2 = float(b @ np.linalg.solve(vcov[np.ix_(pair, pair)], b))
        label = f"{term} (per 1 unit)" if design.numeric else term
        out.append(
            Contrast(
                label,
                Interval(d_s, d_s - z * se_s, d_s + z * se_s),
                se_s,
                Interval(d_f, d_f - z * se_f, d_f + z * se_f),
                se_f,
                chi2,
            )
        )
    idx = np.array(
        [design.index(o, j) for j in range(1, design.n_terms) for o in (0, 1)], dtype=int
    )
    b = coef[idx]
    overall = float(b @ np.linalg.solve(vcov[np.ix_(idx, idx)], b)) if len(idx) else 0.0
    return tuple(out), (overall, len(idx))
