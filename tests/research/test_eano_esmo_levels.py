"""EANO–ESMO level per cohort patient: ranks, and patients without a level as their own category."""

import numpy as np
import pandas as pd

from leptodx.research.eano_esmo_levels import category_table, classify_cohort


def test_levels_rank_and_no_level_categories() -> None:
    data = pd.DataFrame(
        {
            "known_cancer": [1, 1, 1, 1, 1, np.nan],
            "clinical_signs": ["typical", "typical", "normal", "other", "typical", "typical"],
            "mri": ["A", "not_done", "D-normal", "B", "C", "A"],
            "cytology": ["negative", "negative", "negative", "positive", "negative", "negative"],
            "primary_tumour": ["breast", "lung", "lung", "lung", "lymphoma", "lung"],
        }
    )
    levels = classify_cohort(data)
    # probable (eano-esmo.md §EE-4 row 2); MRI not done: no level (row 10); lack of evidence
    # (row 8); confirmed by cytology (row 1); lymphoma out of scope (§EE-1); known cancer missing
    np.testing.assert_array_equal(levels.rank, [3, 0, 1, 4, 0, 0])
    assert levels.category == (
        "probable",
        "no level: incomplete",
        "lack of evidence",
        "confirmed",
        "no level: out of scope",
        "no level: input missing in the cohort",
    )
    table = category_table(levels, np.array([1, 0, 0, 1, 0, 1.0]), np.ones(6, dtype=bool))
    assert table[0].to_dict() == {
        "category": "confirmed",
        "rank": 4,
        "with_outcome": 1,
        "without_outcome": 0,
    }
    assert [r.rank for r in table] == sorted((r.rank for r in table), reverse=True)
