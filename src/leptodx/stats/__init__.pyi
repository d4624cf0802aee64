"""Public names of :mod:`leptodx.stats` (read by lazy_loader and by type checkers)."""

from ._distributions import critical_value, normal_quantile
from ._validation import StatsInputError
from .calibration import (
    CalibrationCurve,
    CalibrationResult,
    calibration,
    calibration_curve,
)
from .decision_curve import DecisionCurve, decision_curve
from .link import expit, logit
from .logistic import LogisticModel, SeparationError, likelihood_ratio_test
from .penalized import CvGlmnetResult, cv_glmnet
from .proportions import (
    chi_square_test,
    clopper_pearson_ci,
    fisher_exact,
    mcnemar_exact,
    wilson_ci,
)
from .roc import (
    AucComparison,
    AucResult,
    UnpairedAucComparison,
    auc_ci,
    compare_auc,
    compare_auc_unpaired,
)
from .roc_curve import RocCurve, roc_curve, threshold_table, youden_threshold
from .survival import (
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
from .validation import (
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
    "critical_value",
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
    "normal_quantile",
    "number_at_risk",
    "roc_curve",
    "threshold_table",
    "wilson_ci",
    "youden_threshold",
]
