"""The EANO–ESMO certainty level of every cohort patient, as an ordinal diagnostic test.

Each row is classified by the clinical core's public API (:func:`leptodx.clinical.eano_esmo.
classify`). Order: lack of evidence < possible < probable < confirmed. A patient without a level
(work-up incomplete — including a leg missing from the cohort —, out of the guideline's scope,
not classifiable, or known cancer missing from the cohort) is kept as its own category, ranked below "lack of evidence" and
reported separately (docs/decisions/research-compare-models.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from leptodx.errors import InputError
from leptodx.jsonsafe import fields_json

LEVEL_RANK = {"lack_of_evidence": 1, "possible": 2, "probable": 3, "confirmed": 4}
NO_LEVEL_RANK = 0
REQUIRED = ("known_cancer",)
"""The classifier needs known cancer; a missing leg (clinical, MRI, cytology) it handles itself."""
RULES = {"EANO–ESMO ≥ probable": 3, "EANO–ESMO confirmed": 4}


@dataclass(frozen=True)
class LevelColumn:
    """Rank (0 = no level … 4 = confirmed) and a readable category for every patient."""

    rank: NDArray[np.float64]
    category: tuple[str, ...]
    reconstructed: NDArray[np.bool_]
    """True where the level came from a reconstructed cell of the decision table."""

    def to_dict(self) -> dict[str, Any]:
        """JSON of the ranks, categories and reconstructed marks."""
        return fields_json(self)


def _value(row: pd.Series, field: str) -> Any:
    value = row.get(field)
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _category(classification: Any) -> tuple[float, str]:
    level = classification.level
    if level is not None:
        return float(LEVEL_RANK[level.value]), level.value.replace("_", " ")
    outcome = getattr(classification.outcome, "value", str(classification.outcome))
    return float(NO_LEVEL_RANK), f"no level: {outcome.replace('_', ' ')}"


def classify_cohort(data: pd.DataFrame) -> LevelColumn:
    """EANO–ESMO level of each row (mapped cohort with canonical fields)."""
    from leptodx.clinical.eano_esmo import classify
    from leptodx.domain.patient import validate_patient

    ranks: list[float] = []
    categories: list[str] = []
    reconstructed: list[bool] = []
    for _, row in data.iterrows():
        fields = {
            f: _value(row, f)
            for f in (
                "known_cancer",
                "clinical_signs",
                "mri",
                "cytology",
                "biopsy",
                "primary_tumour",
            )
        }
        if any(fields[f] is None for f in REQUIRED):
            ranks.append(float(NO_LEVEL_RANK))
            categories.append("no level: input missing in the cohort")
            reconstructed.append(False)
            continue
        fields["known_cancer"] = bool(fields["known_cancer"])
        try:
            result = classify(validate_patient({k: v for k, v in fields.items() if v is not None}))
        except InputError:
            ranks.append(float(NO_LEVEL_RANK))
            categories.append("no level: input not accepted by the classifier")
            reconstructed.append(False)
            continue
        rank, category = _category(result)
        reconstructed.append(bool(getattr(result, "reconstructed", False)))
        ranks.append(rank)
        categories.append(category)
    return LevelColumn(
        np.asarray(ranks, dtype=np.float64),
        tuple(categories),
        np.asarray(reconstructed, dtype=bool),
    )


@dataclass(frozen=True)
class CategoryCount:
    """Patients of one EANO–ESMO category with and without the outcome."""

    category: str
    rank: int
    with_outcome: int
    without_outcome: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "rank": self.rank,
            "with_outcome": self.with_outcome,
            "without_outcome": self.without_outcome,
        }


def category_table(
    levels: LevelColumn, y: NDArray[np.float64], rows: NDArray[np.bool_]
) -> list[CategoryCount]:
    """Patients per category and outcome, highest level first."""
    cats = np.asarray(levels.category, dtype=object)[rows]
    ranks, yy = levels.rank[rows], y[rows]
    out = []
    for category in sorted(set(cats), key=lambda c: (-ranks[cats == c][0], c)):
        mask = cats == category
        out.append(
            CategoryCount(
                str(category),
                int(ranks[mask][0]),
                int((yy[mask] == 1).sum()),
                int((yy[mask] == 0).sum()),
            )
        )
    return out
