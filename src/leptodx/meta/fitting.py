"""One entry point for the bivariate models: Reitsma REML or the binomial GLMM on a design."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from leptodx.meta._covariance import Estimates
from leptodx.meta.bivariate import fit_reitsma
from leptodx.meta.design import Design
from leptodx.meta.glmm import fit_glmm
from leptodx.meta.studies import ContinuityCorrection, StudyTable

Array = NDArray[np.float64]


class Method(StrEnum):
    """Pooling model."""

    REITSMA = "reitsma"
    """Bivariate normal random effects on the logits, REML (Reitsma et al. 2005)."""
    GLMM = "glmm"
    """Exact-binomial bivariate GLMM, maximum likelihood (Chu & Cole 2006)."""
    UNIVARIATE = "univariate"
    """Separate univariate random-effects pooling of logit sensitivity and specificity."""


METHOD_TEXT = {
    Method.REITSMA: "bivariate random-effects model (Reitsma et al. 2005), REML",
    Method.GLMM: "exact-binomial bivariate GLMM (Chu & Cole 2006), maximum likelihood",
    Method.UNIVARIATE: "univariate random-effects pooling of each logit, REML",
}


@dataclass(frozen=True, slots=True)
class ModelFit:
    """A fitted bivariate model on a design (estimates are not to be shown unless converged)."""

    method: Method
    design: Design
    estimates: Estimates
    correction_applied: bool
    corrected_studies: tuple[str, ...]
    n_quadrature: int | None = None

    @property
    def k(self) -> int:
        return int(self.design.matrix.shape[0])

    @property
    def coef(self) -> Array:
        return self.estimates.coef

    @property
    def vcov(self) -> Array:
        return self.estimates.vcov

    @property
    def sigma(self) -> Array:
        return self.estimates.sigma

    @property
    def converged(self) -> bool:
        return self.estimates.converged

    @property
    def message(self) -> str:
        return self.estimates.message


def corrected_logits(
    table: StudyTable, correction: ContinuityCorrection
) -> tuple[Array, Array, tuple[str, ...]]:
    """Logits ``(k, 2)``, within-study variances ``(k, 2)`` and the names of corrected studies."""
    counts, applied = correction.apply(table.counts(), table.names)
    tp, fp, fn, tn = counts.T
    y = np.column_stack([np.log(tp / fn), np.log(fp / tn)])
    within = np.column_stack([1 / tp + 1 / fn, 1 / fp + 1 / tn])
    names = tuple(n for n, a in zip(table.names, applied, strict=True) if a)
    return y, within, names


def fit_model(
    table: StudyTable,
    design: Design,
    method: Method,
    correction: ContinuityCorrection,
    *,
    n_quadrature: int = 1,
) -> ModelFit:
    """Fit the Reitsma model or the GLMM (``method`` must not be univariate)."""
    if method is Method.REITSMA:
        y, within, corrected = corrected_logits(table, correction)
        reml = fit_reitsma(y, within, design.matrix)
        return ModelFit(method, design, reml, bool(corrected), corrected)
    counts = table.counts()
    events = counts[:, [0, 1]]
    totals = np.column_stack([counts[:, 0] + counts[:, 2], counts[:, 1] + counts[:, 3]])
    y, within, _ = corrected_logits(table, ContinuityCorrection())
    start = fit_reitsma(y, within, design.matrix)
    glmm = fit_glmm(
        events,
        totals,
        design.matrix,
        start_coef=start.coef if start.converged else None,
        start_sigma=start.sigma if start.converged else None,
        n_quadrature=n_quadrature,
    )
    return ModelFit(method, design, glmm, False, (), n_quadrature)
