"""Numeric engine: plain arrays in, small frozen results out; inputs validated once at entry."""

from leptodx.stats._validation import StatsInputError
from leptodx.stats.calibration import (
    CalibrationCurve,
    CalibrationResult,
    calibration,
    calibration_curve,
)
from leptodx.stats.decision_curve import DecisionCurve, decision_curve
from leptodx.stats.link import expit, logit
from leptodx.stats.logistic import LogisticModel, SeparationError, likelihood_ratio_test
from leptodx.stats.penalized import CvGlmnetResult, cv_glmnet
from leptodx.stats.proportions import (
    chi_square_test,
    clopper_pearson_ci,
    fisher_exact,
    mcnemar_exact,
    wilson_ci,
)
from leptodx.stats.roc import (
    AucComparison,
    AucResult,
    UnpairedAucComparison,
    auc_ci,
    compare_auc,
    compare_auc_unpaired,
)
from leptodx.stats.roc_curve import RocCurve, roc_curve, threshold_table, youden_threshold
from leptodx.stats.survival import (
    AtRiskTable,
    CoxResult,
    CoxTerm,
    KaplanMeierCurve,
    LogRankResult,
    cox_ph,
    kaplan_meier,
    logrank_test,
    number_at_risk,
)
from leptodx.stats.validation import (
    ValidationResult,
    bootstrap_validate,
    lasso_procedure,
    logistic_procedure,
)

__all__ = [
    "AtRiskTable",
    "AucComparison",
    "AucResult",
    "CalibrationCurve",
    "CalibrationResult",
    "CoxResult",
    "CoxTerm",
    "CvGlmnetResult",
    "DecisionCurve",
    "KaplanMeierCurve",
    "LogRankResult",
    "LogisticModel",
    "RocCurve",
    "SeparationError",
    "StatsInputError",
    "UnpairedAucComparison",
    "ValidationResult",
    "auc_ci",
    "bootstrap_validate",
    "calibration",
    "calibration_curve",
    "chi_square_test",
    "clopper_pearson_ci",
    "compare_auc",
    "compare_auc_unpaired",
    "cox_ph",
    "cv_glmnet",
    "decision_curve",
    "expit",
    "fisher_exact",
    "kaplan_meier",
    "lasso_procedure",
    "likelihood_ratio_test",
    "logistic_procedure",
    "logit",
    "logrank_test",
    "mcnemar_exact",
    "number_at_risk",
    "roc_curve",
    "threshold_table",
    "wilson_ci",
    "youden_threshold",
]
