"""The example review's 2×2 counts reproduce every published figure (liquid-biopsy.md §LB-2)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from leptodx.reference.citation import Status
from leptodx.reference.dta_studies import CSF_CTC_STUDIES, PublishedAccuracy

EXAMPLE = Path(__file__).parents[2] / "examples" / "meta" / "csf-ctc-published.csv"


def rounded(part: int, whole: int, decimals: int) -> float:
    return round(100 * part / whole, decimals)


@pytest.mark.parametrize("study", CSF_CTC_STUDIES, ids=lambda s: s.study)
def test_derived_counts_reproduce_the_published_percentages(study: PublishedAccuracy) -> None:
    assert study.tp + study.fn == study.patients_with_lm
    assert study.tp + study.fn + study.fp + study.tn == study.patients
    assert rounded(study.tp, study.patients_with_lm, study.decimals) == study.sensitivity_percent
    assert rounded(study.tn, study.fp + study.tn, study.decimals) == study.specificity_percent
    if study.ppv_percent is not None:
        assert rounded(study.tp, study.tp + study.fp, 0) == study.ppv_percent
    if study.npv_percent is not None:
        assert rounded(study.tn, study.tn + study.fn, 0) == study.npv_percent
    assert study.counts_status is Status.DERIVED
    assert study.source.status is Status.VERIFIED
    assert study.source.pack == "liquid-biopsy.md §LB-2"


@pytest.mark.parametrize("study", CSF_CTC_STUDIES, ids=lambda s: s.study)
def test_derived_counts_are_the_only_ones_that_fit(study: PublishedAccuracy) -> None:
    """No other tp (tn) rounds to the published sensitivity (specificity)."""
    n1, n0 = study.patients_with_lm, study.patients - study.patients_with_lm
    fits_tp = [
        tp for tp in range(n1 + 1) if rounded(tp, n1, study.decimals) == study.sensitivity_percent
    ]
    fits_tn = [
        tn for tn in range(n0 + 1) if rounded(tn, n0, study.decimals) == study.specificity_percent
    ]
    assert fits_tp == [study.tp]
    assert fits_tn == [study.tn]


def test_example_file_holds_exactly_the_reference_counts_with_status() -> None:
    rows = list(csv.DictReader(EXAMPLE.open(encoding="utf-8")))
    assert [r["study"] for r in rows] == [s.study for s in CSF_CTC_STUDIES]
    for row, study in zip(rows, CSF_CTC_STUDIES, strict=True):
        assert [int(row[c]) for c in ("tp", "fp", "fn", "tn")] == [
            study.tp,
            study.fp,
            study.fn,
            study.tn,
        ]
        assert row["test"] == study.test
        assert int(row["n"]) == study.patients and int(row["n_lm"]) == study.patients_with_lm
        assert row["status"].startswith("DERIVED from VERIFIED abstract")
        assert "liquid-biopsy.md §LB-2" in row["source"]
