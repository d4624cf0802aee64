"""Codes for the rest of an EHR record: lumbar punctures, CSF specimens, cranial surgery, report
categories and orders (none of them is in the reference pack; each row gives where it was seen).

They feed ``lp_number`` and ``days_since_brain_surgery`` (``eano-esmo.md`` §EE-5: LP at least 14
days after brain surgery), flag MRI and cytology reports that carry only narrative text, and
trigger the order-select / order-sign CDS service. Text patterns serve only to *recognise* a
report or an order; they never set a finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.reference.cancer_codes import MCODE_EXAMPLES, PUBLIC_CODE, SNOMED
from leptodx.reference.citation import Source, Status
from leptodx.reference.fhir_codes import LOINC

CPT = "http://www.ama-assn.org/go/cpt"
V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074"
V2_0487 = "http://terminology.hl7.org/CodeSystem/v2-0487"
_NOT_IN_PACK = "not in the reference pack"

V2_TABLES = Source("HL7-v2-tables", "HL7 v2 tables 0074 (diagnostic service section: RAD Radiology, NMR Nuclear magnetic resonance, CP Cytopathology, PAT Pathology, SP Surgical pathology) and 0487 (specimen type: CSF), seen in published value sets (version 3.0.0)", _NOT_IN_PACK, Status.SECONDARY, "https://terminology.hl7.org/CodeSystem-v2-0074.html")  # fmt: skip
US_CORE_CATEGORIES = Source("US-Core-report-categories", "US Core DiagnosticReport categories LP29684-5 Radiology and LP7839-6 Pathology (LOINC parts), seen in US Core test kits and IG source", _NOT_IN_PACK, Status.SECONDARY, "https://hl7.org/fhir/us/core/")  # fmt: skip
CPT_UNCHECKED = Source("CPT-unchecked", "AMA CPT procedure codes (a licensed code set): not checked against it", _NOT_IN_PACK, Status.RECONSTRUCTED)  # fmt: skip
CSF_SPECIMEN_SOURCE = Source("SNOMED-258450006", "SNOMED CT 258450006 Cerebrospinal fluid specimen (specimen), seen in public specimen value sets", _NOT_IN_PACK, Status.SECONDARY)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Concept:
    """A coded concept LeptoDx recognises, with the source that shows it."""

    system: str
    code: str
    display: str
    source: Source


LUMBAR_PUNCTURE: tuple[Concept, ...] = (
    Concept(SNOMED, "277762005", "Lumbar puncture (procedure)", MCODE_EXAMPLES),
    Concept(CPT, "62270", "Spinal puncture, lumbar, diagnostic", CPT_UNCHECKED),
    Concept(CPT, "62328", "Spinal puncture, lumbar, diagnostic; with fluoroscopic or CT guidance", CPT_UNCHECKED),
)  # fmt: skip
"""Procedure codes counted as a lumbar puncture (``Procedure.code``, ``Specimen.collection.method``,
``ServiceRequest.code``)."""
LUMBAR_PUNCTURE_TEXT = ("lumbar puncture", "spinal tap", "spinal puncture")

CSF_SPECIMEN: tuple[Concept, ...] = (
    Concept(SNOMED, "258450006", "Cerebrospinal fluid specimen (specimen)", CSF_SPECIMEN_SOURCE),
    Concept(V2_0487, "CSF", "Cerebral spinal fluid", V2_TABLES),
)
"""``Specimen.type`` codes of a CSF sample: one CSF collection is one lumbar puncture."""

CRANIAL_SURGERY: tuple[Concept, ...] = (
    Concept(SNOMED, "25353009", "Craniotomy (procedure)", PUBLIC_CODE),
    Concept(CPT, "61510", "Craniectomy, trephination, bone flap craniotomy; for excision of brain tumor, supratentorial", CPT_UNCHECKED),
    Concept(CPT, "61518", "Craniectomy for excision of brain tumor, infratentorial or posterior fossa", CPT_UNCHECKED),
)  # fmt: skip
"""Procedures read as brain surgery; a surgical Procedure whose ``bodySite`` is a brain structure
(:data:`BRAIN_SITES`) counts too."""
BRAIN_SITES: tuple[Concept, ...] = (
    Concept(SNOMED, "12738006", "Brain structure (body structure)", MCODE_EXAMPLES),
    Concept(SNOMED, "83678007", "Structure of cerebrum (body structure)", MCODE_EXAMPLES),
    Concept(SNOMED, "89546000", "Bone structure of cranium (body structure)", MCODE_EXAMPLES),
)
CRANIAL_SURGERY_TEXT = ("craniotomy", "craniectomy", "brain surgery", "resection of brain")

NMR_CATEGORY = Concept(V2_0074, "NMR", "Nuclear magnetic resonance", V2_TABLES)
RADIOLOGY_CATEGORIES: tuple[Concept, ...] = (
    Concept(LOINC, "LP29684-5", "Radiology", US_CORE_CATEGORIES),
    Concept(V2_0074, "RAD", "Radiology", V2_TABLES),
    NMR_CATEGORY,
)
PATHOLOGY_CATEGORIES: tuple[Concept, ...] = (
    Concept(LOINC, "LP7839-6", "Pathology", US_CORE_CATEGORIES),
    Concept(V2_0074, "CP", "Cytopathology", V2_TABLES),
    Concept(V2_0074, "PAT", "Pathology", V2_TABLES),
    Concept(V2_0074, "SP", "Surgical pathology", V2_TABLES),
)
MRI_TEXT = ("mri", "mr", "magnetic resonance")
"""Words of an MRI report's or order's code text (with :data:`NEURAXIS_TEXT` for orders)."""
NEURAXIS_TEXT = ("brain", "head", "spine", "spinal", "neuraxis", "cranial", "craniospinal")
CSF_TEXT = ("csf", "cerebrospinal", "cerebral spinal", "liquor")
"""Words of a cytology report on CSF."""

MRI_ORDERS: tuple[Concept, ...] = (
    Concept(CPT, "70551", "MRI brain without contrast", CPT_UNCHECKED),
    Concept(CPT, "70552", "MRI brain with contrast", CPT_UNCHECKED),
    Concept(CPT, "70553", "MRI brain without and with contrast", CPT_UNCHECKED),
    Concept(CPT, "72156", "MRI cervical spine without and with contrast", CPT_UNCHECKED),
    Concept(CPT, "72157", "MRI thoracic spine without and with contrast", CPT_UNCHECKED),
    Concept(CPT, "72158", "MRI lumbar spine without and with contrast", CPT_UNCHECKED),
)
"""MRI orders of the neuraxis recognised by code; others by the words of their text."""

LP_EPISODE_GAP_DAYS = 30.0
"""LeptoDx implementation choice (no source): lumbar punctures at most 30 days apart belong to one
diagnostic work-up, so ``lp_number`` counts back from the CSF sample until a gap of more than 30
days. Shown with every ``lp_number`` read from FHIR."""
SERUM_PAIRING_MAX_HOURS = 24.0
"""LeptoDx implementation choice: the serum sample nearest in time to the CSF draw is used when it
was drawn within 24 hours of it (the S1 guideline asks for a simultaneous serum sample,
``eano-esmo.md`` §EE-5); a farther one is not paired and the ratio is not computed."""

ALL_SOURCES: tuple[Source, ...] = (
    V2_TABLES,
    US_CORE_CATEGORIES,
    CSF_SPECIMEN_SOURCE,
    CPT_UNCHECKED,
)
