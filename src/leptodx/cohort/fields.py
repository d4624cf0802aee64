"""The cohort schema: LeptoDx field names, kinds and allowed categories.

Field names follow the clinical core's input contract (``age_years``, ``sex``, ``primary_tumour``,
``known_cancer``, ``clinical_signs``, ``mri``, ``cytology``, ``biopsy``); the categories follow
``eano-esmo.md §EE-2`` plus the "not done" inputs the software needs. CSF analytes are flat fields
(``csf_protein``...) with a unit, converted to canonical units through :mod:`leptodx.cohort.units`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from leptodx.domain.patient import PRIMARY_TUMOURS as _PRIMARY_TUMOURS
from leptodx.reference.eano_esmo import Biopsy, ClinicalSigns, Cytology, Mri


class Kind(StrEnum):
    """How a cohort field is typed and checked."""

    BINARY = "binary"
    COUNT = "count"
    NUMBER = "number"
    QUANTITY = "quantity"
    CATEGORY = "category"


@dataclass(frozen=True, slots=True)
class Field:
    """One LeptoDx cohort field."""

    name: str
    kind: Kind
    description: str
    categories: tuple[str, ...] = ()


SEX = ("female", "male")
# Categories are the clinical core's input-contract values (one vocabulary for both).
PRIMARY_TUMOURS: tuple[str, ...] = _PRIMARY_TUMOURS
CLINICAL_SIGNS = tuple(c.value for c in ClinicalSigns)
MRI = tuple(m.value for m in Mri)
CYTOLOGY = tuple(c.value for c in Cytology)
BIOPSY = tuple(b.value for b in Biopsy)
TYPICAL_MRI = tuple(m.value for m in Mri if m.typical)

FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("lm", Kind.BINARY, "outcome: leptomeningeal metastasis (1 = LM)"),
        Field("age_years", Kind.NUMBER, "age at suspicion, years"),
        Field("sex", Kind.CATEGORY, "sex", SEX),
        Field("primary_tumour", Kind.CATEGORY, "primary solid tumour", PRIMARY_TUMOURS),
        Field("known_cancer", Kind.BINARY, "known cancer history"),
        Field("clinical_signs", Kind.CATEGORY, "EANO–ESMO clinical leg", CLINICAL_SIGNS),
        Field("mri", Kind.CATEGORY, "EANO–ESMO MRI category (2023)", MRI),
        Field("cytology", Kind.CATEGORY, "CSF cytology (best of all LPs)", CYTOLOGY),
        Field("biopsy", Kind.CATEGORY, "leptomeningeal biopsy", BIOPSY),
        Field("skull_metastasis", Kind.BINARY, "skull metastasis (Gao candidate predictor)"),
        Field("active_brain_metastasis", Kind.BINARY, "active brain metastasis (Gao)"),
        Field("progressed_extracranial_disease", Kind.BINARY, "progressed extracranial disease"),
        Field("n_extracranial_organs", Kind.COUNT, "number of extracranial organs involved"),
        Field("n_symptoms", Kind.COUNT, "number of LM symptoms"),
        Field("first_mri_positive", Kind.BINARY, "first MRI read as typical of LM"),
        Field("first_lp_positive", Kind.BINARY, "first lumbar puncture cytology positive"),
        Field("csf_protein", Kind.QUANTITY, "CSF total protein"),
        Field("csf_glucose", Kind.QUANTITY, "CSF glucose"),
        Field("serum_glucose", Kind.QUANTITY, "serum/plasma glucose drawn with the LP"),
        Field("csf_lactate", Kind.QUANTITY, "CSF lactate"),
        Field("csf_leukocytes", Kind.QUANTITY, "CSF leukocyte count"),
        Field("csf_albumin", Kind.QUANTITY, "CSF albumin"),
        Field("serum_albumin", Kind.QUANTITY, "serum albumin"),
    )
}
