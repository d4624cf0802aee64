"""FHIR R4 Bundle → input contract: mapping, most-recent choice, and every bad-bundle case."""

from __future__ import annotations

import copy
from dataclasses import asdict
from typing import Any

import pytest

from leptodx.domain.patient import parse_patient
from leptodx.errors import InputError
from leptodx.interop.fhir import assess_input, findings_bundle, read_bundle
from leptodx.reference import fhir_codes as codes

from .conftest import WHEN, added, example, r4b_problems, resources

SUBJECT = {"reference": "Patient/example-probable-iia"}


def lab(rid: str, loinc: str, value: float, unit: str, when: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "code": {"coding": [{"system": codes.LOINC, "code": loinc}]},
        "subject": SUBJECT,
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": unit, "system": codes.UCUM, "code": unit},
        **extra,
    }


@pytest.mark.parametrize(
    "name",
    [
        "probable_type_iia.json",
        "lack_of_evidence.json",
        "out_of_scope_haematological.json",
        "possible_type_iid_reconstructed.json",
        "incomplete_mri_not_done.json",
    ],
)
def test_round_trip_of_findings_gives_the_same_validated_input(name: str) -> None:
    record = example(name)
    bundle = findings_bundle(record, when=WHEN)
    assert r4b_problems(bundle) == []
    imported = read_bundle(bundle)
    got = asdict(parse_patient(imported.record)[0])
    want = asdict(parse_patient(record)[0])
    assert sorted(got.pop("symptoms")) == sorted(want.pop("symptoms"))
    assert got == want


def test_round_trip_gives_the_same_assessment(
    record: dict[str, Any], bundle: dict[str, Any]
) -> None:
    from leptodx.clinical.assess import assess_record

    via_fhir = assess_input(bundle)  # lp_number travels as Procedures
    direct = assess_record(record)
    assert via_fhir["eano_esmo"] == direct["eano_esmo"]
    assert via_fhir["csf"] == direct["csf"]
    assert via_fhir["fhir_import"]["reference_date"] == "2026-03-02"


def test_the_most_recent_value_per_analyte_is_used_and_reported(bundle: dict[str, Any]) -> None:
    older = lab("protein-old", "2880-3", 45.0, "mg/dL", "2025-01-10T08:00:00Z")
    newer = lab("protein-new", "2880-3", 1.5, "g/L", "2026-03-05T08:00:00Z")
    b = added(added(bundle, older), newer)
    imported = read_bundle(b)
    assert imported.record["csf"]["protein"] == {"value": 1.5, "unit": "g/L"}
    choice = next(c for c in imported.choices if c.field == "csf.protein")
    assert choice.resource == "Observation/protein-new"
    assert "Observation/protein-old" in choice.superseded
    assert any("different days" in w for w in imported.warnings)


def test_any_csf_cell_count_code_feeds_the_one_leukocyte_field(bundle: dict[str, Any]) -> None:
    b = added(bundle, lab("nuc", "58470-6", 30, "10*6/L", "2026-03-03T08:00:00Z"))
    imported = read_bundle(b)
    assert imported.record["csf"]["leukocytes"] == {"value": 30.0, "unit": "10*6/L"}


def test_ucum_annotations_are_understood(bundle: dict[str, Any]) -> None:
    b = added(bundle, lab("cells", "26465-5", 7, "{cells}/uL", "2026-03-03T08:00:00Z"))
    assert read_bundle(b).record["csf"]["leukocytes"] == {"value": 7.0, "unit": "/uL"}


def test_mri_from_a_diagnostic_report_conclusion(bundle: dict[str, Any]) -> None:
    report = {
        "resourceType": "DiagnosticReport",
        "id": "mri-1",
        "status": "final",
        "code": {"text": "MRI neuraxis"},
        "subject": SUBJECT,
        "effectiveDateTime": "2026-03-04T10:00:00Z",
        "conclusionCode": [{"coding": [{"system": codes.MRI_PATTERN.url, "code": "C"}]}],
    }
    imported = read_bundle(added(bundle, report))
    assert imported.record["mri"] == "C"
    assert imported.resource_of["mri"] == "DiagnosticReport/mri-1"


