"""Data-quality bounds for input and cohort fields (not clinical limits).

A value outside the *plausible* range is a data error (an input error naming the field; a reported
row in a cohort, never silently dropped). The *typical* range is only used to suspect a unit
mix-up. Neither range is used for any clinical statement; the CSF reference limits live in
:mod:`leptodx.reference.csf`.

The bounds of measured analytes come from the one analyte table
(:data:`leptodx.reference.analytes.ANALYTE_TABLE`); this module adds the unitless fields of the
input contract and the cohort schema and offers every bound under its flat cohort name.
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.reference.analytes import ANALYTE_TABLE, GOE_EXTREMES
from leptodx.reference.citation import Source

__all__ = ["GOE_EXTREMES", "PLAUSIBLE_RANGES", "PlausibleRange"]


@dataclass(frozen=True, slots=True)
class PlausibleRange:
    """Inclusive plausible and typical ranges of one field, in its canonical unit."""

    field: str
    unit: str
    low: float
    high: float
    typical_low: float
    typical_high: float
    source: Source = GOE_EXTREMES


_OTHER_FIELDS: tuple[PlausibleRange, ...] = (
    PlausibleRange("age_years", "a", 0.0, 120.0, 18.0, 100.0),
    PlausibleRange("n_extracranial_organs", "1", 0.0, 20.0, 0.0, 10.0),
    PlausibleRange("n_symptoms", "1", 0.0, 30.0, 0.0, 15.0),
    PlausibleRange("csf_volume_ml", "mL", 0.0, 100.0, 1.0, 30.0),
    PlausibleRange("processing_delay_min", "min", 0.0, 10080.0, 0.0, 240.0),
    PlausibleRange("lp_number", "1", 1.0, 50.0, 1.0, 5.0),
)

PLAUSIBLE_RANGES: dict[str, PlausibleRange] = {
    **{
        a.column: PlausibleRange(
            a.column,
            a.canonical_unit,
            a.plausible.low,
            a.plausible.high,
            a.typical.low,
            a.typical.high,
            a.source,
        )
        for a in ANALYTE_TABLE
    },
    **{r.field: r for r in _OTHER_FIELDS},
}
"""Bounds by flat field name (``csf_protein``, ``age_years`` …)."""
