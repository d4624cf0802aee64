"""CSF versus plasma: pairing, sets, detection rates and McNemar against R."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from leptodx.liquid_biopsy.compare import compare_samples
from leptodx.liquid_biopsy.io import Call, Sample, SampleType, read_variants
from leptodx.liquid_biopsy.variants import parse_alteration

REF = json.loads(
    (
        Path(__file__).parents[1]
        / "reference_values"
        / "liquid_biopsy"
        / "liquid_biopsy_reference.json"
    ).read_text()
)
EXAMPLE = Path(__file__).parents[2] / "examples" / "ctdna" / "variants.csv"
DAY = date(2026, 1, 1)


def sample(pid: str, st: SampleType, detected: bool, day: date = DAY) -> Sample:
    calls = (Call(parse_alteration("EGFR", "L858R"), 0.1, "L858R", 2),) if detected else ()
    return Sample(pid, st, day, calls, (2,))


def cohort_from_table(both: int, csf_only: int, plasma_only: int, neither: int) -> list[Sample]:
    out: list[Sample] = []
    cells = [(True, True)] * both + [(True, False)] * csf_only
    cells += [(False, True)] * plasma_only + [(False, False)] * neither
    for i, (c, p) in enumerate(cells):
        out += [sample(f"P{i}", SampleType.CSF, c), sample(f"P{i}", SampleType.PLASMA, p)]
    return out


@pytest.mark.parametrize(
    "case", REF["mcnemar"], ids=lambda c: f"b{c['csf_only']}-c{c['plasma_only']}"
)
def test_mcnemar_and_paired_rates_match_r(case: dict) -> None:
    samples = cohort_from_table(
        case["both"], case["csf_only"], case["plasma_only"], case["neither"]
    )
    result = compare_samples(samples)
    assert result.cohort.mcnemar is not None
    assert result.cohort.mcnemar.p_value == pytest.approx(case["exact_p"], rel=1e-10)
    assert result.cohort.csf_only_detected == case["csf_only"]
    assert result.cohort.plasma_only_detected == case["plasma_only"]


@pytest.mark.parametrize("case", REF["rates"], ids=lambda c: f"{c['detected']}/{c['tested']}")
def test_detection_rate_wilson_ci_matches_prop_test(case: dict) -> None:
    samples = [sample(f"P{i}", SampleType.CSF, i < case["detected"]) for i in range(case["tested"])]
    for level, key in ((0.95, "wilson"), (0.90, "wilson_90")):
        rate = compare_samples(samples, level=level).cohort.detection_rate_csf
        assert rate is not None
        assert (rate.events, rate.n) == (case["detected"], case["tested"])
        assert rate.ci == pytest.approx(tuple(case[key]), rel=1e-9, abs=1e-12)


def test_example_file_counts_match_the_r_reference() -> None:
    result = compare_samples(read_variants(EXAMPLE))
    csf, plasma = result.cohort.detection_rate_csf, result.cohort.detection_rate_plasma
    assert csf is not None and plasma is not None
    assert (csf.events, csf.n, plasma.events, plasma.n) == (6, 7, 3, 6)
    assert csf.ci == pytest.approx(tuple(REF["rates"][0]["wilson"]), rel=1e-9)
    assert plasma.ci == pytest.approx(tuple(REF["rates"][1]["wilson"]), rel=1e-9)
    assert result.cohort.mcnemar is not None
    assert result.cohort.mcnemar.p_value == pytest.approx(REF["mcnemar"][0]["exact_p"])


def test_sets_use_canonical_keys_across_notations() -> None:
    result = compare_samples(read_variants(EXAMPLE))
    p01 = next(p for p in result.patients if p.patient_id == "P01")
    assert [a.alteration.label for a in p01.shared or []] == ["EGFR p.L858R"]
    assert [a.alteration.label for a in p01.csf_only or []] == ["EGFR p.T790M", "TP53 p.R273H"]
    assert p01.plasma_only == []
    shared = (p01.shared or [])[0]
    assert shared.vaf_difference == pytest.approx(0.41 - 0.02)
    p05 = next(p for p in result.patients if p.patient_id == "P05")
    assert [a.alteration.label for a in p05.plasma_only or []] == ["BRAF p.V600E"]
    assert {m.entry.key for m in p05.actionable} == {"BRAF V600E", "KRAS G12C"}


def test_sample_without_alterations_counts_in_the_denominator() -> None:
    result = compare_samples(read_variants(EXAMPLE))
    p06 = next(p for p in result.patients if p.patient_id == "P06")
    assert p06.paired and p06.shared == [] and p06.csf_only == []
    assert result.cohort.neither_detected == 1


def test_pairing_takes_nearest_pair_then_most_recent() -> None:
    samples = [
        sample("A", SampleType.CSF, True, DAY),
        sample("A", SampleType.CSF, False, DAY + timedelta(days=30)),
        sample("A", SampleType.PLASMA, True, DAY + timedelta(days=2)),
        sample("A", SampleType.PLASMA, True, DAY + timedelta(days=28)),
    ]
    (patient,) = compare_samples(samples).patients
    assert patient.csf is not None and patient.plasma is not None
    assert patient.csf.sample_date == DAY + timedelta(days=30)
    assert patient.plasma.sample_date == DAY + timedelta(days=28)
    assert patient.days_apart == 2
    assert len(patient.samples_not_used) == 2


def test_unpaired_patients_count_in_their_rate_only() -> None:
    result = compare_samples([sample("A", SampleType.CSF, True, DAY)])
    (patient,) = result.patients
    assert patient.csf_only is None and not patient.paired
    assert result.cohort.detection_rate_plasma is None
    assert result.cohort.mcnemar is None
    assert any("McNemar test not done" in w for w in result.warnings)
    assert any("CSF sample only" in w for w in result.warnings)
