"""Realistic US Core / mCODE extracts through every channel: the CLI, ``fhir pull`` against the
fixture FHIR server, and (in test_cds_ehr_records.py) the CDS Hooks service over HTTP.

The fixtures (tests/interop/fixtures/ehr/, README there) were written to a design; the expected
values below come from that design and from the sources, not from a run:

* ``uscore-lab-only-breast``: SNOMED CT + ICD-10-CM breast cancer, two lumbar punctures five days
  apart (a third one in 2025 is outside the 30-day work-up, a fourth is not done), serum glucose
  drawn 85 min before the second puncture, a serum albumin 24 days earlier, an entered-in-error
  protein (810 mg/dL), a preliminary lactate, a heart rate; no coded signs, MRI or cytology.
* ``mcode-narrative-mri-lung``: mCODE 363346000 + lung body site + ICD-O-3 8140/3; craniotomy on
  1 February, lumbar puncture on 9 February (8 days); cytology negative (coded report); typical
  signs; the MRI only as narrative text.
* ``uscore-icd10cm-melanoma-coded``: ICD-10-CM C43.59 active, C50.911 resolved in 2010, a
  provisional lung cancer; coded typical signs, MRI A, positive cytology → confirmed, type IA
  (eano-esmo.md §EE-4 row 1).
* ``uscore-haematological-lymphoma``: diffuse large B-cell lymphoma → outside the guideline
  (§EE-1).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leptodx.cli import app
from leptodx.interop.fhir import assessment_bundle, bundle_problems

from .conftest import r4b_problems
from .fhir_server import FixtureFhirServer

FIXTURES = Path(__file__).parent / "fixtures" / "ehr"
NAMES = sorted(p.name for p in FIXTURES.glob("*.json"))
runner = CliRunner()


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def resources(name: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in fixture(name)["entry"]]


def patient_id(name: str) -> str:
    return next(r["id"] for r in resources(name) if r["resourceType"] == "Patient")


def used(result: dict[str, Any], field: str) -> dict[str, Any]:
    return next(u for u in result["fhir_import"]["used"] if u["field"] == field)


def check_lab_only(result: dict[str, Any]) -> None:
    ee = result["eano_esmo"]
    assert (ee["outcome"], ee["level"]) == ("incomplete", None)
    assert {"clinical_signs", "mri", "cytology"} <= set(result["missing"])
    statuses = {a["name"]: a["status"] for a in result["csf"]["analytes"]}
    assert statuses["leukocytes"] == "high" and statuses["protein"] == "high"  # 9 /µL, 810 mg/L
    assert used(result, "csf.protein")["resource"] == "Observation/lp2-prot"
    assert used(result, "csf.protein")["value"] == 81.0  # not the entered-in-error 810
    assert used(result, "csf.lp_number")["value"] == 2
    assert used(result, "serum.glucose")["resource"] == "Observation/serum-glu-paired"
    assert result["csf"]["glucose_ratio"]["value"] == pytest.approx(45 / 95, abs=5e-4)
    assert not any(u["field"] == "serum.albumin" for u in result["fhir_import"]["used"])
    assert (used(result, "primary_tumour")["value"], used(result, "known_cancer")["value"]) == (
        "breast",
        True,
    )
    assert used(result, "csf.processing_delay_min")["value"] == 35.0
    ignored = " ".join(result["fhir_import"]["ignored"])
    for rid in ("Observation/lp2-prot-err", "Condition/ca-lung-refuted", "Procedure/lp-3-not-done"):
        assert rid in ignored  # (the heart rate is ignored by the CLI; a pull never asks for it)
    assert any("lp2-lac is preliminary" in w for w in result["warnings"])


def check_narrative_mri(result: dict[str, Any]) -> None:
    ee = result["eano_esmo"]
    assert (ee["outcome"], ee["level"]) == ("incomplete", None)
    assert "mri" in result["missing"] and "cytology" not in result["missing"]
    (not_coded,) = result["fhir_import"]["present_not_coded"]
    assert (not_coded["field"], not_coded["resource"]) == ("mri", "DiagnosticReport/mri")
    assert any("present but not coded" in w for w in result["warnings"])
    assert used(result, "csf.days_since_brain_surgery")["value"] == 8.0
    assert used(result, "csf.lp_number")["value"] == 1
    assert used(result, "primary_tumour")["value"] == "lung"
    assert used(result, "cytology")["value"] == "negative"


def check_melanoma(result: dict[str, Any]) -> None:
    ee = result["eano_esmo"]
    assert (ee["level"], ee["type"]) == ("confirmed", "IA")
    assert used(result, "primary_tumour")["value"] == "melanoma"
    assert "Condition/breast-2009" in used(result, "primary_tumour")["superseded"]
    assert any("Condition/lung-provisional" in i for i in result["fhir_import"]["ignored"])
    assert any("lac-prelim is preliminary" in w for w in result["warnings"])


def check_lymphoma(result: dict[str, Any]) -> None:
    assert result["eano_esmo"]["outcome"] == "out_of_scope"
    assert used(result, "primary_tumour")["value"] == "lymphoma"
    assert not any("so no level can be given yet" in w for w in result["warnings"])


CHECKS = {
    "uscore-lab-only-breast.json": check_lab_only,
    "mcode-narrative-mri-lung.json": check_narrative_mri,
    "uscore-icd10cm-melanoma-coded.json": check_melanoma,
    "uscore-haematological-lymphoma.json": check_lymphoma,
}


def test_every_fixture_is_checked() -> None:
    assert sorted(CHECKS) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_fixture_is_valid_r4b(name: str) -> None:
    assert r4b_problems(fixture(name)) == []


@pytest.mark.parametrize("name", NAMES)
def test_cli_assess_of_the_extract(name: str, tmp_path: Path, assert_readable: Any) -> None:
    out = runner.invoke(app, ["assess", str(FIXTURES / name), "--format", "json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    CHECKS[name](result)
    text = runner.invoke(app, ["assess", str(FIXTURES / name)])
    assert text.exit_code == 0 and "Taken from FHIR" in text.stdout
    bundle = assessment_bundle(result, subject=f"Patient/{patient_id(name)}")
    assert bundle_problems(bundle) == [] and r4b_problems(bundle) == []


def test_cli_assess_of_a_real_extract_lists_observations_it_does_not_read_as_ignored() -> None:
    out = runner.invoke(
        app, ["assess", str(FIXTURES / "uscore-lab-only-breast.json"), "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    ignored = json.loads(out.stdout)["fhir_import"]["ignored"]
    assert any(i.startswith("Observation/hr (http://loinc.org|8867-4") for i in ignored)


def test_strict_codes_refuses_an_observation_it_does_not_read_and_names_it() -> None:
    out = runner.invoke(
        app, ["assess", str(FIXTURES / "uscore-lab-only-breast.json"), "--strict-codes"]
    )
    assert out.exit_code == 2 and "Observation/hr" in out.output and "8867-4" in out.output


@pytest.fixture(params=NAMES)
def served(request: pytest.FixtureRequest) -> Iterator[tuple[str, FixtureFhirServer]]:
    with FixtureFhirServer(resources(request.param), token="t0ken").running() as server:
        yield request.param, server


def test_fhir_pull_of_the_extract(served: tuple[str, FixtureFhirServer], tmp_path: Path) -> None:
    name, server = served
    saved = tmp_path / "pulled.json"
    out = runner.invoke(
        app,
        [
            *("fhir", "pull", "--server", server.url, "--patient", patient_id(name)),
            *("--token", "t0ken", "--format", "json", "--save", str(saved)),
        ],
    )
    assert out.exit_code == 0, out.output
    CHECKS[name](json.loads(out.stdout))
    assert any(p.startswith("/fhir/Procedure") for p in server.requests)
    assert r4b_problems(json.loads(saved.read_text())) == []
    fhir_out = runner.invoke(
        app,
        [
            *("fhir", "pull", "--server", server.url, "--patient", patient_id(name)),
            *("--token", "t0ken", "--format", "fhir"),
        ],
    )
    bundle = json.loads(fhir_out.stdout)
    assert bundle_problems(bundle) == [] and r4b_problems(bundle) == []
