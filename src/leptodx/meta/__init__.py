"""Diagnostic-accuracy meta-analysis (``leptodx meta dta``).

Bivariate random-effects model (Reitsma et al. 2005, REML), exact-binomial bivariate GLMM (Chu &
Cole 2006), univariate random-effects pooling with I², bivariate meta-regression on the index
test or a study covariate, summary measures (DOR, likelihood ratios, HSROC curve and its AUC)
and confidence/prediction regions. Numbers agree with R ``metafor::rma.mv`` and
``lme4::glmer`` (``tests/reference_values/meta``). See ``docs/meta-analysis.md``.

The numeric modules import no plotting or I/O library; figures and reports are in
:mod:`leptodx.meta.figures` and :mod:`leptodx.meta.report`.
"""

from leptodx.meta.analysis import MetaAnalysis, MetaOptions, analyse
from leptodx.meta.fitting import Method
from leptodx.meta.studies import (
    ContinuityCorrection,
    CorrectionControl,
    Study,
    StudyTable,
)

__all__ = [
    "ContinuityCorrection",
    "CorrectionControl",
    "MetaAnalysis",
    "MetaOptions",
    "Method",
    "Study",
    "StudyTable",
    "analyse",
]
