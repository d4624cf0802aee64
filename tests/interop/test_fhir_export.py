"""Assessment → FHIR R4 Bundle: R4-valid, every resource with a Provenance, codes that read back."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leptodx import __version__
from leptodx.cli import app
from leptodx.clinical.assess import assess_record
from leptodx.interop.fhir import assessment_bundle, bundle_problems, codesystem_resources
from leptodx.presentation.assessment import present
from leptodx.reference import fhir_codes as codes

from .conftest import EXAMPLES, example, r4b_problems

runner = CliRunner()


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _observation(bundle: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [
        o
        for o in _resources(bundle, "Observation")
        if o["code"]["coding"][0] == {**o["code"]["coding"][0], "code": code}
    ]


def _value(obs: dict[str, Any]) -> str:
    return str(obs["valueCodeableConcept"]["coding"][0]["code"])


@pytest.mark.parametrize("name", [p.name for p in EXAMPLES.glob("*.json")])
def test_every_example_exports_a_valid_bundle_whose_codes_read_back(name: str) -> None:
    result = assess_record(example(name))
    bundle = assessment_bundle(result)
    assert bundle_problems(bundle) == []
    assert r4b_problems(bundle) == []
    ee = result["eano_esmo"]
    (level,) = _observation(bundle, "eano-esmo-level")
    if ee["level"]:
        assert _value(level) == ee["level"]
    else:
        view = present(result)
        assert level["dataAbsentReason"]["text"] == f"{view.headline}. {view.rule}"
    types = _observation(bundle, "eano-esmo-type")
    assert [_value(t) for t in types] == ([ee["type"]] if ee["type"] else [])
    statuses = {
        o["component"][0]["code"]["coding"][0]["code"]: _value(o)
        for o in _observation(bundle, "csf-interpretation")
    }
    assert sorted(statuses.values()) == sorted(
        a["status"] for a in result["csf"]["analytes"] if a["status"]
    )


def test_each_generated_resource_has_a_provenance_naming_leptodx_and_its_sources() -> None:
    result = assess_record(example("probable_type_iia.json"))
    bundle = assessment_bundle(result)
    provenances = _resources(bundle, "Provenance")
    (device,) = _resources(bundle, "Device")
    assert device["version"][0]["value"] == __version__
    generated = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    targets = [p["target"][0]["reference"] for p in provenances]
    assert sorted(targets) == sorted(e["fullUrl"] for e in generated)
    level_url = next(e["fullUrl"] for e in generated if "eano-esmo-level" in json.dumps(e))
    level_prov = next(p for p in provenances if p["target"][0]["reference"] == level_url)
    assert {e["what"]["identifier"]["value"] for e in level_prov["entity"]} == set(
        result["eano_esmo"]["sources"]
    )
    assert level_prov["agent"][0]["who"]["display"] == f"LeptoDx {__version__}"


def test_reconstructed_rule_is_said_in_the_level_observation() -> None:
    result = assess_record(example("possible_type_iid_reconstructed.json"))
    (level,) = _observation(assessment_bundle(result), "eano-esmo-level")
    assert any("reconstructed" in n["text"] for n in level["note"])


def test_validator_catches_what_fhir_models_accept() -> None:
    bundle = assessment_bundle(assess_record(example("probable_type_iia.json")))
    broken = copy.deepcopy(bundle)
    obs = _observation(broken, "eano-esmo-level")[0]
    obs["status"] = "done"
    obs["valueCodeableConcept"]["coding"][0]["code"] = "likely"
    broken["entry"] = [e for e in broken["entry"] if e["resource"]["resourceType"] != "Device"]
    problems = "\n".join(bundle_problems(broken))
    assert "status 'done'" in problems
    assert "'likely' is not in" in problems
    assert "does not resolve" in problems
    without_prov = copy.deepcopy(bundle)
    without_prov["entry"] = [
        e for e in without_prov["entry"] if e["resource"]["resourceType"] != "Provenance"
    ]
    assert any("no Provenance" in p for p in bundle_problems(without_prov))


def test_code_systems_are_complete_and_versioned() -> None:
    systems = {cs["url"]: cs for cs in codesystem_resources()}
    assert systems[codes.MRI_PATTERN.url]["version"] == codes.CODESYSTEM_VERSION
    assert {c["code"] for c in systems[codes.LEVEL.url]["concept"]} == {
        "confirmed",
        "probable",
        "possible",
        "lack_of_evidence",
    }


def _fitted(tmp_path: Path, model: Any) -> Path:
    path = tmp_path / "model.json"
    model.sealed().save(path)
    return path


def test_cli_fhir_format_with_a_model_adds_a_risk_assessment(
    tmp_path: Path, site_x_model: Any
) -> None:
    predictors = tmp_path / "p.json"
    predictors.write_text(
        json.dumps({"active_brain_metastasis": 1, "csf_protein": {"value": 0.5, "unit": "g/L"}})
    )
    out = runner.invoke(
        app,
        [
            *("assess", str(EXAMPLES / "probable_type_iia.json"), "--format", "fhir"),
            *("--model", str(_fitted(tmp_path, site_x_model)), "--predictors", str(predictors)),
        ],
    )
    assert out.exit_code == 0, out.output
    bundle = json.loads(out.stdout)
    assert bundle_problems(bundle) == []
    (risk,) = _resources(bundle, "RiskAssessment")
    # logit⁻¹(-1 + 0.5·1 + 2·0.5) computed by hand
    assert risk["prediction"][0]["probabilityDecimal"] == pytest.approx(
        1 / (1 + 2.718281828459045**-0.5), abs=1e-6
    )
    assert risk["subject"] == {"reference": "Patient/example-probable-iia"}


def test_cli_model_without_predictors_is_an_error(tmp_path: Path, site_x_model: Any) -> None:
    out = runner.invoke(
        app,
        [
            "assess",
            str(EXAMPLES / "probable_type_iia.json"),
            "--model",
            str(_fitted(tmp_path, site_x_model)),
        ],
    )
    assert out.exit_code == 2 and "--model/--predictors" in out.output


def test_cli_assess_detects_a_bundle_and_reports_the_choice(tmp_path: Path) -> None:
    template = runner.invoke(app, ["fhir", "template", str(EXAMPLES / "probable_type_iia.json")])
    path = tmp_path / "bundle.json"
    path.write_text(template.stdout)
    out = runner.invoke(app, ["assess", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert result["eano_esmo"]["level"] == "probable"
    fields = {u["field"] for u in result["fhir_import"]["used"]}
    assert {"csf.protein", "mri", "cytology", "clinical_signs"} <= fields
    check = tmp_path / "out.json"
    check.write_text(runner.invoke(app, ["assess", str(path), "--format", "fhir"]).stdout)
    assert runner.invoke(app, ["fhir", "check", str(check)]).exit_code == 0


def test_cli_bad_bundle_exits_2_naming_the_resource(tmp_path: Path) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "Observation",
                    "id": "weird",
                    "status": "final",
                    "code": {"coding": [{"system": codes.LOINC, "code": "8867-4"}]},
                    "valueQuantity": {"value": 80, "unit": "/min"},
                }
            }
        ],
    }
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle))
    out = runner.invoke(app, ["assess", str(path), "--strict-codes"])
    assert out.exit_code == 2
    assert "Observation/weird" in out.output and "Traceback" not in out.output


def _components(obs: dict[str, Any]) -> dict[str, str]:
    return {c["code"]["coding"][0]["code"]: _value(c) for c in obs.get("component", [])}


def test_level_observation_carries_outcome_rule_status_and_risk_and_a_readable_narrative(
    assert_readable: Any,
) -> None:
    result = assess_record(example("possible_type_iid_reconstructed.json"))
    bundle = assessment_bundle(result)
    assert bundle_problems(bundle) == []
    (level,) = _observation(bundle, "eano-esmo-level")
    assert _components(level) == {
        "eano-esmo-outcome": "classified",
        "eano-esmo-rule-status": "unverified",
        "eano-esmo-rule-risk": "high",
    }
    assert "Reconstructed rule — high risk" in level["text"]["div"]
    assert_readable(level["text"]["div"])
    (summary,) = _observation(bundle, "csf-summary")
    assert_readable(summary["valueString"])


def test_no_known_cancer_exports_not_classifiable_with_data_absent_unknown() -> None:
    record = {
        "known_cancer": False,
        "clinical_signs": "typical",
        "mri": "A",
        "cytology": "negative",
    }
    (level,) = _observation(assessment_bundle(assess_record(record)), "eano-esmo-level")
    assert level["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    assert _components(level)["eano-esmo-outcome"] == "not_classifiable"
    assert _components(level)["eano-esmo-rule-status"] == "unverified"


def test_r4b_models_and_reference_types_reject_what_r4_forbids() -> None:
    bundle = assessment_bundle(assess_record(example("probable_type_iia.json")))
    assert r4b_problems(bundle) == []
    wrong = copy.deepcopy(bundle)
    device = next(e["fullUrl"] for e in wrong["entry"] if e["resource"]["resourceType"] == "Device")
    level = _observation(wrong, "eano-esmo-level")[0]
    level["performer"] = [{"reference": device}]  # R4: performer is never a Device
    assert any("is a Device" in p for p in r4b_problems(wrong))
    assert any("performer" in p for p in bundle_problems(wrong))
    del level["code"]  # 1..1 in R4B
    assert r4b_problems(wrong) and "code" in r4b_problems(wrong)[0]


def test_exported_observations_carry_category_subject_time_device_and_loinc_status() -> None:
    from leptodx.interop.fhir import assess_input, findings_bundle

    from .conftest import WHEN

    result = assess_input(findings_bundle(example("probable_type_iia.json"), when=WHEN))
    bundle = assessment_bundle(result, subject="Patient/example-probable-iia")
    assert bundle_problems(bundle) == [] and r4b_problems(bundle) == []
    (device,) = _resources(bundle, "Device")
    device_url = next(e["fullUrl"] for e in bundle["entry"] if e["resource"] is device)
    for obs in _resources(bundle, "Observation"):
        assert obs["category"][0]["coding"][0]["code"] in {"laboratory", "exam"}
        assert obs["subject"] == {"reference": "Patient/example-probable-iia"}
        assert obs["device"]["reference"] == device_url and "performer" not in obs
        assert obs["effectiveDateTime"] == WHEN.isoformat()  # the findings' time, not now
    for obs in _observation(bundle, "csf-interpretation"):
        (coding,) = obs["component"][0]["code"]["coding"]
        lab = codes.LAB_BY_CODE[coding["code"]]
        assert coding["extension"] == [{"url": codes.CODE_STATUS_EXTENSION, "valueCode": lab.status.value}]  # fmt: skip
        assert obs["derivedFrom"][0]["reference"].startswith("Observation/")
