"""Data-quality bounds for cohort columns (not clinical limits).

A value outside the *plausible* range is treated as a data error (row reported, never silently
dropped). The *typical* range is only used to suspect a unit mix-up: a value outside it that would
fall inside it when read in another unit of the same quantity is flagged. Neither range is used for
any clinical statement; the CSF reference limits live in :mod:`leptodx.reference.csf`.

The plausible CSF bounds are set well above the extremes observed in cytology-proven LM
(GOE: cells up to 4692 /µL, protein up to 15,840 mg/L, lactate up to 15.6 mmol/L;
``csf.md §CSF-4`` asks that plausibility checks admit them).
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.reference.citation import Source, Status

GOE_EXTREMES = Source(
    key="GOE-2017-extremes",
    citation=(
        "Göttingen LM cohort, Fluids Barriers CNS 2017 (observed extremes); bounds chosen by "
        "LeptoDx with a margin (docs/decisions/research-plausibility-bounds.md)"
    ),
    pack="csf.md §CSF-4, §CSF-6",
    status=Status.DERIVED,
    url="https://doi.org/10.1186/s12987-017-0057-2",
)


@dataclass(frozen=True, slots=True)
class PlausibleRange:
    """Inclusive plausible and typical ranges of one cohort field, in its canonical unit."""

    field: str
    unit: str
    low: float
    high: float
    typical_low: float
    typical_high: float
    source: Source = GOE_EXTREMES


PLAUSIBLE_RANGES: dict[str, PlausibleRange] = {
    r.field: r
    for r in (
        PlausibleRange("age_years", "a", 0.0, 120.0, 18.0, 100.0),
        PlausibleRange("n_extracranial_organs", "1", 0.0, 20.0, 0.0, 10.0),
        PlausibleRange("n_symptoms", "1", 0.0, 30.0, 0.0, 15.0),
        PlausibleRange("csf_protein", "mg/L", 0.0, 40000.0, 100.0, 20000.0),
        PlausibleRange("csf_glucose", "mmol/L", 0.0, 30.0, 0.5, 15.0),
        PlausibleRange("serum_glucose", "mmol/L", 0.5, 60.0, 2.0, 30.0),
        PlausibleRange("csf_lactate", "mmol/L", 0.0, 30.0, 0.5, 20.0),
        PlausibleRange("csf_leukocytes", "/uL", 0.0, 100000.0, 0.0, 10000.0),
        PlausibleRange("csf_albumin", "mg/L", 0.0, 30000.0, 30.0, 15000.0),
        PlausibleRange("serum_albumin", "g/L", 5.0, 80.0, 15.0, 60.0),
        PlausibleRange("csf_volume_ml", "mL", 0.0, 100.0, 1.0, 30.0),
        PlausibleRange("processing_delay_min", "min", 0.0, 10080.0, 0.0, 240.0),
        PlausibleRange("lp_number", "1", 1.0, 50.0, 1.0, 5.0),
    )
}
