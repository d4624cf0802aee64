"""CSF interpretation at the boundaries stated by the sources (``csf.md §CSF-2, §CSF-3``)."""

from __future__ import annotations

import pytest

from leptodx.clinical.csf import NotJudged, get_profile, interpret_csf, qalb_upper_limit
from leptodx.domain.units import Dimension, Quantity
from leptodx.errors import InputError
from leptodx.reference.csf import FBC20, LAB_BANDS, CsfFinding, QalbRule


def q(value: float, unit: str, canonical: str, dimension: Dimension) -> Quantity:
    return Quantity.parse(value, unit, canonical_unit=canonical, dimension=dimension, field="x")


def status(profile: str, **values: Quantity) -> dict[str, str | None]:
    result = interpret_csf(
        {f"csf.{k}": v for k, v in values.items()}, age_years=50, profile=get_profile(profile)
    )
    return {a.name: a.status for a in result.analytes}


def test_s1_leukocytes_five_per_ul_is_raised_because_the_limit_is_below_five() -> None:
    assert status("S1-2020", leukocytes=q(5, "/uL", "/uL", Dimension.CELLS))["leukocytes"] == "high"
    assert (
        status("S1-2020", leukocytes=q(4, "/uL", "/uL", Dimension.CELLS))["leukocytes"] == "normal"
    )


def test_ebm_profile_counts_four_cells_as_abnormal_and_three_as_normal() -> None:
    assert (
        status("EBM-secondary", leukocytes=q(4, "/uL", "/uL", Dimension.CELLS))["leukocytes"]
        == "high"
    )
    assert (
        status("EBM-secondary", leukocytes=q(3, "/uL", "/uL", Dimension.CELLS))["leukocytes"]
        == "normal"
    )


def test_protein_limit_differs_between_s1_and_ebm_profiles() -> None:
    protein = q(47, "mg/dL", "mg/L", Dimension.MASS)  # 470 mg/L
    assert status("S1-2020", protein=protein)["protein"] == "normal"
    assert status("EBM-secondary", protein=protein)["protein"] == "high"


def test_s1_protein_500_mg_per_l_is_raised() -> None:
    assert status("S1-2020", protein=q(0.5, "g/L", "mg/L", Dimension.MASS))["protein"] == "high"


def test_lactate_above_s1_range_is_high_in_mg_per_dl_too() -> None:
    lactate = q(27.0, "mg/dL", "mmol/L", Dimension.LACTATE)  # 2.997 mmol/L
    assert status("S1-2020", lactate=lactate)["lactate"] == "high"
    assert status("Holub-2007", lactate=lactate)["lactate"] == "normal"


@pytest.mark.parametrize(
    ("age", "rule", "expected"),
    [
        (60, QalbRule.REIBER, 8.0),  # 4 + 60/15 (csf.md DERIVED example)
        (15, QalbRule.REIBER, 5.0),
        (60, QalbRule.HEGEN, 10.4),  # 60/25 + 8
        (39, QalbRule.AGE_BANDS, 6.5),
        (40, QalbRule.AGE_BANDS, 8.0),
        (61, QalbRule.AGE_BANDS, 9.0),
    ],
)
def test_qalb_upper_limit_by_rule(age: float, rule: QalbRule, expected: float) -> None:
    assert qalb_upper_limit(age, rule) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (39.9, 6.5),
        (40, 8.0),
        (60, 8.0),
        (60.1, 9.0),
    ],  # FBC20: 6.5 (< 40 y), 8.0 (40–60 y), 9.0 (> 60 y)
)
def test_qalb_age_bands_include_both_ends_of_40_to_60_as_the_source_states(
    age: float, expected: float
) -> None:
    """Finding 3: age 60 is in the 40–60 band (8.0), not in "> 60" (9.0)."""
    assert qalb_upper_limit(age, QalbRule.AGE_BANDS) == expected


