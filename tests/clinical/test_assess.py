"""The assessment contract (2.0) on the clinical-safety review's cases (issue 13).

Numbers and wording come from the reference pack: §EE-4 (rows, status, risk), §EE-5 (repeat LP,
sensitivity, simultaneous serum), §CSF-2 (lactate > 3.5 mmol/L, NRP20), §CSF-4 (units),
§LB-2 (Nakasu 2023 pooled accuracy), §EE-6 (role of liquid biopsy not available).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from leptodx.clinical.assess import CONTRACT_VERSION, assess_record

BASE: dict[str, Any] = {
    "patient_id": "p",
    "age_years": 58,
    "primary_tumour": "breast",
    "known_cancer": True,
    "clinical_signs": "typical",
    "mri": "A",
    "cytology": "negative",
}


def run(**changes: Any) -> dict[str, Any]:
    record = {**BASE, **changes}
    return assess_record({k: v for k, v in record.items() if v is not None})


def steps(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["code"]: s for s in result["eano_esmo"]["next_steps"]}


def test_contract_version_is_2_0() -> None:
    assert run()["contract_version"] == CONTRACT_VERSION == "2.0"


# --- finding 1: no known cancer ------------------------------------------------------------


def test_no_known_cancer_is_not_classifiable_applicable_unverified_with_work_up() -> None:
    result = run(known_cancer=False, primary_tumour=None, mri="A", cytology="negative")
    ee = result["eano_esmo"]
    assert (ee["outcome"], ee["applicable"], ee["level"]) == ("not_classifiable", True, None)
    assert (ee["rule_status"], ee["decision_cell"]) == ("unverified", "EE-4 row 9")
    assert {"search_primary", "repeat_lp"} <= set(steps(result))


def test_a_primary_with_known_cancer_false_is_a_contradiction_warning() -> None:
    result = run(known_cancer=False, primary_tumour="breast")
    assert result["contradictions"] == ["primary_without_known_cancer"]
    assert any("breast cancer" in w and "known cancer" in w for w in result["warnings"])


# --- finding 2: rule certainty in the JSON -------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "status", "risk", "reconstructed"),
    [
        ({}, "verified", None, False),  # row 2
        (
            {"clinical_signs": "normal", "mri": "C", "cytology": "equivocal"},
            "unverified",
            "medium",
            True,
        ),
        ({"mri": "D-normal", "cytology": "equivocal"}, "unverified", "high", True),  # row 5
        ({"mri": "D-normal"}, "unverified", "high", True),  # row 6
        (
            {"clinical_signs": "other", "mri": "D-normal", "cytology": "equivocal"},
            "unverified",
            "high",
            True,
        ),
        ({"mri": "not_done"}, "implementation_choice", None, False),  # row 10
    ],
)
def test_rule_status_and_risk_come_from_the_decision_row(
    changes, status, risk, reconstructed
) -> None:
    ee = run(**changes)["eano_esmo"]
    assert (ee["rule_status"], ee["rule_risk"], ee["reconstructed"]) == (
        status,
        risk,
        reconstructed,
    )


# --- partial findings ------------------------------------------------------------------------


def test_a_record_without_clinical_signs_is_incomplete_but_interprets_the_csf() -> None:
    result = run(
        clinical_signs=None,
        csf={"protein": {"value": 0.9, "unit": "g/L"}, "lactate": {"value": 3.0, "unit": "mmol/L"}},
    )
    ee = result["eano_esmo"]
    assert (ee["outcome"], ee["level"]) == ("incomplete", None)
    assert result["missing"][0] == "clinical_signs"
    assert result["csf"]["findings"]["lm_typical"] == ["protein_high", "lactate_high"]
    assert "neurological_examination" in steps(result)


# --- finding 4: lp_number --------------------------------------------------------------------


def test_negative_cytology_at_the_first_lp_suggests_a_second() -> None:
    assert "repeat_lp" in steps(run(csf={"lp_number": 1}))


@pytest.mark.parametrize("lp_number", [2, 3])
def test_negative_cytology_at_a_repeat_lp_gives_sensitivity_context_not_another_lp(
    lp_number: int,
) -> None:
    """§EE-5: "A second CSF sample should be analysed if the initial CSF sample is negative"."""
    found = steps(run(csf={"lp_number": lp_number}))
    assert "repeat_lp" not in found
    text = found["cytology_sensitivity"]["text"]
    assert f"lumbar puncture number {lp_number}" in text
    assert "44–67 %" in text and "84–91 %" in text  # NKI review, §EE-5
    assert "does not exclude LM" in text


# --- finding 5: possible LM ------------------------------------------------------------------


def test_possible_lm_without_csf_gets_a_lumbar_puncture_never_no_further_test() -> None:
    result = run(clinical_signs="normal", mri="C", cytology="not_done")
    assert result["eano_esmo"]["level"] == "possible"
    found = steps(result)
    assert "csf_optional" not in found
    text = found["lumbar_puncture"]["text"]
    assert "serum sample at the same time" in text and "within 30 min" in text
    assert all("no further test" not in s["text"] for s in found.values())


def test_symptoms_with_a_normal_examination_are_a_contradiction_warning() -> None:
    result = run(clinical_signs="normal", symptoms=["headache", "diplopia"])
    assert result["contradictions"] == ["symptoms_with_normal_examination"]


# --- finding 8: unit mix-ups ------------------------------------------------------------------


def test_csf_glucose_in_the_wrong_unit_is_named_and_not_judged() -> None:
    """3.0 "mg/dL" CSF glucose = 0.167 mmol/L; 3.0 mmol/L would be typical (ratio 0.03 is not)."""
    result = run(
        csf={"glucose": {"value": 3.0, "unit": "mg/dL"}},
        serum={"glucose": {"value": 5.5, "unit": "mmol/L"}},
    )
    (glucose,) = result["csf"]["analytes"]
    assert (glucose["status"], glucose["plausibility"]) == (None, "suspected_unit_mixup")
    assert glucose["suspected_unit"] == "mmol/L"
    assert result["csf"]["glucose_ratio"]["low"] is None
    assert result["csf"]["findings"]["lm_typical"] == []
    assert any("was it 3 mmol/L?" in w for w in result["warnings"])


def test_lactate_25_mmol_per_l_is_flagged_as_a_likely_mg_per_dl_value() -> None:
    result = run(csf={"lactate": {"value": 25, "unit": "mmol/L"}})
    (lactate,) = result["csf"]["analytes"]
    assert lactate["status"] is None and lactate["suspected_unit"] == "mg/dL"
    assert "infection_differential" not in steps(result)


def test_a_glucose_ratio_above_1_is_a_warning() -> None:
    result = run(
        csf={"glucose": {"value": 9.9, "unit": "mmol/L"}},
        serum={"glucose": {"value": 5.5, "unit": "mmol/L"}},
    )
    assert result["csf"]["glucose_ratio"]["value"] == 1.8
    assert any("ratio 1.8 is above 1" in w for w in result["warnings"])


def test_an_impossible_value_is_an_input_error_naming_the_likely_unit() -> None:
    from leptodx.errors import InputError

    with pytest.raises(
        InputError, match=r"csf\.lactate\.value: got '45 mmol/L'; expected a plausible"
    ):
        run(csf={"lactate": {"value": 45, "unit": "mmol/L"}})
    # serum albumin 4.1 "g/L" is below the plausible 5 g/L; 4.1 g/dL = 41 g/L would be typical
    with pytest.raises(InputError, match=r"between 5 and 80 g/L \(was it 4\.1 g/dL\?\)"):
        run(serum={"albumin": {"value": 4.1, "unit": "g/L"}})


def test_a_mixup_into_a_non_canonical_unit_shows_what_it_would_be() -> None:
    result = run(csf={"lactate": {"value": 25, "unit": "mmol/L"}})
    assert any("was it 25 mg/dL (= 2.775 mmol/L)?" in w for w in result["warnings"])


# --- finding 9: sourced steps -----------------------------------------------------------------


@pytest.mark.parametrize(("lactate", "expected"), [(3.6, True), (3.5, False)])
def test_lactate_above_3_5_brings_infection_into_the_differential(
    lactate: float, expected: bool
) -> None:
    """NRP20 Table 1 (csf.md §CSF-2, VERIFIED): > 3.5 mmol/L typical of bacterial/TB meningitis."""
    found = steps(run(csf={"lactate": {"value": lactate, "unit": "mmol/L"}}))
    assert ("infection_differential" in found) is expected
    if expected:
        assert "bacterial or tuberculous meningitis" in found["infection_differential"]["text"]
        assert found["infection_differential"]["sources"] == ["NRP-2020"]


@pytest.mark.parametrize("cytology", ["negative", "equivocal"])
def test_negative_or_equivocal_cytology_gives_the_liquid_biopsy_context(cytology: str) -> None:
    text = steps(run(cytology=cytology))["liquid_biopsy_context"]["text"]
    assert "sensitivity 87.0 % (77.9–92.6)" in text  # Nakasu 2023, CSF CTC
    assert "sensitivity 97.9 % (19.3–100)" in text  # CSF cell-free tumour DNA
    assert "role in the EANO–ESMO levels is not available" in text


def test_every_lp_step_asks_for_a_simultaneous_serum_sample() -> None:
    for changes in ({}, {"cytology": "equivocal"}, {"cytology": "not_done", "mri": "D-normal"}):
        for code, step in steps(run(**changes)).items():
            if code in {"repeat_lp", "lumbar_puncture"}:
                assert "serum sample at the same time" in step["text"]
                assert "S1-2020-sampling" in step["sources"]


# --- finding 10: qualified confirmation ---------------------------------------------------------


def test_positive_cytology_soon_after_brain_surgery_qualifies_the_level() -> None:
    ee = run(cytology="positive", csf={"days_since_brain_surgery": 7})["eano_esmo"]
    assert ee["level"] == "confirmed" and ee["qualifiers"] == ["cytology_possibly_false_positive"]


def test_positive_cytology_with_a_negative_biopsy_is_noted() -> None:
    result = run(cytology="positive", biopsy="negative")
    assert result["eano_esmo"]["qualifiers"] == ["biopsy_negative"]
    assert any("negative leptomeningeal biopsy" in w for w in result["warnings"])


# --- finding 11: no float noise ----------------------------------------------------------------


def test_canonical_values_and_ratios_have_no_float_noise_in_json() -> None:
    result = run(
        csf={
            "protein": {"value": 0.41, "unit": "g/L"},
            "glucose": {"value": 1.1, "unit": "mmol/L"},
        },
        serum={"glucose": {"value": 5.5, "unit": "mmol/L"}},
    )
    text = json.dumps(result)
    protein = result["csf"]["analytes"][0]
    assert protein["canonical_value"] == 410.0  # 0.41 g/L → 410 mg/L exactly (csf.md §CSF-4)
    assert result["csf"]["glucose_ratio"]["value"] == 0.2
    assert "409.99" not in text and "0.19999" not in text
