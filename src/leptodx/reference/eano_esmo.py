"""EANO–ESMO classification of LM from solid tumours, as data (``eano-esmo.md``).

The full decision table of the guideline (G2017 Table 3 / G2023 Table 2) was NOT AVAILABLE; the
rows below are the reference pack's reconstruction (§EE-4). Each row says which cells are verified
and which are reconstructed, with the pack's risk grading, so that a correction is an edit of this
table, not of the classifier.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from leptodx.reference.citation import Source, Status

RULESET_VERSION = "eano-esmo-2017/2023 reconstruction v1 (LeptoDx reference pack §EE-4)"
GUIDELINE = "EANO–ESMO Clinical Practice Guideline, leptomeningeal metastasis from solid tumours (2017; 2023 update)"

G2017 = Source(
    "G2017",
    "Le Rhun E, et al. EANO–ESMO Clinical Practice Guidelines for diagnosis, treatment and "
    "follow-up of patients with leptomeningeal metastasis from solid tumours. Ann Oncol "
    "2017;28(suppl 4):iv84–iv99",
    "eano-esmo.md §EE-1",
    Status.VERIFIED,
    "https://doi.org/10.1093/annonc/mdx221",
)
G2023 = Source(
    "G2023",
    "Le Rhun E, et al. Leptomeningeal metastasis from solid tumours: EANO–ESMO Clinical Practice "
    "Guideline. ESMO Open 2023;8:101624, Table 1",
    "eano-esmo.md §EE-2, §EE-5",
    Status.VERIFIED,
    "https://doi.org/10.1016/j.esmoop.2023.101624",
)
LR2021 = Source(
    "LR2021",
    "Le Rhun E, et al. Prognostic validation and clinical implications of the EANO ESMO "
    "classification of leptomeningeal metastasis from solid tumors. Neuro-Oncology "
    "2021;23(7):1100–1112 (abstract)",
    "eano-esmo.md §EE-3",
    Status.VERIFIED,
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC8301235",
)
LR2019 = Source(
    "LR2019abs",
    "Le Rhun E, et al. Prognostic role of the EANO-ESMO classification of leptomeningeal "
    "metastases. ESMO Congress 2019, abstract 4648 (subtypes IA–IID)",
    "eano-esmo.md §EE-3",
    Status.VERIFIED,
    "https://oncologypro.esmo.org/meeting-resources/esmo-congress-2019/prognostic-role-of-the-eano-esmo-classification-of-leptomeningeal-metastases",
)
LRW_CHAPTER = Source(
    "LRW-ch",
    "Le Rhun E, Weller M. Book chapter, Springer (confirmed = malignant cells in CSF or biopsy; "
    "probable = typical clinical and imaging signs with known cancer)",
    "eano-esmo.md §EE-3",
    Status.VERIFIED,
    "https://doi.org/10.1007/978-3-030-23417-1_14",
)
RECONSTRUCTION = Source(
    "EE-4",
    "LeptoDx reference pack reconstruction of the EANO–ESMO decision table (full table not "
    "available; rows graded by risk)",
    "eano-esmo.md §EE-4",
    Status.RECONSTRUCTED,
)


class Level(StrEnum):
    """EANO–ESMO certainty levels (G2017; seed editorial names the fourth)."""

    CONFIRMED = "confirmed"
    PROBABLE = "probable"
    POSSIBLE = "possible"
    LACK_OF_EVIDENCE = "lack_of_evidence"


class ClinicalSigns(StrEnum):
    """Clinical leg (G2023 Table 1)."""

    TYPICAL = "typical"
    """"Presence of typical clinical signs of LM"."""
    OTHER = "other"
    """"Any other neurological abnormality"."""
    NORMAL = "normal"
    """"Normal neurological evaluation"."""


class Mri(StrEnum):
    """MRI leg (G2023 Table 1; D split into hydrocephalus/normal in 2023)."""

    A = "A"
    B = "B"
    C = "C"
    D_HYDROCEPHALUS = "D-hydrocephalus"
    D_NORMAL = "D-normal"
    NOT_DONE = "not_done"

    @property
    def letter(self) -> str | None:
        """Subtype letter A–D (both 2023 D categories map to the 2017 letter D)."""
        return None if self is Mri.NOT_DONE else self.value[0]

    @property
    def typical(self) -> bool:
        """A, B or C: typical MRI findings of LM."""
        return self in (Mri.A, Mri.B, Mri.C)


class Cytology(StrEnum):
    """CSF cytology leg (G2023 Table 1) plus "not done"."""

    POSITIVE = "positive"
    EQUIVOCAL = "equivocal"
    NEGATIVE = "negative"
    NOT_DONE = "not_done"


class Biopsy(StrEnum):
    """Leptomeningeal biopsy (implementation input, §EE-2)."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NOT_DONE = "not_done"