def test_qalb_at_age_4_uses_the_paediatric_band_not_the_adult_one() -> None:
    """Finding 3: the pack's paediatric band (≤ 15 y < 5.0, lab handbooks, secondary) applies at 4."""
    result = qalb(22, 4.0, 4, "S1-2020-qalb-bands")  # 5.5 × 10⁻³
    assert result.qalb is not None and result.qalb.limit == 5.0
    assert result.qalb.source is LAB_BANDS and result.qalb.flag is True
    adult = qalb(22, 4.0, 39, "S1-2020-qalb-bands")  # 5.5 < 6.5 in adults
    assert adult.qalb is not None and adult.qalb.source is FBC20 and adult.qalb.flag is False


@pytest.mark.parametrize(
    ("profile", "age"),
    [("S1-2020", 4), ("S1-2020-hegen", 17), ("S1-2020-hegen", 71)],  # Reiber from 5 y; Hegen 18–70
)
def test_qalb_outside_the_rules_stated_ages_is_not_judged(profile: str, age: float) -> None:
    result = qalb(330, 40, age, profile)
    assert result.qalb is not None and result.qalb.flag is None and result.qalb.limit is None
    assert result.qalb.not_judged is NotJudged.AGE_OUTSIDE_PROFILE
    assert ("qalb", NotJudged.AGE_OUTSIDE_PROFILE) in result.summary.not_judged
    assert {a.name: a.status for a in result.analytes}["albumin"] is None


def test_qalb_equal_to_a_band_limit_is_raised_because_the_band_is_below_the_limit() -> None:
    result = qalb(320, 40, 50, "S1-2020-qalb-bands")  # 8.0 at 40–60 y, "< 8.0" normal
    assert result.qalb is not None and result.qalb.flag is True


def qalb(
    csf_albumin_mg_l: float, serum_albumin_g_l: float, age: float | None, profile: str = "S1-2020"
):
    values = {
        "csf.albumin": q(csf_albumin_mg_l, "mg/L", "mg/L", Dimension.MASS),
        "serum.albumin": q(serum_albumin_g_l, "g/L", "g/L", Dimension.MASS),
    }
    return interpret_csf(values, age_years=age, profile=get_profile(profile))


def test_qalb_from_mg_per_l_over_g_per_l_is_in_units_of_1e_minus_3() -> None:
    result = qalb(200, 40, 60)  # csf.md §CSF-4 trap: 200 mg/L ÷ 40 g/L = 5 × 10⁻³
    assert result.qalb is not None and result.qalb.value == pytest.approx(5.0)
    assert result.qalb.flag is False


def test_qalb_above_reiber_limit_is_barrier_dysfunction() -> None:
    result = qalb(330, 40, 60)  # 8.25 > 8.0
    assert result.qalb is not None and result.qalb.flag is True
    assert {a.name: a.status for a in result.analytes}["albumin"] == "high"


def test_qalb_without_age_is_reported_without_a_judgement() -> None:
    result = qalb(330, 40, None)
    assert result.qalb is not None and result.qalb.flag is None and result.qalb.limit is None
    assert any("age" in w for w in result.warnings)


def test_an_unjudged_qalb_is_not_summarised_as_within_limits() -> None:
    """Finding 6: with QAlb not judged, the summary lists it as not judged, not as normal."""
    result = qalb(330, 40, None)
    assert result.summary.judged == 0 and result.summary.lm_typical == ()
    assert result.summary.not_judged == (("qalb", NotJudged.AGE_NOT_GIVEN),)


def test_glucose_ratio_at_half_is_low_under_s1_but_normal_under_holub() -> None:
    values = {
        "csf.glucose": q(2.5, "mmol/L", "mmol/L", Dimension.GLUCOSE),
        "serum.glucose": q(5.0, "mmol/L", "mmol/L", Dimension.GLUCOSE),
    }
    s1 = interpret_csf(values, age_years=50, profile=get_profile("S1-2020"))
    holub = interpret_csf(values, age_years=50, profile=get_profile("Holub-2007"))
    assert s1.glucose_ratio is not None and s1.glucose_ratio.flag is True
    assert holub.glucose_ratio is not None and holub.glucose_ratio.flag is False


