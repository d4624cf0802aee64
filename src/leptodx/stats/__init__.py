"""Numeric engine: plain arrays in, small frozen results out; inputs validated once at entry."""

from leptodx.stats._validation import StatsInputError
from leptodx.stats.decision_curve import DecisionCurve, decision_curve
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

__all__ = [
    "AucComparison",
    "AucResult",
    "DecisionCurve",
    "RocCurve",
    "StatsInputError",
    "UnpairedAucComparison",
    "auc_ci",
    "chi_square_test",
    "clopper_pearson_ci",
    "compare_auc",
    "compare_auc_unpaired",
    "decision_curve",
    "fisher_exact",
    "mcnemar_exact",
    "roc_curve",
    "threshold_table",
    "wilson_ci",
    "youden_threshold",
]
