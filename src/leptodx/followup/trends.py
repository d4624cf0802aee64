"""CSF and ctDNA trend series of a follow-up timeline (the numbers; :mod:`leptodx.reports.timeline`
only draws them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from leptodx.domain.units import Quantity
from leptodx.followup.events import CtDna, LumbarPuncture, Timeline
from leptodx.reference.analytes import ANALYTES

TREND_ANALYTES = ("leukocytes", "protein")
"""CSF analytes followed over time, in canonical units."""


@dataclass(frozen=True)
class TrendPoint:
    """One value of a trend series (canonical unit)."""

    series: str
    when: date
    value: float
    unit: str

    def to_dict(self) -> dict[str, Any]:
        """JSON of the point (the ``trends`` of ``leptodx followup show``)."""
        return {"series": self.series, "date": self.when.isoformat(), "value": self.value, "unit": self.unit}  # fmt: skip


def csf_trends(timeline: Timeline) -> list[TrendPoint]:
    """CSF cell count and protein per LP (canonical units), maximum ctDNA VAF and tumour fraction
    per sample, in date order."""
    points: list[TrendPoint] = []
    for e in timeline.events:
        if isinstance(e, LumbarPuncture) and e.csf is not None:
            for analyte in TREND_ANALYTES:
                m = getattr(e.csf, analyte)
                if m is None:
                    continue
                spec = ANALYTES[f"csf.{analyte}"]
                canonical = spec.canonical_unit
                q = Quantity.parse(
                    m.value,
                    m.unit,
                    canonical_unit=canonical,
                    dimension=spec.dimension,
                    field=spec.field,
                    significant_digits=spec.significant_digits,
                )
                points.append(TrendPoint(f"CSF {analyte}", e.date, q.canonical_value, canonical))
        if isinstance(e, CtDna):
            vafs = [a.vaf for a in e.alterations if a.vaf is not None]
            if vafs:
                points.append(
                    TrendPoint(f"max VAF ({e.sample_type})", e.date, max(vafs), "fraction")
                )
            if e.tumour_fraction is not None:
                points.append(
                    TrendPoint(
                        f"tumour fraction ({e.sample_type})", e.date, e.tumour_fraction, "fraction"
                    )
                )
    return points
