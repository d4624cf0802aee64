"""Pan et al. 2018 additive diagnostic score for LM from solid tumours (``prediction-models.md §PM-3``).

Items, points and the staged cut-offs are VERIFIED (Table 3). What the pack marks NOT AVAILABLE —
the definitions of "suggestive" and "diagnostic" imaging features and the criteria of abnormal
CSF biochemistry — is not filled in. Scoring a LeptoDx cohort needs a mapping from LeptoDx's
inputs (EANO–ESMO legs, CSF values judged by the clinical core) to Pan's categories: that mapping
(:data:`MAPPING`) is a LeptoDx reconstruction and every output that uses it says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.reference.citation import Source, Status

PAN_2018 = Source(
    key="Pan2018",
    citation=(
        "Pan Z, Yang G, He H, et al. Leptomeningeal metastasis from solid tumors: clinical "
        "features and its diagnostic implication. Sci Rep 2018;8:10445, Table 3"
    ),
    pack="prediction-models.md §PM-3",
    status=Status.VERIFIED,
    url="https://doi.org/10.1038/s41598-018-28662-w",
)
MAPPING_SOURCE = Source(
    key="Pan2018-mapping",
    citation=(
        "LeptoDx mapping of its inputs to the Pan 2018 categories (imaging-feature and "
        "abnormal-biochemistry definitions NOT AVAILABLE in the source)"
    ),
    pack="prediction-models.md §PM-3",
    status=Status.RECONSTRUCTED,
)
DERIVED_MAXIMUM = Source(
    key="Pan2018-max",
    citation="Maximum score 1 + 2 + 4 + 5 + 1 = 13 (pack, DERIVED)",
    pack="prediction-models.md §PM-3",
    status=Status.DERIVED,
)


@dataclass(frozen=True, slots=True)
class Category:
    """One category of an item and its points (VERIFIED, Table 3)."""

    label: str
    points: int
    definition_status: Status = Status.VERIFIED
    """NOT_AVAILABLE where the source's definition of the category could not be read."""


@dataclass(frozen=True, slots=True)
class Item:
    """One item of the score, known at ``stage`` 1 (before CSF) or 2 (after CSF examination)."""

    key: str
    name: str
    categories: tuple[Category, ...]
    stage: int
    note: str = ""


ITEMS: tuple[Item, ...] = (
    Item(
        "history_of_malignancy", "History of malignancy", (Category("no", 0), Category("yes", 1)), 1
    ),
    Item(
        "clinical_manifestations",
        "Clinical manifestations",
        (
            Category("none", 0),
            Category("single symptom in cerebral hemisphere, cranial nerve or spinal nerves", 1),
            Category("typical LM symptoms or signs", 2),
        ),
        1,
        note="typical: deficits severe and progressive, or in multiple sites (Table 3 footnote)",
    ),
    Item(
        "neuroimaging",
        "Neuroimaging",
        (
            Category("normal", 0),
            Category("suggestive features", 1, Status.NOT_AVAILABLE),
            Category("diagnostic features", 4, Status.NOT_AVAILABLE),
        ),
        1,
        note="diagnostic and suggestive features together score 4; definitions NOT AVAILABLE "
        "(the consulted footnote is cut off)",
    ),
    Item(
        "csf_cytology",
        "CSF cytology",
        (
            Category("negative", 0),
            Category("suspicious malignant cells", 3),
            Category("malignant cells", 5),
        ),
        2,
    ),
    Item(
        "csf_biochemistry",
        "CSF biochemistry",
        (Category("normal", 0), Category("abnormal", 1, Status.NOT_AVAILABLE)),
        2,
        note="criteria of abnormal biochemistry NOT AVAILABLE",
    ),
)
MAXIMUM_SCORE = 13
"""DERIVED: 1 + 2 + 4 + 5 + 1."""


@dataclass(frozen=True, slots=True)
class CutOff:
    """A published decision rule: ``score >= at_least`` at a stage."""

    stage: int
    at_least: int
    meaning: str
    source: Source = PAN_2018


CUT_OFFS: tuple[CutOff, ...] = (
    CutOff(1, 3, "after history, neurological examination and imaging: CSF examination suggested"),
    CutOff(
        2,
        4,
        "after full work-up: at least suspicious LM (4 = suspicious: diagnostic treatment, e.g. "
        "intrathecal chemotherapy, may be considered once subarachnoid blood, infection or "
        "inflammation are excluded)",
    ),
    CutOff(2, 5, "after full work-up: LM confirmed"),
)
STAGE_2_REVIEW_AT_MOST = 3
"""After full work-up, a score of 3 or less means further examination or review."""
STAGES = {
    1: "stage 1 (before CSF): history of malignancy, clinical manifestations, neuroimaging",
    2: "stage 2 (after CSF examination): all five items",
}
EXCLUSIONS = (
    "Other causes must be excluded: infection; disc degeneration for root symptoms; "
    "space-occupying brain metastasis or trigeminal neuralgia for headache (Table 3 footnotes)."
)
INDEPENDENT_VALIDATION = "NOT AVAILABLE (no independent validation found, §PM-3)"


@dataclass(frozen=True, slots=True)
class MappingRule:
    """How one LeptoDx input value maps to a Pan category (a LeptoDx reconstruction)."""

    item: str
    field: str
    value: str
    category: str
    risk: str
    note: str = ""


MAPPING: tuple[MappingRule, ...] = (
    MappingRule("history_of_malignancy", "known_cancer", "1", "yes", "low"),
    MappingRule("history_of_malignancy", "known_cancer", "0", "no", "low"),
    MappingRule(
        "clinical_manifestations",
        "clinical_signs",
        "typical",
        "typical LM symptoms or signs",
        "low",
    ),
    MappingRule(
        "clinical_manifestations",
        "clinical_signs",
        "other",
        "single symptom in cerebral hemisphere, cranial nerve or spinal nerves",
        "medium",
        "EANO–ESMO 'any other neurological abnormality' is broader than Pan's single symptom",
    ),
    MappingRule("clinical_manifestations", "clinical_signs", "normal", "none", "low"),
    MappingRule(
        "neuroimaging", "mri", "A", "diagnostic features", "medium", "typical MRI (linear LM)"
    ),
    MappingRule(
        "neuroimaging", "mri", "B", "diagnostic features", "medium", "typical MRI (nodular LM)"
    ),
    MappingRule(
        "neuroimaging",
        "mri",
        "C",
        "diagnostic features",
        "medium",
        "typical MRI (linear and nodular)",
    ),
    MappingRule(
        "neuroimaging",
        "mri",
        "D-hydrocephalus",
        "suggestive features",
        "high",
        "hydrocephalus only",
    ),
    MappingRule(
        "neuroimaging",
        "mri",
        "D-normal",
        "normal",
        "high",
        "D–normal also holds equivocal findings that Pan may have called suggestive",
    ),
    MappingRule("csf_cytology", "cytology", "positive", "malignant cells", "low"),
    MappingRule("csf_cytology", "cytology", "equivocal", "suspicious malignant cells", "low"),
    MappingRule("csf_cytology", "cytology", "negative", "negative", "low"),
    MappingRule(
        "csf_biochemistry",
        "csf_protein, csf_glucose",
        "protein above the limit or CSF/serum glucose ratio below it (CSF profile of the clinical core)",
        "abnormal",
        "medium",
        "judged per patient by the clinical core's CSF limits (csf.md); the glucose ratio needs "
        "a serum glucose drawn with the LP; 'normal' when the judged analytes are within limits",
    ),
)
NOT_SCORED = "MRI or cytology 'not_done', or neither CSF protein nor glucose measured: item missing, score not computed"
