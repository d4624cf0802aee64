"""Codes for FHIR R4 exchange (``interop.md`` §IO-1 to §IO-3) and LeptoDx's local code systems.

Every external code carries the status of the reference pack: ``verified`` (seen on the code
system's own site), ``secondary`` (lab catalogues, code-lookup sites) or ``reconstructed`` (the
pack's UNVERIFIED: not found in any consulted source). Check every code against the official
release before production use (``interop.md`` header).

EANO–ESMO level, type, MRI pattern and cytology category have no standard codes (IO-2: NOT
AVAILABLE), so LeptoDx defines versioned local code systems below, documented in
``docs/interop.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.reference.citation import Status
from leptodx.reference.eano_esmo import (
    OUT_OF_SCOPE_PRIMARIES,
    SOLID_PRIMARIES,
    Biopsy,
    ClinicalSigns,
    Cytology,
    Level,
    Mri,
    Outcome,
    RuleRisk,
    RuleStatus,
)
from leptodx.reference.symptoms import SYMPTOMS

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
UCUM = "http://unitsofmeasure.org"


@dataclass(frozen=True, slots=True)
class LabCode:
    """A LOINC code and the input-contract field it feeds."""

    code: str
    display: str
    field: str
    status: Status
    seen_at: str | None = None


LAB_CODES: tuple[LabCode, ...] = (
    LabCode("26465-5", "Leukocytes [#/volume] in Cerebral spinal fluid", "csf.leukocytes", Status.RECONSTRUCTED),
    LabCode("806-0", "Leukocytes [#/volume] in Cerebral spinal fluid by Manual count", "csf.leukocytes", Status.RECONSTRUCTED),
    LabCode("805-2", "Leukocytes [#/volume] in Cerebral spinal fluid by Automated count", "csf.leukocytes", Status.SECONDARY, "https://www.healthassure.in/codes/loinc-805-2-wbc-auto-csf-vol"),
    LabCode("58470-6", "Nucleated cells [#/volume] in Cerebral spinal fluid", "csf.leukocytes", Status.SECONDARY, "https://labcorp.com/test-menu/22131/cell-count-cerebrospinal-fluid"),
    LabCode("2880-3", "Protein [Mass/volume] in Cerebral spinal fluid", "csf.protein", Status.SECONDARY, "https://ltd.aruplab.com/Tests/Pub/0020514"),
    LabCode("2342-4", "Glucose [Mass/volume] in Cerebral spinal fluid", "csf.glucose", Status.SECONDARY, "https://mml.testcatalog.org/show/GLSF"),
    LabCode("14744-7", "Glucose [Moles/volume] in Cerebral spinal fluid", "csf.glucose", Status.RECONSTRUCTED),
    LabCode("2520-5", "Lactate [Moles/volume] in Cerebral spinal fluid", "csf.lactate", Status.SECONDARY, "https://ltd.aruplab.com/Tests/Pub/0020516"),
    LabCode("1746-7", "Albumin [Mass/volume] in Cerebral spinal fluid", "csf.albumin", Status.SECONDARY, "https://ltd.aruplab.com/Tests/Pub/0050200"),
    LabCode("1751-7", "Albumin [Mass/volume] in Serum or Plasma", "serum.albumin", Status.SECONDARY, "https://www.amsreferencelab.com/test/albumin/"),
    LabCode("2345-7", "Glucose [Mass/volume] in Serum or Plasma", "serum.glucose", Status.RECONSTRUCTED),
)  # fmt: skip
"""LOINC codes LeptoDx reads (IO-1). Several CSF cell-count codes map to one field (IO-1 rule)."""

LAB_BY_CODE: dict[str, LabCode] = {c.code: c for c in LAB_CODES}
QALB_RATIO_LOINC = LabCode(
    "1756-6",
    "Albumin [Mass Ratio] in Cerebral spinal fluid/Serum or Plasma",
    "qalb",
    Status.VERIFIED,
    "https://loinc.org/1756-6",
)
"""LOINC's ratio is CSF/serum albumin × 100 (IO-1); LeptoDx computes QAlb (×10⁻³) itself."""

