"""The category definitions shown as help text cover every category and carry honest marks
(eano-esmo.md §EE-2: G2023 Table 1 labels VERIFIED; typical-signs list SECONDARY; footnotes
a–c NOT AVAILABLE)."""

from __future__ import annotations

from leptodx.reference.citation import Status
from leptodx.reference.eano_esmo import ClinicalSigns, Mri
from leptodx.reference.eano_esmo_categories import (
    CLINICAL_SIGNS_CATEGORIES,
    MRI_CATEGORIES,
    TYPICAL_CLINICAL_SIGNS,
    TYPICAL_DEFINITION_NOT_AVAILABLE,
)


def test_every_clinical_and_mri_category_has_a_verified_guideline_label() -> None:
    assert set(CLINICAL_SIGNS_CATEGORIES) == set(ClinicalSigns)
    assert set(MRI_CATEGORIES) == set(Mri) - {Mri.NOT_DONE}  # "not done" is no guideline category
    for definition in (*CLINICAL_SIGNS_CATEGORIES.values(), *MRI_CATEGORIES.values()):
        assert definition.source.key == "G2023" and definition.source.status is Status.VERIFIED


def test_typical_signs_come_from_the_digest_and_say_the_footnote_is_missing() -> None:
    assert TYPICAL_CLINICAL_SIGNS.source.status is Status.SECONDARY
    assert TYPICAL_CLINICAL_SIGNS.source.pack == "eano-esmo.md §EE-2"
    assert "not available" in TYPICAL_DEFINITION_NOT_AVAILABLE
