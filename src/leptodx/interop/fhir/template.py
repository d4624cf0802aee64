"""Findings (the input contract) → the FHIR resources LeptoDx reads: a template for EHR
interfaces and the inverse of :func:`leptodx.interop.fhir.importer.read_bundle` (round trips are
tested). ``lp_number`` and ``days_since_brain_surgery`` become Procedures."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from leptodx.domain.patient import parse_patient
from leptodx.interop.fhir._resources import utc_now
from leptodx.interop.fhir.exporter import (
    OBSERVATION_CATEGORY,
    lab_coding,
    local_concept,
    new_id,
    observation_code,
    quantity,
)
from leptodx.reference import fhir_codes as codes
from leptodx.reference import procedure_codes as pc

_FIELD_LOINC = {lab.field: lab for lab in reversed(codes.LAB_CODES)}


def findings_bundle(record: Mapping[str, Any], *, when: datetime | None = None) -> dict[str, Any]:
    """An input-contract record as the FHIR resources :func:`read_bundle` reads (a template)."""
    patient, _ = parse_patient(record)
    moment = (when or utc_now()).isoformat()
    pid = patient.patient_id or new_id()
    entries: list[dict[str, Any]] = []

    def add(resource: dict[str, Any]) -> None:
        resource.setdefault("id", new_id())
        entries.append({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource})

    person: dict[str, Any] = {"resourceType": "Patient", "id": pid}
    if patient.age_years is not None:  # a birth date giving that age in completed years
        on = datetime.fromisoformat(moment).date()
        years = int(patient.age_years)
        born = (
            on.replace(year=on.year - years)
            if (on.month, on.day) != (2, 29)
            else on.replace(year=on.year - years, day=28)
        )
        person["birthDate"] = born.isoformat()
    if patient.sex is not None:
        person["gender"] = patient.sex.value
    add(person)
    subject = {"reference": f"Patient/{pid}"}
    obs = {
        "resourceType": "Observation",
        "status": "final",
        "subject": subject,
        "effectiveDateTime": moment,
    }
    csf_obs = obs
    csf = patient.csf
    if csf is not None and (csf.volume_ml is not None or csf.processing_delay_min is not None):
        csf_type = {"coding": [{"system": c.system, "code": c.code, "display": c.display} for c in pc.CSF_SPECIMEN]}  # fmt: skip
        specimen: dict[str, Any] = {"resourceType": "Specimen", "id": new_id(), "type": csf_type, "subject": subject, "collection": {"collectedDateTime": moment}}  # fmt: skip
        if csf.volume_ml is not None:
            specimen["collection"]["quantity"] = {"value": csf.volume_ml, "unit": "mL", "system": codes.UCUM, "code": "mL"}  # fmt: skip
        if csf.processing_delay_min is not None:
            received = datetime.fromisoformat(moment) + timedelta(minutes=csf.processing_delay_min)
            specimen["receivedTime"] = received.isoformat()
        add(specimen)
        csf_obs = {**obs, "specimen": {"reference": f"Specimen/{specimen['id']}"}}
    if csf is not None:
        _procedures(add, subject, datetime.fromisoformat(moment), csf.lp_number, csf.days_since_brain_surgery)  # fmt: skip
    for analyte in ("leukocytes", "protein", "glucose", "lactate", "albumin"):
        _lab(add, csf_obs, csf, "csf", analyte)
    for analyte in ("glucose", "albumin"):
        _lab(add, obs, patient.serum, "serum", analyte)
    findings = {"clinical-signs": patient.clinical_signs, "mri-pattern": patient.mri, "csf-cytology": patient.cytology, "meningeal-biopsy": patient.biopsy}  # fmt: skip
    for code, value in findings.items():
        if value is not None:
            system = codes.FINDING_CODES[code][1]
            add(
                {
                    **obs,
                    "code": observation_code(code),
                    "valueCodeableConcept": local_concept(system, value.value),
                }
            )
    for symptom in patient.symptoms:
        add(
            {
                **obs,
                "code": observation_code("symptom"),
                "valueCodeableConcept": local_concept(codes.SYMPTOM, symptom),
            }
        )
    if patient.primary_tumour is not None:
        add({"resourceType": "Condition", "subject": subject, "recordedDate": moment, "code": local_concept(codes.PRIMARY_TUMOUR, patient.primary_tumour)})  # fmt: skip
    else:
        add({**obs, "code": observation_code("known-cancer"), "valueBoolean": patient.known_cancer})
    if patient.primary_tumour is not None and not patient.known_cancer:
        add({**obs, "code": observation_code("known-cancer"), "valueBoolean": False})
    return {"resourceType": "Bundle", "type": "collection", "timestamp": moment, "entry": entries}


def _procedures(
    add: Any, subject: dict[str, str], moment: datetime, lp_number: int | None, days: float | None
) -> None:
    """``lp_number`` as that many lumbar punctures a day apart ending with the sample's, and
    ``days_since_brain_surgery`` as a craniotomy that many days before it."""
    done: list[tuple[pc.Concept, datetime]] = []
    if lp_number is not None:
        done += [(pc.LUMBAR_PUNCTURE[0], moment - timedelta(days=lp_number - 1 - i)) for i in range(lp_number)]  # fmt: skip
    if days is not None:
        done.append((pc.CRANIAL_SURGERY[0], moment - timedelta(days=days)))
    for concept, when in done:
        code = {"coding": [{"system": concept.system, "code": concept.code, "display": concept.display}]}  # fmt: skip
        add({"resourceType": "Procedure", "status": "completed", "code": code, "subject": subject, "performedDateTime": when.isoformat()})  # fmt: skip


def _lab(add: Any, obs: dict[str, Any], panel: Any, field: str, analyte: str) -> None:
    entry = getattr(panel, analyte, None) if panel is not None else None
    if entry is None:
        return
    lab = _FIELD_LOINC[f"{field}.{analyte}"]
    if lab.field == "csf.glucose" and entry.unit == "mmol/L":
        lab = codes.LAB_BY_CODE["14744-7"]  # the molar CSF glucose code
    code = {"coding": [lab_coding(lab)]}
    category = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "laboratory", "display": "Laboratory"}]}]  # fmt: skip
    add({**obs, "category": category, "code": code, "valueQuantity": quantity(entry.value, entry.unit)})  # fmt: skip
