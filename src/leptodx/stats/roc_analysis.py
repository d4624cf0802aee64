"""AUCs of one or two named scores and the DeLong test of their difference, as one result.

The result behind ``leptodx stats roc`` (fields in docs/stats.md): each score's AUC with its
DeLong CI and, with two scores on the same patients, the paired test (pROC ``roc.test(paired =
TRUE)``), or with a second sample, the unpaired test (pROC ``paired = FALSE``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from numpy.typing import ArrayLike

from leptodx.stats.roc import (
    AucComparison,
    AucResult,
    UnpairedAucComparison,
    auc_ci,
    compare_auc,
    compare_auc_unpaired,
)


@dataclass(frozen=True, slots=True)
class NamedAuc:
    """One score's AUC, labelled with the score's name (the user's column)."""

    name: str
    result: AucResult

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, **self.result.to_dict()}


@dataclass(frozen=True, slots=True)
class RocAnalysis:
    """AUCs of the scores and, for two, the DeLong test of their difference."""

    scores: tuple[NamedAuc, ...]
    comparison: AucComparison | UnpairedAucComparison | None = None

    @property
    def paired(self) -> AucComparison | None:
        """The comparison when both scores were measured on the same patients."""
        c = self.comparison
        return c if isinstance(c, AucComparison) else None

    @property
    def unpaired(self) -> UnpairedAucComparison | None:
        """The comparison when the second score comes from an independent sample."""
        c = self.comparison
        return c if isinstance(c, UnpairedAucComparison) else None

    def to_dict(self) -> dict[str, Any]:
        """JSON of the analysis (docs/stats.md); sizes are those of the first sample."""
        first = self.scores[0].result
        out: dict[str, Any] = {
            "n": first.n,
            "n_events": first.n_events,
            "scores": [s.to_dict() for s in self.scores],
        }
        if (u := self.unpaired) is not None:
            out["unpaired"] = {"n": u.n2, "n_events": u.n_events2, "auc": u.auc2}
        if self.comparison is not None:
            out["comparison"] = self.comparison.to_dict()
        return out


def roc_analysis(
    y: ArrayLike,
    scores: Sequence[tuple[str, ArrayLike]],
    *,
    level: float = 0.95,
    second_sample: tuple[ArrayLike, ArrayLike] | None = None,
) -> RocAnalysis:
    """AUC of each ``(name, score)`` (one or two); two scores are compared paired, one score against
    ``second_sample`` (outcome, score) unpaired."""
    named = tuple(NamedAuc(name, auc_ci(y, s, level=level)) for name, s in scores)
    values = [s for _, s in scores]
    comparison: AucComparison | UnpairedAucComparison | None = None
    if second_sample is not None:
        comparison = compare_auc_unpaired(y, values[0], *second_sample)
    elif len(values) == 2:
        comparison = compare_auc(y, values[0], values[1], level=level)
    return RocAnalysis(named, comparison)