# --- diagnoses (IO-2) -------------------------------------------------------------------------

LM_CONDITION_CODES: dict[tuple[str, str], tuple[str, Status]] = {
    (SNOMED, "128462008"): ("Secondary malignant neoplastic disease (with bodySite meninges)", Status.VERIFIED),
    (ICD10CM, "C79.32"): ("Secondary malignant neoplasm of cerebral meninges", Status.RECONSTRUCTED),
    (ICD10CM, "C79.49"): ("Secondary malignant neoplasm of other parts of nervous system", Status.SECONDARY),
    (ICD10, "C79.3"): ("Secondary malignant neoplasm of brain and cerebral meninges", Status.SECONDARY),
    (ICD10, "C79.4"): ("Secondary malignant neoplasm of other and unspecified parts of nervous system", Status.SECONDARY),
}  # fmt: skip
"""Condition codes read as 'an LM diagnosis is recorded' (informational; never an input leg)."""

NOT_LM_SPECIFIC = {(ICD10, "C80.0"), (ICD10CM, "C80.0")}
"""SSA lists C80.0 for LM but it is not LM-specific: never evidence of LM alone (IO-2)."""

# --- LeptoDx local code systems ----------------------------------------------------------------

CODESYSTEM_BASE = "https://leptodx.org/fhir/CodeSystem"
CODE_STATUS_EXTENSION = "https://leptodx.org/fhir/StructureDefinition/code-status"
"""Extension on a Coding: the code's status in the reference pack (verified, secondary,
reconstructed), so a receiving system sees which codes still need checking (docs/interop.md)."""
CODESYSTEM_VERSION = "1.1.0"
"""1.1.0: outcome, rule-status and rule-risk code systems and their observation codes."""


@dataclass(frozen=True, slots=True)
class LocalCodeSystem:
    """A LeptoDx code system: canonical URL, title and codes (code → display)."""

    name: str
    title: str
    concepts: dict[str, str]
    description: str

    @property
    def url(self) -> str:
        return f"{CODESYSTEM_BASE}/{self.name}"