MRI_DESCRIPTIONS: dict[Mri, str] = {
    Mri.A: "typical MRI findings of linear LM",
    Mri.B: "typical MRI findings of nodular LM",
    Mri.C: "typical MRI findings of both linear and nodular LM",
    Mri.D_HYDROCEPHALUS: "hydrocephalus only (type D, 2023: D–hydrocephalus)",
    Mri.D_NORMAL: "equivocal or no leptomeningeal MRI findings (type D, 2023: D–normal)",
    Mri.NOT_DONE: "MRI not done",
}


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One row of the reconstructed decision table (``eano-esmo.md §EE-4``).

    A row matches when the cytology, clinical and MRI inputs are in its sets. ``status`` and
    ``risk`` are the pack's grading of the row; ``note`` says what exactly is verified.
    """

    cell: str
    cytology: frozenset[Cytology]
    clinical: frozenset[ClinicalSigns]
    mri: frozenset[Mri]
    level: Level
    type_prefix: str | None
    status: Status
    risk: str | None
    note: str
    sources: tuple[Source, ...]


_ANY_CLINICAL = frozenset(ClinicalSigns)
_TYPICAL_MRI = frozenset({Mri.A, Mri.B, Mri.C})
_D_MRI = frozenset({Mri.D_HYDROCEPHALUS, Mri.D_NORMAL})
_NEG_OR_NOT_DONE = frozenset({Cytology.NEGATIVE, Cytology.NOT_DONE})
_ATYPICAL = frozenset({ClinicalSigns.OTHER, ClinicalSigns.NORMAL})

CONFIRMED_BY_CYTOLOGY = DecisionRow(
    "EE-4 row 1 (cytology)",
    frozenset({Cytology.POSITIVE}),
    _ANY_CLINICAL,
    frozenset(Mri),
    Level.CONFIRMED,
    "I",
    Status.VERIFIED,
    None,
    "positive CSF cytology defines confirmed LM and type I; the MRI category gives the letter",
    (LR2021, LR2019, LRW_CHAPTER),
)
CONFIRMED_BY_BIOPSY = DecisionRow(
    "EE-4 row 1 (biopsy)",
    frozenset(Cytology),
    _ANY_CLINICAL,
    frozenset(Mri),
    Level.CONFIRMED,
    "I",
    Status.RECONSTRUCTED,
    "low",
    "confirmed by biopsy is verified (LRW-ch); type I for biopsy-proven LM is consistent with "
    "the LR2021 counts but not stated verbatim",
    (LRW_CHAPTER, LR2021, RECONSTRUCTION),
)

# Rows 2–8 apply when neither cytology nor biopsy is positive and cancer is known.
DECISION_ROWS: tuple[DecisionRow, ...] = (
    DecisionRow(
        "EE-4 row 2",
        _NEG_OR_NOT_DONE,
        frozenset({ClinicalSigns.TYPICAL}),
        _TYPICAL_MRI,
        Level.PROBABLE,
        "II",
        Status.VERIFIED,
        None,
        "typical clinical signs and typical MRI in a patient with known cancer",
        (LR2021, LRW_CHAPTER),
    ),
    DecisionRow(
        "EE-4 row 3",
        frozenset({Cytology.EQUIVOCAL}),
        frozenset({ClinicalSigns.TYPICAL}),
        _TYPICAL_MRI,
        Level.PROBABLE,
        "II",
        Status.RECONSTRUCTED,
        "low",
        "verified wording of 'probable' does not depend on cytology; equivocal cytology assumed "
        "not to change it",
        (LR2021, RECONSTRUCTION),
    ),
    DecisionRow(
        "EE-4 row 4",
        frozenset({Cytology.NEGATIVE, Cytology.EQUIVOCAL, Cytology.NOT_DONE}),
        _ATYPICAL,
        _TYPICAL_MRI,
        Level.POSSIBLE,
        "II",
        Status.RECONSTRUCTED,
        "medium",
        "typical MRI without typical clinical signs",
        (LR2019, RECONSTRUCTION),
    ),
    DecisionRow(
        "EE-4 row 5",
        frozenset({Cytology.EQUIVOCAL}),
        frozenset({ClinicalSigns.TYPICAL}),
        _D_MRI,
        Level.POSSIBLE,
        "II",
        Status.RECONSTRUCTED,
        "high",
        "type IID occurred as 'possible' in the LR2021 cohort; which cytology result it had is "
        "not published",
        (LR2019, RECONSTRUCTION),
    ),
    DecisionRow(
        "EE-4 row 6",
        _NEG_OR_NOT_DONE,
        frozenset({ClinicalSigns.TYPICAL}),
        _D_MRI,
        Level.LACK_OF_EVIDENCE,
        None,
        Status.RECONSTRUCTED,
        "high",
        "typical signs, MRI type D, cytology not positive: no source found",
        (RECONSTRUCTION,),
    ),
    DecisionRow(
        "EE-4 row 7",
        frozenset({Cytology.EQUIVOCAL}),
        _ATYPICAL,
        _D_MRI,
        Level.LACK_OF_EVIDENCE,
        None,
        Status.RECONSTRUCTED,
        "high",
        "no typical signs, MRI type D, equivocal cytology: no source found",
        (RECONSTRUCTION,),
    ),
    DecisionRow(
        "EE-4 row 8",
        _NEG_OR_NOT_DONE,
        _ATYPICAL,
        _D_MRI,
        Level.LACK_OF_EVIDENCE,
        None,
        Status.RECONSTRUCTED,
        "low",
        "cannot be confirmed or probable under the verified wording",
        (RECONSTRUCTION,),
    ),
)

UNKNOWN_CANCER_CELL = "EE-4 row 9"
"""No positive cytology/biopsy and no known cancer: not classifiable under verified rules."""
MRI_NOT_DONE_CELL = "EE-4 row 10"
"""No positive cytology/biopsy and MRI not done: no level (implementation choice)."""

OUT_OF_SCOPE_PRIMARIES: dict[str, str] = {
    "haematological": "LM from lymphoma or leukaemia is outside the solid-tumour guideline",
    "lymphoma": "LM from lymphoma is outside the solid-tumour guideline",
    "leukaemia": "LM from leukaemia is outside the solid-tumour guideline",
    "primary_brain": "LM from primary brain tumours is outside the solid-tumour guideline",
}
"""Primaries outside the guideline's scope (``eano-esmo.md §EE-1``, VERIFIED, G2017)."""

SOLID_PRIMARIES: tuple[str, ...] = (
    "breast",
    "lung",
    "melanoma",
    "gastrointestinal",
    "gynaecological",
    "genitourinary",
    "head_and_neck",
    "other",
    "unknown_primary",
)
"""Solid-tumour primary categories accepted by the input contract (implementation vocabulary)."""