def test_icd10_cm_primary_is_read_with_the_status_of_its_source(record: dict[str, Any]) -> None:
    record = {k: v for k, v in record.items() if k != "primary_tumour"}
    b = findings_bundle({**record, "primary_tumour": None}, when=WHEN)
    b["entry"] = [e for e in b["entry"] if "known-cancer" not in str(e)]
    condition = {
        "resourceType": "Condition",
        "id": "ca",
        "subject": SUBJECT,
        "code": {"coding": [{"system": codes.ICD10CM, "code": "C50.912"}]},
    }
    imported = read_bundle(added(b, condition))
    assert imported.record["primary_tumour"] == "breast"
    assert imported.record["known_cancer"] is True
    choice = next(c for c in imported.choices if c.field == "primary_tumour")
    # C50.912 is listed with its display in HL7 mCODE's primary-malignant value set: secondary
    assert choice.code_status == "secondary" and "C50.912" in str(choice.code)


def test_a_recorded_lm_diagnosis_is_reported_not_used_as_a_leg(bundle: dict[str, Any]) -> None:
    lm = {
        "resourceType": "Condition",
        "id": "lm",
        "subject": SUBJECT,
        "code": {"coding": [{"system": codes.SNOMED, "code": "128462008"}]},
    }
    result = assess_input(added(bundle, lm))
    assert result["eano_esmo"]["level"] == "probable"
    assert any("Condition/lm" in w for w in result["warnings"])


def test_refuted_and_entered_in_error_resources_are_ignored(bundle: dict[str, Any]) -> None:
    wrong = lab("err", "2880-3", 9999, "mg/dL", "2026-04-01T08:00:00Z", status="entered-in-error")
    imported = read_bundle(added(bundle, wrong))
    assert imported.record["csf"]["protein"]["value"] == 98.0
    assert any("Observation/err" in i for i in imported.ignored)


def _error(bundle: Any, **kwargs: Any) -> InputError:
    with pytest.raises(InputError) as info:
        read_bundle(bundle, **kwargs)
    return info.value


def test_unknown_loinc_code_is_listed_as_ignored_or_refused_when_strict(
    bundle: dict[str, Any],
) -> None:
    heart_rate = added(bundle, lab("hr", "8867-4", 80, "/min", "2026-03-03T08:00:00Z"))
    lenient = read_bundle(heart_rate)
    assert any(i.startswith("Observation/hr (http://loinc.org|8867-4") for i in lenient.ignored)
    assert not any("Observation/hr" in w for w in lenient.warnings)  # not a CSF result
    err = _error(heart_rate, ignore_unknown=False)
    assert err.field == "Observation/hr"
    assert "8867-4" in str(err)


def test_an_unmapped_csf_result_is_ignored_with_a_warning_naming_it(
    bundle: dict[str, Any],
) -> None:
    igg = lab("igg", "2464-6", 30, "mg/L", "2026-03-03T08:00:00Z")
    igg["code"]["coding"][0]["display"] = "IgG [Mass/volume] in Cerebral spinal fluid"
    igg["code"]["text"] = "CSF IgG"
    imported = read_bundle(added(bundle, igg))
    assert any(i.startswith("Observation/igg") for i in imported.ignored)
    (warning,) = [w for w in imported.warnings if "Observation/igg" in w]
    assert "CSF" in warning and "2464-6" in warning


def test_unknown_unit_names_the_resource(bundle: dict[str, Any]) -> None:
    err = _error(added(bundle, lab("p2", "2880-3", 1, "mmol/L", "2026-03-03T08:00:00Z")))
    assert err.field == "Observation/p2.valueQuantity.unit"
    assert "mmol/L" in str(err) and "mg/dL" in str(err)


def test_missing_unit_is_an_error(bundle: dict[str, Any]) -> None:
    obs = lab("p3", "2880-3", 1, "g/L", "2026-03-03T08:00:00Z")
    obs["valueQuantity"] = {"value": 1.0}
    assert _error(added(bundle, obs)).field == "Observation/p3.valueQuantity.unit"


def test_censored_value_is_an_error(bundle: dict[str, Any]) -> None:
    obs = lab("c1", "26465-5", 5, "/uL", "2026-03-03T08:00:00Z")
    obs["valueQuantity"]["comparator"] = "<"
    assert _error(added(bundle, obs)).field == "Observation/c1.valueQuantity.comparator"