def test_missing_serum_glucose_is_reported_and_no_ratio_is_guessed() -> None:
    result = interpret_csf(
        {"csf.glucose": q(3.0, "mmol/L", "mmol/L", Dimension.GLUCOSE)},
        age_years=50,
        profile=get_profile("S1-2020"),
    )
    assert result.glucose_ratio is None
    assert any("serum glucose" in w for w in result.warnings)


def test_absolute_glucose_without_serum_is_not_judged_unless_the_profile_states_a_range() -> None:
    """Finding 7: S1 gives only the ratio (csf.md §CSF-2), so 4.0 mmol/L is not "high"; Holub 2007
    states 2.2–3.3 mmol/L and judges it, labelled with that range, outside the LM summary."""
    values = {"csf.glucose": q(4.0, "mmol/L", "mmol/L", Dimension.GLUCOSE)}
    s1 = interpret_csf(values, age_years=50, profile=get_profile("S1-2020"))
    (glucose,) = s1.analytes
    assert glucose.status is None and glucose.not_judged is NotJudged.NO_SERUM_GLUCOSE
    assert s1.summary.not_judged == (("glucose", NotJudged.NO_SERUM_GLUCOSE),)
    holub = interpret_csf(values, age_years=50, profile=get_profile("Holub-2007"))
    (glucose,) = holub.analytes
    assert glucose.status == "high" and glucose.limit is not None
    assert glucose.limit.text == "2.2–3.3 mmol/L"
    assert holub.summary.lm_typical == () and holub.summary.other_abnormal == ("glucose_high",)


def test_low_lactate_and_low_protein_do_not_feed_the_lm_summary() -> None:
    """Finding 7: LM raises cells, protein, lactate and QAlb and lowers the glucose ratio."""
    result = interpret_csf(
        {
            "csf.lactate": q(0.5, "mmol/L", "mmol/L", Dimension.LACTATE),  # S1: 0.9–2.7
            "csf.protein": q(100, "mg/L", "mg/L", Dimension.MASS),  # EBM: 150–450
        },
        age_years=50,
        profile=get_profile("EBM-secondary"),
    )
    assert result.summary.lm_typical == ()
    assert result.summary.other_abnormal == ("protein_low", "lactate_low")


def test_lm_typical_findings_are_the_raised_and_lowered_ones() -> None:
    values = {
        "csf.leukocytes": q(12, "/uL", "/uL", Dimension.CELLS),
        "csf.glucose": q(2.0, "mmol/L", "mmol/L", Dimension.GLUCOSE),
        "serum.glucose": q(5.0, "mmol/L", "mmol/L", Dimension.GLUCOSE),
        "csf.albumin": q(400, "mg/L", "mg/L", Dimension.MASS),
        "serum.albumin": q(40, "g/L", "g/L", Dimension.MASS),
    }
    result = interpret_csf(values, age_years=60, profile=get_profile("S1-2020"))
    assert result.summary.lm_typical == (
        CsfFinding.CELLS_HIGH,
        CsfFinding.GLUCOSE_RATIO_LOW,
        CsfFinding.BARRIER_DYSFUNCTION,
    )  # albumin "high" is the barrier dysfunction, not a second finding


def test_normal_csf_has_no_lm_typical_finding() -> None:
    result = interpret_csf(
        {"csf.leukocytes": q(1, "/uL", "/uL", Dimension.CELLS)},
        age_years=50,
        profile=get_profile("S1-2020"),
    )
    assert result.summary.lm_typical == () and result.summary.judged == 1


def test_unknown_profile_lists_the_profiles() -> None:
    with pytest.raises(InputError, match="profile: got 'S2'; expected one of: S1-2020"):
        get_profile("S2")