OBSERVATION_CODES = LocalCodeSystem(
    "observation",
    "LeptoDx observation codes",
    {
        "clinical-signs": "Clinical signs of LM (EANO–ESMO clinical leg)",
        "mri-pattern": "MRI pattern of LM (EANO–ESMO subtype A–D)",
        "csf-cytology": "CSF cytology result (EANO–ESMO)",
        "meningeal-biopsy": "Meningeal biopsy result",
        "known-cancer": "Known cancer (history of a cancer diagnosis)",
        "symptom": "LM-related symptom present",
        "eano-esmo-level": "EANO–ESMO level of certainty of LM",
        "eano-esmo-type": "EANO–ESMO type and MRI subtype of LM",
        "eano-esmo-outcome": "Outcome of the EANO–ESMO classification (level, no level, scope)",
        "eano-esmo-rule-status": "Status of the decision-table rule that gave the outcome",
        "eano-esmo-rule-risk": "Risk grade of an unverified (reconstructed) decision-table rule",
        "csf-interpretation": "Interpretation of a CSF analyte against a named reference profile",
        "csf-summary": "Summary of the CSF interpretation",
        "qalb": "Albumin quotient QAlb (CSF/serum albumin × 10⁻³) with its age-dependent limit",
    },
    "What an Observation or DiagnosticReport conclusion is about.",
)
MRI_PATTERN = LocalCodeSystem(
    "mri-pattern",
    "EANO–ESMO MRI pattern",
    {m.value: f"MRI pattern {m.value}" for m in Mri},
    "Values of mri-pattern (A linear, B nodular, C both, D hydrocephalus or normal).",
)
CYTOLOGY = LocalCodeSystem(
    "cytology", "CSF cytology result", {c.value: c.value.replace("_", " ") for c in Cytology}, ""
)
CLINICAL_SIGNS = LocalCodeSystem(
    "clinical-signs",
    "Clinical signs of LM",
    {c.value: c.value for c in ClinicalSigns},
    "typical = typical clinical signs; other = non-typical signs; normal = no signs.",
)
BIOPSY = LocalCodeSystem(
    "biopsy", "Meningeal biopsy result", {b.value: b.value.replace("_", " ") for b in Biopsy}, ""
)
LEVEL = LocalCodeSystem(
    "eano-esmo-level",
    "EANO–ESMO level of certainty",
    {lv.value: lv.value.replace("_", " ") for lv in Level},
    "",
)
LM_TYPE = LocalCodeSystem(
    "eano-esmo-type",
    "EANO–ESMO type and MRI subtype",
    {t: f"type {t}" for t in ("IA", "IB", "IC", "ID", "IIA", "IIB", "IIC", "IID")},
    "Type I = malignant cells in CSF or biopsy; II = not; letter = MRI pattern.",
)
OUTCOME = LocalCodeSystem(
    "eano-esmo-outcome",
    "Outcome of the EANO–ESMO classification",
    {
        Outcome.CLASSIFIED.value: "classified (a certainty level)",
        Outcome.NOT_CLASSIFIABLE.value: "not classifiable under the verified rules",
        Outcome.INCOMPLETE.value: "no level: findings incomplete",
        Outcome.OUT_OF_SCOPE.value: "outside the solid-tumour guideline",
    },
    "",
)
RULE_STATUS = LocalCodeSystem(
    "rule-status",
    "Status of a decision-table rule (reference pack marks)",
    {
        RuleStatus.VERIFIED.value: "verified",
        RuleStatus.SECONDARY.value: "from a secondary source",
        RuleStatus.UNVERIFIED.value: "unverified (reconstructed)",
        RuleStatus.IMPLEMENTATION_CHOICE.value: "LeptoDx implementation choice",
    },
    "",
)
RULE_RISK = LocalCodeSystem(
    "rule-risk",
    "Risk grade of an unverified rule",
    {r.value: f"{r.value} risk" for r in RuleRisk},
    "How much a wrong reconstruction could mislead (eano-esmo.md EE-4).",
)
CSF_STATUS = LocalCodeSystem(
    "csf-status",
    "CSF analyte status against the profile's limit",
    {"normal": "within the limit", "high": "above the upper limit", "low": "below the lower limit"},
    "",
)
PRIMARY_TUMOUR = LocalCodeSystem(
    "primary-tumour",
    "Primary tumour category (LeptoDx input vocabulary)",
    {p: p.replace("_", " ") for p in (*SOLID_PRIMARIES, *OUT_OF_SCOPE_PRIMARIES)},
    "Primary cancer category of a Condition when no ICD-10 code maps.",
)
SYMPTOM = LocalCodeSystem(
    "symptom", "LM-related symptoms", {k: v[0] for k, v in SYMPTOMS.items()}, ""
)

LOCAL_CODESYSTEMS: tuple[LocalCodeSystem, ...] = (
    OBSERVATION_CODES,
    MRI_PATTERN,
    CYTOLOGY,
    CLINICAL_SIGNS,
    BIOPSY,
    LEVEL,
    LM_TYPE,
    OUTCOME,
    RULE_STATUS,
    RULE_RISK,
    CSF_STATUS,
    PRIMARY_TUMOUR,
    SYMPTOM,
)

FINDING_CODES: dict[str, tuple[str, LocalCodeSystem]] = {
    "clinical-signs": ("clinical_signs", CLINICAL_SIGNS),
    "mri-pattern": ("mri", MRI_PATTERN),
    "csf-cytology": ("cytology", CYTOLOGY),
    "meningeal-biopsy": ("biopsy", BIOPSY),
    "symptom": ("symptoms", SYMPTOM),
}
"""Local observation code → (input-contract field, value code system)."""