def test_implausible_value_names_the_resource(bundle: dict[str, Any]) -> None:
    err = _error(added(bundle, lab("huge", "2880-3", 900, "g/L", "2026-03-03T08:00:00Z")))
    assert err.field.startswith("Observation/huge")


def test_unknown_local_code_value_is_an_error(bundle: dict[str, Any]) -> None:
    mri = resources(bundle, "Observation", "mri-pattern")[0]
    bad = copy.deepcopy(mri)
    bad["id"] = "mri-bad"
    bad["effectiveDateTime"] = "2026-03-03T08:00:00Z"
    bad["valueCodeableConcept"]["coding"][0]["code"] = "E"
    err = _error(added(bundle, bad))
    assert err.field == "Observation/mri-bad.valueCodeableConcept" and err.value == "E"


def test_two_undated_results_cannot_be_ordered(bundle: dict[str, Any]) -> None:
    a = lab("u1", "2520-5", 3, "mmol/L", "x")
    b = lab("u2", "2520-5", 4, "mmol/L", "x")
    for obs in (a, b):
        del obs["effectiveDateTime"]
    err = _error(added(added(bundle, a), b))
    assert "most recent" in str(err)


def test_bad_date_is_an_error(bundle: dict[str, Any]) -> None:
    err = _error(added(bundle, lab("d", "2520-5", 3, "mmol/L", "yesterday")))
    assert err.field.startswith("Observation/d") and "effectiveDateTime" in str(err)


def test_resource_of_another_patient_is_an_error(bundle: dict[str, Any]) -> None:
    obs = lab("other", "2520-5", 3, "mmol/L", "2026-03-03")
    obs["subject"] = {"reference": "Patient/someone-else"}
    err = _error(added(bundle, obs))
    assert err.field == "Observation/other.subject" and err.value == "someone-else"


def test_structurally_invalid_resource_is_an_error(bundle: dict[str, Any]) -> None:
    obs = lab("s", "2520-5", 3, "mmol/L", "2026-03-03")
    obs["valueQuantity"]["value"] = "three"
    err = _error(added(bundle, obs))
    assert err.field == "Observation/s"


def test_missing_leg_gives_an_incomplete_assessment_and_says_how_to_code_it(
    bundle: dict[str, Any],
) -> None:
    """Issue 13: a record without a coded MRI is assessed (no level, CSF interpreted), not refused."""
    b = copy.deepcopy(bundle)
    b["entry"] = [e for e in b["entry"] if "mri-pattern" not in str(e["resource"].get("code"))]
    result = assess_input(b)
    assert (result["eano_esmo"]["outcome"], result["eano_esmo"]["level"]) == ("incomplete", None)
    assert "mri" in result["missing"] and result["csf"]["analytes"]
    assert any(
        "No MRI found" in w and "DiagnosticReport" in w for w in result["fhir_import"]["warnings"]
    )


def test_entry_without_resource_is_an_error(bundle: dict[str, Any]) -> None:
    b = copy.deepcopy(bundle)
    b["entry"].append({"fullUrl": "urn:uuid:x"})
    assert _error(b).field == f"Bundle.entry[{len(b['entry']) - 1}]"


def test_several_patients_is_an_error(bundle: dict[str, Any]) -> None:
    b = added(bundle, {"resourceType": "Patient", "id": "p2"})
    assert "one patient" in str(_error(b))


def test_lp_number_and_days_since_surgery_travel_as_procedures() -> None:
    record = {**example("probable_type_iia.json")}
    record["csf"] = {**record["csf"], "lp_number": 3, "days_since_brain_surgery": 10}
    bundle = findings_bundle(record, when=WHEN)
    assert r4b_problems(bundle) == []
    csf = read_bundle(bundle).record["csf"]
    assert (csf["lp_number"], csf["days_since_brain_surgery"]) == (3, 10.0)


def _procedure(rid: str, code: str, when: str, status: str = "completed") -> dict[str, Any]:
    return {
        "resourceType": "Procedure",
        "id": rid,
        "status": status,
        "code": {"coding": [{"system": codes.SNOMED, "code": code}]},
        "subject": SUBJECT,
        "performedDateTime": when,
    }


