"""Pan et al. 2018 score: items, points and cut-offs as in Table 3 (prediction-models.md §PM-3),
statuses, and scoring of hand-made patients."""

import numpy as np
import pandas as pd
import pytest

from leptodx.errors import InputError
from leptodx.models.builtin import resolve_any, resolve_score, resolve_spec
from leptodx.models.score import PAN_2018_SCORE
from leptodx.reference import pan2018 as ref
from leptodx.reference.citation import Status

# Table 3 of Pan et al., Sci Rep 2018;8:10445, as transcribed in the reference pack
TABLE_3 = {
    "history_of_malignancy": {"no": 0, "yes": 1},
    "clinical_manifestations": {
        "none": 0,
        "single symptom in cerebral hemisphere, cranial nerve or spinal nerves": 1,
        "typical LM symptoms or signs": 2,
    },
    "neuroimaging": {"normal": 0, "suggestive features": 1, "diagnostic features": 4},
    "csf_cytology": {"negative": 0, "suspicious malignant cells": 3, "malignant cells": 5},
    "csf_biochemistry": {"normal": 0, "abnormal": 1},
}


def test_items_and_points_are_those_of_table_3() -> None:
    assert {i.key: {c.label: c.points for c in i.categories} for i in ref.ITEMS} == TABLE_3
    assert ref.MAXIMUM_SCORE == sum(max(v.values()) for v in TABLE_3.values()) == 13
    assert ref.PAN_2018.status is Status.VERIFIED
    assert ref.PAN_2018.pack == "prediction-models.md §PM-3"


def test_staged_cut_offs_are_the_published_ones() -> None:
    assert [(c.stage, c.at_least) for c in ref.CUT_OFFS] == [(1, 3), (2, 4), (2, 5)]
    assert ref.STAGE_2_REVIEW_AT_MOST == 3
    stage_1 = [i.key for i in ref.ITEMS if i.stage == 1]
    assert stage_1 == ["history_of_malignancy", "clinical_manifestations", "neuroimaging"]


def test_not_available_definitions_are_marked_and_the_mapping_is_reconstructed() -> None:
    not_available = {
        (i.key, c.label)
        for i in ref.ITEMS
        for c in i.categories
        if c.definition_status is Status.NOT_AVAILABLE
    }
    assert not_available == {
        ("neuroimaging", "suggestive features"),
        ("neuroimaging", "diagnostic features"),
        ("csf_biochemistry", "abnormal"),
    }
    assert ref.MAPPING_SOURCE.status is Status.RECONSTRUCTED
    assert PAN_2018_SCORE.reconstructed
    described = PAN_2018_SCORE.describe()
    assert {m["status"] for m in described["mapping"]} == {"reconstructed"}


def _patients() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "known_cancer": [1, 0, 1, 1, 1],
            "clinical_signs": ["typical", "normal", "other", "typical", "other"],
            "mri": ["A", "D-normal", "D-hydrocephalus", "not_done", "C"],
            "cytology": ["positive", "negative", "equivocal", "positive", "not_done"],
            "csf_protein": [1500.0, 300.0, np.nan, 2000.0, 400.0],  # mg/L
            "csf_glucose": [1.5, 3.5, np.nan, 2.0, 3.4],  # mmol/L
            "age_years": [60, 60, 60, 60, 60],
        }
    )


def test_hand_scored_patients() -> None:
    scores = PAN_2018_SCORE.stage_scores(_patients())
    # 1: 1 + 2 + 4 (+ 5 + 1 abnormal protein) ; 2: 0 + 0 + 0 (+ 0 + 0)
    # 3: 1 + 1 + 1, biochemistry not measured -> no full score; 4: MRI not done -> none
    # 5: 1 + 1 + 4, cytology not done -> no full score
    np.testing.assert_array_equal(scores[1], [7, 0, 3, np.nan, 6])
    np.testing.assert_array_equal(scores[2], [13, 0, np.nan, np.nan, np.nan])


def test_the_score_is_validated_as_published_not_developed() -> None:
    assert resolve_score("pan2018") is PAN_2018_SCORE
    assert resolve_any("pan2018") is PAN_2018_SCORE
    with pytest.raises(InputError, match="pan2018 is a published points score"):
        resolve_spec("pan2018")
    with pytest.raises(InputError, match="--spec: got 'gao-z'"):
        resolve_score("gao-z")
