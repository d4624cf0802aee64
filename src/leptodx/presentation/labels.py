"""The words for every code LeptoDx outputs (levels, outcomes, rule status, findings, analytes).

Categories use the guideline's own labels where it has them (G2023 Table 1, ``eano-esmo.md
§EE-2``). Nothing here changes a result; it only says it.
"""

from __future__ import annotations

from leptodx.reference.symptoms import SYMPTOMS

LEVEL_SHORT: dict[str, str] = {
    "confirmed": "Confirmed LM",
    "probable": "Probable LM",
    "possible": "Possible LM",
    "lack_of_evidence": "Lack of evidence for LM",
}
LEVEL_LONG: dict[str, str] = {
    "confirmed": "Confirmed leptomeningeal metastasis",
    "probable": "Probable leptomeningeal metastasis",
    "possible": "Possible leptomeningeal metastasis",
    "lack_of_evidence": "Lack of evidence for leptomeningeal metastasis",
}
OUTCOME_HEADLINE: dict[str, str] = {
    "not_classifiable": "Not classifiable under the verified EANO–ESMO rules",
    "incomplete": "No EANO–ESMO level yet: findings incomplete",
    "out_of_scope": "Outside the EANO–ESMO solid-tumour guideline",
}
OUTCOME_SHORT: dict[str, str] = {
    "classified": "classified",
    "not_classifiable": "not classifiable (no known cancer)",
    "incomplete": "no level (findings incomplete)",
    "out_of_scope": "outside the guideline",
}
RISK: dict[str, str] = {"low": "low risk", "medium": "medium risk", "high": "high risk"}
QUALIFIERS: dict[str, str] = {
    "cytology_possibly_false_positive": "cytology possibly false-positive",
    "biopsy_negative": "leptomeningeal biopsy negative",
}

CLINICAL_SIGNS: dict[str, str] = {
    "typical": "typical clinical signs of LM",
    "other": "another neurological abnormality",
    "normal": "normal neurological evaluation",
}
MRI: dict[str, str] = {
    "A": "type A — typical findings of linear LM",
    "B": "type B — typical findings of nodular LM",
    "C": "type C — typical findings of linear and nodular LM",
    "D-hydrocephalus": "type D, hydrocephalus only (2023: D–hydrocephalus)",
    "D-normal": "type D, equivocal or no leptomeningeal findings (2023: D–normal)",
    "not_done": "not done",
}
MRI_SHORT: dict[str, str] = {
    "A": "A",
    "B": "B",
    "C": "C",
    "D-hydrocephalus": "D–hydrocephalus",
    "D-normal": "D–normal",
    "not_done": "not done",
}
CYTOLOGY: dict[str, str] = {
    "positive": "positive (tumour cells present)",
    "equivocal": "equivocal (suspicious or atypical cells)",
    "negative": "negative (no tumour cells)",
    "not_done": "not done",
}
BIOPSY: dict[str, str] = {"positive": "positive", "negative": "negative", "not_done": "not done"}
SEX: dict[str, str] = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}
PRIMARY_TUMOUR: dict[str, str] = {
    "breast": "breast cancer",
    "lung": "lung cancer",
    "melanoma": "melanoma",
    "gastrointestinal": "gastrointestinal cancer",
    "gynaecological": "gynaecological cancer",
    "genitourinary": "genitourinary cancer",
    "head_and_neck": "head and neck cancer",
    "other": "other solid tumour",
    "unknown_primary": "cancer of unknown primary",
    "haematological": "haematological malignancy",
    "lymphoma": "lymphoma",
    "leukaemia": "leukaemia",
    "primary_brain": "primary brain tumour",
}
SYMPTOM: dict[str, str] = {code: text for code, (text, _) in SYMPTOMS.items()}

INPUT_FIELDS: dict[str, str] = {
    "patient_id": "patient identifier",
    "age_years": "age",
    "sex": "sex",
    "primary_tumour": "primary tumour",
    "known_cancer": "known cancer",
    "clinical_signs": "clinical signs (neurological examination)",
    "symptoms": "symptoms",
    "mri": "MRI",
    "cytology": "CSF cytology",
    "biopsy": "leptomeningeal biopsy",
    "csf": "CSF values",
    "serum": "serum values",
}
CODED_FIELDS: dict[str, dict[str, str]] = {
    "clinical_signs": CLINICAL_SIGNS,
    "mri": MRI,
    "cytology": CYTOLOGY,
    "biopsy": BIOPSY,
    "sex": SEX,
    "primary_tumour": PRIMARY_TUMOUR,
    "symptoms": SYMPTOM,
}
"""Input field → its codes' labels (also published by ``leptodx schema``)."""

