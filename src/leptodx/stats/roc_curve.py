"""ROC curve points, a threshold table with Wilson CIs, and the Youden optimum.

A patient is test-positive when ``score >= threshold``; thresholds are the observed distinct
scores (pROC uses midpoints between them, which classify the same patients).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leptodx.stats.proportions import wilson_ci
from leptodx.stats.roc import _checked


@dataclass(frozen=True, slots=True)
class RocCurve:
    thresholds: NDArray[np.float64]
    """Descending; the first point (fpr = tpr = 0) has threshold +inf."""
    fpr: NDArray[np.float64]
    tpr: NDArray[np.float64]

    def to_dict(self) -> dict[str, Any]:
        """JSON of the curve: thresholds (the first, +inf, as null), fpr and tpr."""
        from leptodx.jsonsafe import fields_json

        return fields_json(self)


def _counts_at(
    y: NDArray[np.bool_], s: NDArray[np.float64], thresholds: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    pos, neg = np.sort(s[y]), np.sort(s[~y])
    tp = pos.size - np.searchsorted(pos, thresholds, side="left")
    fp = neg.size - np.searchsorted(neg, thresholds, side="left")
    return tp.astype(np.float64), fp.astype(np.float64)


def roc_curve(y_true: ArrayLike, y_score: ArrayLike) -> RocCurve:
    """Empirical ROC curve over all distinct scores (sensitivity vs 1 − specificity)."""
    y, s = _checked(y_true, y_score)
    thresholds = np.concatenate(([np.inf], np.unique(s)[::-1]))
    tp, fp = _counts_at(y, s, thresholds)
    return RocCurve(thresholds, fp / (~y).sum(), tp / y.sum())


@dataclass(frozen=True, slots=True)
class ThresholdRow:
    threshold: float
    sensitivity: float
    sensitivity_ci: tuple[float, float]
    specificity: float
    specificity_ci: tuple[float, float]
    ppv: float | None
    ppv_ci: tuple[float, float] | None
    npv: float | None
    npv_ci: tuple[float, float] | None

    def to_dict(self) -> dict[str, Any]:
        """JSON of the row (undefined PPV/NPV and their CIs as null)."""
        from leptodx.jsonsafe import fields_json

        return fields_json(self)


def threshold_table(
    y_true: ArrayLike, y_score: ArrayLike, thresholds: ArrayLike, *, level: float = 0.95
) -> list[ThresholdRow]:
    """Sensitivity, specificity, PPV and NPV at each threshold, with Wilson CIs.

    PPV and NPV are those of the sample (its prevalence); they are ``None`` when no patient is
    test-positive (PPV) or test-negative (NPV).
    """
    y, s = _checked(y_true, y_score)
    t = np.asarray(thresholds, dtype=np.float64)
    tp, fp = _counts_at(y, s, t)
    n1, n0 = int(y.sum()), int((~y).sum())
    rows = []
    for thr, tp_i, fp_i in zip(t, tp.astype(int), fp.astype(int), strict=True):
        fn_i, tn_i = n1 - tp_i, n0 - fp_i
        sens, spec = wilson_ci(tp_i, n1, level=level), wilson_ci(tn_i, n0, level=level)
        ppv = wilson_ci(tp_i, tp_i + fp_i, level=level) if tp_i + fp_i else None
        npv = wilson_ci(tn_i, tn_i + fn_i, level=level) if tn_i + fn_i else None
        rows.append(
            ThresholdRow(
                float(thr),
                sens.estimate,
                sens.ci,
                spec.estimate,
                spec.ci,
                ppv.estimate if ppv else None,
                ppv.ci if ppv else None,
                npv.estimate if npv else None,
                npv.ci if npv else None,
            )
        )
    return rows


def youden_threshold(y_true: ArrayLike, y_score: ArrayLike) -> tuple[float, float]:
    """Threshold maximising sensitivity + specificity − 1, and that maximum (J).

    Ties are broken towards the highest threshold (fewest test-positives).
    """
    curve = roc_curve(y_true, y_score)
    j = curve.tpr - curve.fpr
    best = int(np.argmax(j[1:])) + 1
    return float(curve.thresholds[best]), float(j[best])
