"""EANO–ESMO decision table, one test per row of ``eano-esmo.md §EE-4`` (plus §EE-1 scope).

Expected levels, types, rule status and risk grade are copied from the reference pack's table
(rows 1–10, status column), never from the classifier's output.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leptodx.clinical.eano_esmo import classify, decision_key
from leptodx.domain.patient import PatientInput, validate_patient
from leptodx.reference.eano_esmo import (
    DECISION_TABLE,
    OUT_OF_SCOPE_PRIMARIES,
    SOLID_PRIMARIES,
    Biopsy,
    ClinicalSigns,
    Cytology,
    Mri,
    Outcome,
    RuleStatus,
)


def patient(
    cytology: str | None,
    clinical: str | None,
    mri: str | None,
    *,
    known_cancer: bool = True,
    biopsy: str | None = None,
    primary: str | None = "breast",
) -> PatientInput:
    return validate_patient(
        {
            "known_cancer": known_cancer,
            "clinical_signs": clinical,
            "mri": mri,
            "cytology": cytology,
            "biopsy": biopsy,
            "primary_tumour": primary,
        }
    )


# (cytology, clinical, mri, level, type, rule status, risk) — §EE-4 rows and status column
TABLE = {
    "row 1: cytology positive, normal signs, MRI B": ("positive", "normal", "B", "confirmed", "IB", "verified", None),
    "row 1: cytology positive, MRI D-hydrocephalus": ("positive", "typical", "D-hydrocephalus", "confirmed", "ID", "verified", None),
    "row 2: negative, typical, A": ("negative", "typical", "A", "probable", "IIA", "verified", None),
    "row 2: not done, typical, C": ("not_done", "typical", "C", "probable", "IIC", "verified", None),
    "row 3: equivocal, typical, B": ("equivocal", "typical", "B", "probable", "IIB", "unverified", "low"),
    "row 4: negative, other, A": ("negative", "other", "A", "possible", "IIA", "unverified", "medium"),
    "row 4: equivocal, normal, C": ("equivocal", "normal", "C", "possible", "IIC", "unverified", "medium"),
    "row 4: not done, normal, B": ("not_done", "normal", "B", "possible", "IIB", "unverified", "medium"),
    "row 5: equivocal, typical, D-normal": ("equivocal", "typical", "D-normal", "possible", "IID", "unverified", "high"),
    "row 6: negative, typical, D-normal": ("negative", "typical", "D-normal", "lack_of_evidence", None, "unverified", "high"),
    "row 6: not done, typical, D-hydrocephalus": ("not_done", "typical", "D-hydrocephalus", "lack_of_evidence", None, "unverified", "high"),
    "row 7: equivocal, other, D-normal": ("equivocal", "other", "D-normal", "lack_of_evidence", None, "unverified", "high"),
    "row 8: negative, normal, D-hydrocephalus": ("negative", "normal", "D-hydrocephalus", "lack_of_evidence", None, "unverified", "low"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("cytology", "clinical", "mri", "level", "type_", "status", "risk"),
    list(TABLE.values()),
    ids=list(TABLE),
)
def test_decision_table_row(cytology, clinical, mri, level, type_, status, risk) -> None:
    result = classify(patient(cytology, clinical, mri))
    assert result.outcome is Outcome.CLASSIFIED
    assert (result.level, result.type) == (level, type_)
    assert (result.row.rule_status, result.row.rule_risk) == (status, risk)
    assert result.reconstructed is (status == "unverified")


def test_row1_biopsy_positive_is_confirmed_type_i_flagged_as_not_verbatim() -> None:
    result = classify(patient("negative", "normal", "C", biopsy="positive"))
    assert (result.level, result.type) == ("confirmed", "IC")
    assert result.cell == "EE-4 row 1 (biopsy)"
    assert (result.row.rule_status, result.row.rule_risk) == ("unverified", "low")


def test_row1_positive_cytology_without_mri_is_type_i_without_letter() -> None:
    result = classify(patient("positive", "typical", "not_done"))
    assert (result.level, result.type) == ("confirmed", "I")


def test_row9_no_known_cancer_is_not_classifiable_not_out_of_scope() -> None:
    """Finding 1: §EE-4 row 9 says "not classifiable under verified rules", UNVERIFIED; only
    haematological and primary brain tumours are outside the scope (§EE-1)."""
    result = classify(patient("negative", "typical", "A", known_cancer=False))
    assert result.outcome is Outcome.NOT_CLASSIFIABLE and result.level is None
    assert result.applicable is True
    assert result.cell == "EE-4 row 9"
    assert result.row.rule_status is RuleStatus.UNVERIFIED


def test_row9_does_not_block_confirmation_by_cytology() -> None:
    assert classify(patient("positive", "typical", "A", known_cancer=False)).level == "confirmed"


def test_row10_mri_not_done_gives_no_level_as_an_implementation_choice() -> None:
    result = classify(patient("negative", "typical", "not_done"))
    assert result.outcome is Outcome.INCOMPLETE and result.level is None
    assert result.cell == "EE-4 row 10"
    assert result.row.rule_status is RuleStatus.IMPLEMENTATION_CHOICE


@pytest.mark.parametrize("primary", ["lymphoma", "leukaemia", "haematological", "primary_brain"])
def test_non_solid_primary_is_out_of_scope_even_with_positive_cytology(primary: str) -> None:
    result = classify(patient("positive", "typical", "A", primary=primary))
    assert result.outcome is Outcome.OUT_OF_SCOPE and not result.applicable
    assert result.level is None and result.row.rule_status is RuleStatus.VERIFIED


@pytest.mark.parametrize("primary", [*SOLID_PRIMARIES, None])
@pytest.mark.parametrize("known_cancer", [True, False])
def test_out_of_scope_only_for_haematological_and_primary_brain(
    primary: str | None, known_cancer: bool
) -> None:
    for cytology, clinical, mri in itertools.product(
        (*Cytology, None), (*ClinicalSigns, None), (*Mri, None)
    ):
        result = classify(
            patient(cytology, clinical, mri, known_cancer=known_cancer, primary=primary)
        )
        assert result.outcome is not Outcome.OUT_OF_SCOPE and result.applicable


@pytest.mark.parametrize(
    ("cytology", "clinical", "mri", "missing"),
    [
        ("negative", None, "A", ("clinical_signs",)),
        ("negative", "typical", None, ("mri",)),
        (None, "typical", "A", ("cytology",)),
        (None, None, None, ("clinical_signs", "mri", "cytology")),
    ],
)
def test_a_missing_leg_the_level_depends_on_gives_incomplete(
    cytology, clinical, mri, missing
) -> None:
    result = classify(patient(cytology, clinical, mri))
    assert result.outcome is Outcome.INCOMPLETE and result.level is None
    assert result.missing_legs == missing
    assert result.row.rule_status is RuleStatus.IMPLEMENTATION_CHOICE


def test_positive_cytology_confirms_even_when_signs_and_mri_are_not_recorded() -> None:
    """Row 1 holds for any clinical leg and any MRI: a missing one cannot change it."""
    result = classify(patient("positive", None, None))
    assert (result.outcome, result.level, result.type) == (Outcome.CLASSIFIED, "confirmed", "I")
    assert result.missing_legs == ("clinical_signs", "mri")


def test_2023_split_of_d_keeps_the_qualifier_and_the_letter_d() -> None:
    for mri in ("D-hydrocephalus", "D-normal"):
        result = classify(patient("positive", "typical", mri))
        assert result.type == "ID" and result.mri_category == mri


LEGS = st.builds(
    patient,
    cytology=st.sampled_from([None, *(c.value for c in Cytology)]),
    clinical=st.sampled_from([None, *(c.value for c in ClinicalSigns)]),
    mri=st.sampled_from([None, *(m.value for m in Mri)]),
    known_cancer=st.booleans(),
    biopsy=st.sampled_from([None, *(b.value for b in Biopsy)]),
    primary=st.sampled_from([None, *SOLID_PRIMARIES, *OUT_OF_SCOPE_PRIMARIES]),
)


@settings(deadline=None, max_examples=500)
@given(LEGS)
def test_every_input_matches_exactly_one_row_with_a_rule_status(p: PatientInput) -> None:
    """Every combination of categorical inputs, missing legs included, has exactly one outcome."""
    key = decision_key(p)
    matching = [row for row in DECISION_TABLE if row.matches(key)]
    assert len(matching) == 1
    result = classify(p)
    assert result.row is matching[0]
    assert result.row.rule_status in set(RuleStatus)
    assert (result.level is not None) == (result.outcome is Outcome.CLASSIFIED)


@settings(deadline=None, max_examples=300)
@given(LEGS)
def test_confirmed_iff_cytology_or_biopsy_positive_within_scope(p: PatientInput) -> None:
    result = classify(p)
    if result.outcome is Outcome.OUT_OF_SCOPE:
        return
    positive = p.cytology is Cytology.POSITIVE or p.biopsy is Biopsy.POSITIVE
    assert (result.level == "confirmed") == positive


def test_unverified_rows_5_to_7_are_graded_high_risk_as_in_the_pack() -> None:
    graded = {row.id: row.rule_risk for row in DECISION_TABLE}
    assert [graded[f"EE-4 row {n}"] for n in (5, 6, 7)] == ["high", "high", "high"]
    assert graded["EE-4 row 4"] == "medium"
