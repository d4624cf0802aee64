"""EHR records in the web app: ``POST /api/v1/assess`` with a FHIR Bundle, and the case form
pre-filled from a stored record (where the CDS card sends the clinician to add findings)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import Service, auth

FIXTURES = Path(__file__).resolve().parents[1] / "interop" / "fixtures" / "ehr"


def _bundle(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def test_assess_takes_a_fhir_bundle_and_gives_the_incomplete_outcome_with_the_csf(
    service: Service,
) -> None:
    body = json.dumps(_bundle("uscore-lab-only-breast.json"))
    headers = {**auth(service, "clin"), "Content-Type": "application/fhir+json"}
    strict = service.client.post(
        "/api/v1/assess?ignore_unknown=false", content=body, headers=headers
    )
    assert strict.status_code == 422
    assert "Observation/hr" in strict.text  # a heart rate: refused only when asked to be strict
    response = service.client.post("/api/v1/assess", content=body, headers=headers)
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["eano_esmo"]["outcome"], result["eano_esmo"]["level"]) == ("incomplete", None)
    assert {"clinical_signs", "mri", "cytology"} <= set(result["missing"])
    assert {a["name"] for a in result["csf"]["analytes"]} >= {"leukocytes", "protein", "glucose"}
    # the newest finding used is the 13 January puncture (the serum of 14 January is not paired)
    assert result["fhir_import"]["reference_date"] == "2026-01-13"


def test_case_form_is_pre_filled_from_a_stored_record_within_the_users_scope(
    service: Service,
) -> None:
    record = {
        "patient_id": "EHR-42",
        "known_cancer": True,
        "primary_tumour": "breast",
        "age_years": 57,
        "symptoms": ["headache"],
        "csf": {"protein": {"value": 81, "unit": "mg/dL"}, "lp_number": 2},
    }
    client = service.client
    patient = client.post("/api/v1/patients", json={"external_id": "EHR-42"}, headers=auth(service, "clin"))  # fmt: skip
    case = client.post(
        f"/api/v1/patients/{patient.json()['id']}/cases", json=record, headers=auth(service, "clin")
    )
    assert case.status_code == 201, case.text
    case_id = case.json()["id"]
    page = client.get(f"/cases/new?from_case={case_id}", headers=auth(service, "clin"))
    assert page.status_code == 200
    html = page.text
    assert f"Pre-filled from case {case_id}" in html
    assert 'name="patient_id" value="EHR-42"' in html
    assert 'name="csf_protein_value" inputmode="decimal" value="81"' in html
    assert 'value="mg/dL" selected' in html
    assert 'name="lp_number" inputmode="decimal" value="2"' in html
    assert 'value="breast" selected' in html and 'value="yes" selected' in html
    assert 'value="headache" checked' in html
    other_team = client.get(f"/cases/new?from_case={case_id}", headers=auth(service, "clin_b"))
    assert other_team.status_code == 404  # another team's case is out of scope
