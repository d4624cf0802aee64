"""ctDNA on the patient page: each CSF sample against the plasma sample nearest in time.

Alterations are matched on their normalised key (``liquid_biopsy.variants``), so
``p.Leu858Arg`` and ``L858R`` are the same alteration. Descriptive only (LB-5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leptodx.followup.events import CtDna, Timeline
from leptodx.liquid_biopsy.variants import parse_alteration

MAX_PAIR_DAYS = 14
"""A plasma sample pairs with a CSF sample taken within this many days (implementation choice)."""


def _keyed(sample: CtDna) -> dict[tuple[str, str], tuple[str, float | None]]:
    out = {}
    for a in sample.alterations:
        alt = parse_alteration(a.gene, a.variant)
        out[alt.key] = (alt.label, a.vaf)
    return out


@dataclass(frozen=True)
class PairedAlteration:
    """One alteration of a CSF–plasma pair with its VAF in each sample (None: not in that
    sample, or no VAF reported)."""

    alteration: str
    vaf_csf: float | None
    vaf_plasma: float | None


@dataclass(frozen=True)
class CtDnaComparison:
    """One CSF sample against the plasma sample nearest in time."""

    csf_date: str
    plasma_date: str
    csf_only: tuple[PairedAlteration, ...]
    plasma_only: tuple[PairedAlteration, ...]
    shared: tuple[PairedAlteration, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON of the comparison: CSF-only alterations with ``vaf_csf``, plasma-only with
        ``vaf_plasma``, shared with both."""
        return {
            "csf_date": self.csf_date,
            "plasma_date": self.plasma_date,
            "csf_only": [{"alteration": a.alteration, "vaf_csf": a.vaf_csf} for a in self.csf_only],
            "plasma_only": [{"alteration": a.alteration, "vaf_plasma": a.vaf_plasma} for a in self.plasma_only],
            "shared": [{"alteration": a.alteration, "vaf_csf": a.vaf_csf, "vaf_plasma": a.vaf_plasma} for a in self.shared],
        }  # fmt: skip


def ctdna_comparisons(timeline: Timeline) -> list[CtDnaComparison]:
    """One comparison per CSF sample that has a plasma sample within :data:`MAX_PAIR_DAYS`."""
    samples = [e for e in timeline.events if isinstance(e, CtDna)]
    plasma = [s for s in samples if s.sample_type == "plasma"]
    out = []
    for csf in (s for s in samples if s.sample_type == "CSF"):
        near = min(plasma, key=lambda p: abs((p.date - csf.date).days), default=None)
        if near is None or abs((near.date - csf.date).days) > MAX_PAIR_DAYS:
            continue
        c, p = _keyed(csf), _keyed(near)
        out.append(
            CtDnaComparison(
                csf_date=csf.date.isoformat(),
                plasma_date=near.date.isoformat(),
                csf_only=tuple(PairedAlteration(c[k][0], c[k][1], None) for k in sorted(c.keys() - p.keys())),
                plasma_only=tuple(PairedAlteration(p[k][0], None, p[k][1]) for k in sorted(p.keys() - c.keys())),
                shared=tuple(PairedAlteration(c[k][0], c[k][1], p[k][1]) for k in sorted(c.keys() & p.keys())),
            )
        )  # fmt: skip
    return out
