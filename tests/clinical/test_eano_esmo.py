"""EANO–ESMO decision table, one test per cell of ``eano-esmo.md §EE-4``.

Expected levels, types and verified/reconstructed status are copied from the reference pack's
table (rows 1–10), never from the classifier's output.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leptodx.clinical.eano_esmo import Outcome, classify
from leptodx.domain.patient import PatientInput
from leptodx.reference.eano_esmo import Biopsy, ClinicalSigns, Cytology, Mri


def patient(
    cytology: str,
    clinical: str,
    mri: str,
    *,
    known_cancer: bool = True,
    biopsy: str | None = None,
    primary: str | None = "breast",
) -> PatientInput:
    return PatientInput(
        known_cancer=known_cancer,
        clinical_signs=clinical,
        mri=mri,
        cytology=cytology,
        biopsy=biopsy,
        primary_tumour=primary,
    )


# (cytology, clinical, mri, expected level, expected type, reconstructed?) — §EE-4 table rows
TABLE = {
    "row 1: cytology positive, any clinical, MRI B": (
        "positive",
        "normal",
        "B",
        "confirmed",
        "IB",
        False,
    ),
    "row 1: cytology positive, MRI D-hydrocephalus": (
        "positive",
        "typical",
        "D-hydrocephalus",
        "confirmed",
        "ID",
        False,
    ),
    "row 2: negative, typical, A": ("negative", "typical", "A", "probable", "IIA", False),
    "row 2: not done, typical, C": ("not_done", "typical", "C", "probable", "IIC", False),
    "row 3: equivocal, typical, B": ("equivocal", "typical", "B", "probable", "IIB", True),
    "row 4: negative, other, A": ("negative", "other", "A", "possible", "IIA", True),
    "row 4: equivocal, normal, C": ("equivocal", "normal", "C", "possible", "IIC", True),
    "row 4: not done, normal, B": ("not_done", "normal", "B", "possible", "IIB", True),
    "row 5: equivocal, typical, D-normal": (
        "equivocal",
        "typical",
        "D-normal",
        "possible",
        "IID",
        True,
    ),
    "row 6: negative, typical, D-normal": (
        "negative",
        "typical",
        "D-normal",
        "lack_of_evidence",
        None,
        True,
    ),
    "row 6: not done, typical, D-hydrocephalus": (
        "not_done",
        "typical",
        "D-hydrocephalus",
        "lack_of_evidence",
        None,
        True,
    ),
    "row 7: equivocal, other, D-normal": (
        "equivocal",
        "other",
        "D-normal",
        "lack_of_evidence",
        None,
        True,
    ),
    "row 8: negative, normal, D-hydrocephalus": (
        "negative",
        "normal",
        "D-hydrocephalus",
        "lack_of_evidence",
        None,
        True,
    ),
}


@pytest.mark.parametrize(
    ("cytology", "clinical", "mri", "level", "type_", "reconstructed"),
    list(TABLE.values()),
    ids=list(TABLE),
)
def test_decision_table_cell(cytology, clinical, mri, level, type_, reconstructed) -> None:
    result = classify(patient(cytology, clinical, mri))
    assert result.outcome is Outcome.CLASSIFIED
    assert result.level == level
    assert result.type == type_
    assert result.reconstructed is reconstructed


def test_row1_biopsy_positive_is_confirmed_type_i_flagged_as_not_verbatim() -> None:
    result = classify(patient("negative", "normal", "C", biopsy="positive"))
    assert (result.level, result.type) == ("confirmed", "IC")
    assert result.reconstructed_cells == ("EE-4 row 1 (biopsy)",)


def test_row1_positive_cytology_without_mri_is_type_i_without_letter() -> None:
    result = classify(patient("positive", "typical", "not_done"))
    assert (result.level, result.type) == ("confirmed", "I")
    assert any("MRI not done" in w for w in result.warnings)


def test_row9_no_known_cancer_is_not_classified() -> None:
    result = classify(patient("negative", "typical", "A", known_cancer=False))
    assert result.outcome is Outcome.OUT_OF_SCOPE and result.level is None
    assert result.cell == "EE-4 row 9"


def test_row9_does_not_block_confirmation_by_cytology() -> None:
    assert classify(patient("positive", "typical", "A", known_cancer=False)).level == "confirmed"


def test_row10_mri_not_done_gives_no_level() -> None:
    result = classify(patient("negative", "typical", "not_done"))
    assert result.outcome is Outcome.INCOMPLETE and result.level is None


@pytest.mark.parametrize("primary", ["lymphoma", "leukaemia", "haematological", "primary_brain"])
def test_non_solid_primary_is_out_of_scope_even_with_positive_cytology(primary: str) -> None:
    result = classify(patient("positive", "typical", "A", primary=primary))
    assert result.outcome is Outcome.OUT_OF_SCOPE and not result.applicable
    assert result.level is None


def test_2023_split_of_d_keeps_the_qualifier_and_the_letter_d() -> None:
    for mri in ("D-hydrocephalus", "D-normal"):
        result = classify(patient("positive", "typical", mri))
        assert result.type == "ID" and result.mri_category == mri


PATIENTS = st.builds(
    patient,
    cytology=st.sampled_from([c.value for c in Cytology]),
    clinical=st.sampled_from([c.value for c in ClinicalSigns]),
    mri=st.sampled_from([m.value for m in Mri]),
    known_cancer=st.booleans(),
    biopsy=st.sampled_from([None, *(b.value for b in Biopsy)]),
    primary=st.sampled_from([None, "breast", "lung", "lymphoma", "other"]),
)


@settings(deadline=None, max_examples=300)
@given(PATIENTS)
def test_every_input_has_exactly_one_outcome(p: PatientInput) -> None:
    result = classify(p)
    assert (result.level is not None) == (result.outcome is Outcome.CLASSIFIED)


@settings(deadline=None, max_examples=300)
@given(PATIENTS)
def test_confirmed_iff_cytology_or_biopsy_positive_within_scope(p: PatientInput) -> None:
    result = classify(p)
    if result.outcome is Outcome.OUT_OF_SCOPE and result.cell == "EE-1":
        return
    positive = p.cytology is Cytology.POSITIVE or p.biopsy is Biopsy.POSITIVE
    assert (result.level == "confirmed") == positive


def test_exhaustive_grid_covers_every_combination_once() -> None:
    outcomes = {Outcome.CLASSIFIED: 0, Outcome.OUT_OF_SCOPE: 0, Outcome.INCOMPLETE: 0}
    for cyt, cli, mri, known in itertools.product(Cytology, ClinicalSigns, Mri, (True, False)):
        outcomes[
            classify(patient(cyt.value, cli.value, mri.value, known_cancer=known)).outcome
        ] += 1
    assert sum(outcomes.values()) == 4 * 3 * 6 * 2
