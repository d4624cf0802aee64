"""Summary measures of a bivariate fit: sensitivity, specificity, DOR, likelihood ratios, HSROC
curve and its AUC, confidence and prediction regions.

All intervals are Wald intervals on the logit or log scale, back-transformed:

- sensitivity = expit(μ₁), specificity = 1 − expit(μ₂) (μ₂ = mean logit FPR);
- log DOR = μ₁ − μ₂ (linear: exact variance ``v₁₁ + v₂₂ − 2v₁₂``);
- log LR+ = log expit(μ₁) − log expit(μ₂), log LR− = log(1 − expit(μ₁)) − log(1 − expit(μ₂)),
  variances by the delta method with gradients ``(1 − sens, −(1 − fpr))`` and ``(−sens, fpr)``.

These are the likelihood ratios *of the summary point* (Zwinderman & Bossuyt 2008 caution that
they are not the mean study-level ratios). mada computes the same quantities by simulation.

HSROC parameters from the bivariate ones (Harbord et al. 2007), with the signs for logit FPR as in
``mada::summary.reitsma``: ``β = log(τ₂/τ₁)``, ``Λ = √(τ₂/τ₁) μ₁ − √(τ₁/τ₂) μ₂``,
``Θ = ½(√(τ₂/τ₁) μ₁ + √(τ₁/τ₂) μ₂)``, ``σ²_α = 2(τ₁τ₂ − σ₁₂)``, ``σ²_θ = ½(τ₁τ₂ + σ₁₂)``.
The HSROC (Rutter–Gatsonis) curve is ``logit sens = Λ e^{−β/2} + e^{−β} logit FPR``; its AUC is
the integral over FPR in (0, 1) by adaptive quadrature (``mada::AUC`` uses a 99-point rule on
0.01–0.99 instead and differs in the third decimal).

Regions (as ``mada::plot.reitsma``): the confidence region of the summary point is the ellipse
``(m − μ)ᵀ V⁻¹ (m − μ) = χ²₂(level)`` with ``V`` the covariance of μ; the prediction region uses
``Σ + V``. Both are drawn in logit space and back-transformed to the ROC plane.

References
----------
Harbord RM, et al. A unification of models for meta-analysis of diagnostic accuracy studies.
Biostatistics 2007;8:239–251.
Zwinderman AH, Bossuyt PM. We should not pool diagnostic likelihood ratios in systematic reviews.
Stat Med 2008;27:687–697.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import integrate, special, stats

from leptodx.stats import critical_value

Array = NDArray[np.float64]
VARIANCE_FLOOR = 1e-10
"""Between-study variances below this are treated as 0 (HSROC shape and correlation undefined)."""


@dataclass(frozen=True, slots=True)
class Interval:
    """An estimate with its confidence interval."""

    estimate: float
    ci_lower: float
    ci_upper: float

    def as_dict(self) -> dict[str, float]:
        return {"estimate": self.estimate, "ci_lower": self.ci_lower, "ci_upper": self.ci_upper}


def z_value(level: float) -> float:
    """Two-sided standard-normal quantile for a ``level`` confidence interval."""
    return critical_value(level)


def wald(estimate: float, se: float, level: float) -> Interval:
    z = z_value(level)
    return Interval(estimate, estimate - z * se, estimate + z * se)


def expit_interval(interval: Interval) -> Interval:
    """A logit-scale interval back-transformed to a proportion."""
    return Interval(
        *(
            float(special.expit(v))
            for v in (interval.estimate, interval.ci_lower, interval.ci_upper)
        )
    )


def _exp(interval: Interval) -> Interval:
    return Interval(
        *(math.exp(v) for v in (interval.estimate, interval.ci_lower, interval.ci_upper))
    )


@dataclass(frozen=True, slots=True)
class SummaryPoint:
    """Pooled sensitivity, specificity, DOR and likelihood ratios with CIs."""

    sensitivity: Interval
    specificity: Interval
    dor: Interval
    lr_positive: Interval
    lr_negative: Interval


def summary_point(mu: Array, vcov: Array, level: float = 0.95) -> SummaryPoint:
    """Summary measures from ``μ = (mean logit sens, mean logit FPR)`` and its covariance."""
    se = np.sqrt(np.diag(vcov))
    sens = float(special.expit(mu[0]))
    fpr = float(special.expit(mu[1]))
    logit_fpr = wald(float(mu[1]), float(se[1]), level)
    specificity = Interval(
        1 - float(special.expit(logit_fpr.estimate)),
        1 - float(special.expit(logit_fpr.ci_upper)),
        1 - float(special.expit(logit_fpr.ci_lower)),
    )

    def delta(gradient: Array) -> float:
        return float(np.sqrt(gradient @ vcov @ gradient))

    return SummaryPoint(
        sensitivity=expit_interval(wald(float(mu[0]), float(se[0]), level)),
        specificity=specificity,
        dor=_exp(wald(float(mu[0] - mu[1]), delta(np.array([1.0, -1.0])), level)),
        lr_positive=_exp(
            wald(math.log(sens) - math.log(fpr), delta(np.array([1 - sens, -(1 - fpr)])), level)
        ),
        lr_negative=_exp(
            wald(math.log1p(-sens) - math.log1p(-fpr), delta(np.array([-sens, fpr])), level)
        ),
    )


@dataclass(frozen=True, slots=True)
class Hsroc:
    """HSROC parameters (Rutter & Gatsonis 2001) equivalent to a bivariate fit."""

    lambda_: float
    theta: float
    beta: float
    sigma2_alpha: float
    sigma2_theta: float

    def sensitivity(self, fpr: Array) -> Array:
        """The HSROC curve: sensitivity at false-positive rates ``fpr`` in (0, 1)."""
        return np.asarray(
            special.expit(
                self.lambda_ * math.exp(-self.beta / 2) + math.exp(-self.beta) * special.logit(fpr)
            ),
            dtype=np.float64,
        )

    def auc(self) -> float:
        """Area under the HSROC curve over FPR in (0, 1)."""
        value, _ = integrate.quad(
            lambda x: float(self.sensitivity(np.array([x]))[0]),
            0.0,
            1.0,
            epsabs=1e-13,
            epsrel=1e-12,
            limit=200,
        )
        return float(value)

    def as_dict(self) -> dict[str, float]:
        return {
            "lambda": self.lambda_,
            "theta": self.theta,
            "beta": self.beta,
            "sigma2_alpha": self.sigma2_alpha,
            "sigma2_theta": self.sigma2_theta,
        }


def hsroc(mu: Array, sigma: Array) -> Hsroc | None:
    """HSROC parameters, or None when a between-study variance is 0 (the curve's slope
    ``e^{−β}`` is then 0 or infinite)."""
    if sigma[0, 0] < VARIANCE_FLOOR or sigma[1, 1] < VARIANCE_FLOOR:
        return None
    t1, t2 = math.sqrt(sigma[0, 0]), math.sqrt(sigma[1, 1])
    m1, m2 = float(mu[0]), float(mu[1])
    return Hsroc(
        lambda_=math.sqrt(t2 / t1) * m1 - math.sqrt(t1 / t2) * m2,
        theta=0.5 * (math.sqrt(t2 / t1) * m1 + math.sqrt(t1 / t2) * m2),
        beta=math.log(t2 / t1),
        sigma2_alpha=2 * (t1 * t2 - float(sigma[0, 1])),
        sigma2_theta=0.5 * (t1 * t2 + float(sigma[0, 1])),
    )


def region(
    mu: Array, covariance: Array, level: float = 0.95, n_points: int = 181
) -> tuple[Array, Array]:
    """Ellipse ``(m − μ)ᵀ C⁻¹ (m − μ) = χ²₂(level)`` in logit space, returned in the ROC plane
    as ``(fpr, sensitivity)`` arrays (closed: first point repeated at the end)."""
    radius = math.sqrt(float(stats.chi2.ppf(level, 2)))
    angle = np.linspace(0.0, 2 * np.pi, n_points)
    circle = np.vstack([np.cos(angle), np.sin(angle)])
    values, vectors = np.linalg.eigh(covariance)
    root = vectors @ np.diag(np.sqrt(np.maximum(values, 0.0)))
    points = mu[:, None] + radius * (root @ circle)
    return special.expit(points[1]), special.expit(points[0])