ANALYTE: dict[str, str] = {
    "leukocytes": "Cell count (leukocytes)",
    "protein": "Total protein",
    "glucose": "Glucose",
    "lactate": "Lactate",
    "albumin": "Albumin",
    "qalb": "Albumin quotient",
    "glucose_ratio": "CSF/serum glucose ratio",
}
ANALYTE_SHORT: dict[str, str] = {
    "leukocytes": "Cells",
    "protein": "Protein",
    "glucose": "Glucose",
    "lactate": "Lactate",
    "albumin": "Albumin",
}
"""Short analyte names for narrow places (chart labels)."""
STATUS: dict[str, str] = {"high": "high", "low": "low", "normal": "normal"}
NOT_JUDGED: dict[str, str] = {
    "no_serum_glucose": "not judged without a simultaneous serum glucose",
    "no_serum_albumin": "not judged without serum albumin",
    "age_not_given": "not judged (age not given)",
    "age_outside_profile": "not judged (age outside the profile's range)",
    "suspected_unit_mixup": "not judged (suspected unit mix-up)",
    "qalb_not_judged": "not judged (albumin quotient not judged)",
}
NOT_JUDGED_REASON: dict[str, str] = {
    "no_serum_glucose": "no simultaneous serum glucose",
    "no_serum_albumin": "no serum albumin",
    "age_not_given": "age not given",
    "age_outside_profile": "age outside the profile's range",
    "suspected_unit_mixup": "suspected unit mix-up",
    "qalb_not_judged": "albumin quotient not judged",
}
CSF_FINDING: dict[str, str] = {
    "leukocytes_high": "raised cell count",
    "protein_high": "raised total protein",
    "glucose_ratio_low": "low CSF/serum glucose ratio",
    "lactate_high": "raised lactate",
    "barrier_dysfunction": "blood–CSF barrier dysfunction (raised albumin quotient)",
    "protein_low": "low total protein",
    "lactate_low": "low lactate",
    "glucose_high": "CSF glucose above the profile's absolute range",
    "glucose_low": "CSF glucose below the profile's absolute range",
    "leukocytes_low": "low cell count",
}
SOURCE_STATUS: dict[str, str] = {
    "verified": "verified",
    "secondary": "secondary source",
    "reconstructed": "reconstructed, unverified",
    "derived": "derived by arithmetic",
    "not_available": "not available",
}


def label(codes: dict[str, str], code: str | None, *, missing: str = "not recorded") -> str:
    """The label of ``code`` (``missing`` for None; an unknown code is shown in plain words)."""
    if code is None:
        return missing
    return codes.get(code, code.replace("_", " "))


def pack_reference(pack: str) -> str:
    """``"eano-esmo.md §EE-4"`` → ``"reference pack eano-esmo.md, section EE-4"``."""
    file, _, sections = pack.partition(" ")
    sections = sections.replace("§", "").strip()
    if not sections:
        return f"reference pack {file}"
    noun = "sections" if ("," in sections or "–" in sections) else "section"
    return f"reference pack {file}, {noun} {sections}"


def rule_certainty(status: str, risk: str | None) -> str:
    """How sure the rule is, as shown beside the level in every channel."""
    if status == "verified":
        return "Verified rule"
    if status == "secondary":
        return "Rule from a secondary source: check against the guideline"
    if status == "unverified":
        graded = f" — {RISK[risk]}" if risk in RISK else " (risk not graded)"
        return f"Reconstructed rule{graded}: check against the guideline table"
    return "LeptoDx rule, not a guideline rule"


def rule_source(decision_cell: str, pack: str) -> str:
    """``"source: reference pack eano-esmo.md, section EE-4, row 6"``."""
    text = f"source: {pack_reference(pack)}"
    if decision_cell.startswith("EE-4 row"):
        text += ", " + decision_cell.removeprefix("EE-4 ")
    return text