def test_lp_number_counts_the_work_up_back_from_the_sample_and_warns_of_a_later_puncture(
    bundle: dict[str, Any],
) -> None:
    """The CSF sample is from 2 March 2026 (WHEN). Punctures on 20 Dec (41 days before 30 Jan),
    30 Jan and 2 March (31 days apart: a new work-up), so the sample is the first of its work-up;
    a puncture on 5 March has no results yet."""
    b = copy.deepcopy(bundle)
    for e in b["entry"]:  # drop the template's own punctures
        if e["resource"]["resourceType"] == "Procedure":
            e["resource"]["status"] = "entered-in-error"
    for rid, when in (("a", "2025-12-20"), ("b", "2026-01-30"), ("c", "2026-03-02"), ("d", "2026-03-05")):  # fmt: skip
        b = added(b, _procedure(rid, "277762005", when))
    imported = read_bundle(b)
    assert imported.record["csf"]["lp_number"] == 1
    assert any("Procedure/d" in w and "no CSF results" in w for w in imported.warnings)
    b2 = added(b, _procedure("e", "277762005", "2026-02-05"))  # 25 days before 2 March
    assert read_bundle(b2).record["csf"]["lp_number"] == 3  # 30 Jan, 5 Feb, 2 March


def test_a_later_surgery_does_not_count_and_an_earlier_one_gives_whole_days(
    bundle: dict[str, Any],
) -> None:
    b = added(bundle, _procedure("op-late", "25353009", "2026-03-10"))
    assert read_bundle(b).record["csf"].get("days_since_brain_surgery") is None
    b = added(b, _procedure("op", "25353009", "2026-02-20T23:00:00Z"))  # sample 2 March 09:30
    assert read_bundle(b).record["csf"]["days_since_brain_surgery"] == 10.0


def test_serum_nearest_to_the_csf_draw_is_used_and_a_far_one_is_not_paired(
    bundle: dict[str, Any],
) -> None:
    b = copy.deepcopy(bundle)
    b["entry"] = [e for e in b["entry"] if "1751-7" not in str(e) and "2345-7" not in str(e)]
    near = lab("near", "2345-7", 90, "mg/dL", "2026-03-02T07:00:00Z")  # 2.5 h before
    newer = lab("newer", "2345-7", 140, "mg/dL", "2026-03-03T12:00:00Z")  # 26.5 h after
    far = lab("far", "1751-7", 40, "g/L", "2026-02-20T07:00:00Z")  # 10 days before
    imported = read_bundle(added(added(added(b, near), newer), far))
    assert imported.record["serum"]["glucose"]["value"] == 90.0
    assert "albumin" not in imported.record.get("serum", {})
    assert any("Observation/far" in w and "not paired" in w for w in imported.warnings)
    choice = next(c for c in imported.choices if c.field == "serum.glucose")
    assert "Observation/newer" in choice.superseded and "2.5 hours" in str(choice.note)


def test_narrative_only_mri_report_is_present_but_not_coded(bundle: dict[str, Any]) -> None:
    b = copy.deepcopy(bundle)
    b["entry"] = [e for e in b["entry"] if "mri-pattern" not in str(e["resource"].get("code"))]
    report = {
        "resourceType": "DiagnosticReport",
        "id": "mri-text",
        "status": "final",
        "category": [{"coding": [{"system": "http://loinc.org", "code": "LP29684-5"}]}],
        "code": {"text": "MR brain with contrast"},
        "subject": SUBJECT,
        "effectiveDateTime": "2026-03-01T10:00:00Z",
        "conclusion": "Nodular enhancement along the cauda equina.",
    }
    result = assess_input(added(b, report))
    assert (result["eano_esmo"]["outcome"], result["missing"][:1]) == ("incomplete", ["mri"])
    (entry,) = result["fhir_import"]["present_not_coded"]
    assert entry["resource"] == "DiagnosticReport/mri-text" and entry["field"] == "mri"
    assert "Nodular enhancement" in entry["excerpt"]
    assert not any("No MRI found" in w for w in result["warnings"])
    knee = {**report, "id": "knee", "code": {"text": "X-ray knee"}}
    assert read_bundle(added(b, knee)).not_coded == ()
