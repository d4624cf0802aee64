"""ctDNA on the patient page: each CSF sample against the plasma sample nearest in time.

Alterations are matched on their normalised key (``liquid_biopsy.variants``), so
``p.Leu858Arg`` and ``L858R`` are the same alteration. Descriptive only (LB-5).
"""

from __future__ import annotations

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


def ctdna_comparisons(timeline: Timeline) -> list[dict[str, Any]]:
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
            {
                "csf_date": csf.date.isoformat(),
                "plasma_date": near.date.isoformat(),
                "csf_only": [{"alteration": c[k][0], "vaf_csf": c[k][1]} for k in sorted(c.keys() - p.keys())],
                "plasma_only": [{"alteration": p[k][0], "vaf_plasma": p[k][1]} for k in sorted(p.keys() - c.keys())],
                "shared": [{"alteration": c[k][0], "vaf_csf": c[k][1], "vaf_plasma": p[k][1]} for k in sorted(c.keys() & p.keys())],
            }
        )  # fmt: skip
    return out
