"""The one analyte table agrees with the code tables, the unit module and every former copy."""

from __future__ import annotations

from leptodx.cohort import units as cohort_units
from leptodx.domain.units import accepted_units
from leptodx.reference import csf, fhir_codes
from leptodx.reference.analytes import ANALYTE_TABLE, ANALYTES, GOE_EXTREMES
from leptodx.reference.plausibility import PLAUSIBLE_RANGES
from leptodx.web import forms


def test_each_analyte_has_a_known_loinc_code_for_its_field() -> None:
    for a in ANALYTE_TABLE:
        assert fhir_codes.LAB_BY_CODE[a.loinc].field == a.field


def test_canonical_units_are_accepted_by_the_unit_module() -> None:
    for a in ANALYTE_TABLE:
        assert a.canonical_unit in accepted_units(a.dimension)


def test_plausible_ranges_admit_the_lm_extremes_of_the_goettingen_cohort() -> None:
    """csf.md §CSF-4: cells up to 4692 /µL, protein up to 15,840 mg/L, lactate up to 15.6 mmol/L."""
    assert 4692 in ANALYTES["csf.leukocytes"].plausible
    assert 15840 in ANALYTES["csf.protein"].plausible
    assert 15.6 in ANALYTES["csf.lactate"].plausible
    assert all(
        a.typical.low >= a.plausible.low and a.typical.high <= a.plausible.high
        for a in ANALYTE_TABLE
    )
    assert GOE_EXTREMES.pack.startswith("csf.md")


def test_former_copies_are_views_of_the_table() -> None:
    for a in ANALYTE_TABLE:
        bounds = PLAUSIBLE_RANGES[a.column]
        assert (bounds.low, bounds.high, bounds.unit) == (
            a.plausible.low,
            a.plausible.high,
            a.canonical_unit,
        )
        assert cohort_units.canonical_unit(a.column) == a.canonical_unit
    assert [(p, n) for p, n, *_ in forms.ANALYTES] == [(a.specimen, a.name) for a in ANALYTE_TABLE]
    csf_names = {a.name for a in ANALYTE_TABLE if a.specimen == "csf"}
    assert {x.value for x in csf.Analyte} == csf_names
    for profile in csf.PROFILES.values():
        for analyte, limit in profile.limits.items():
            assert limit.unit == ANALYTES[f"csf.{analyte.value}"].canonical_unit
