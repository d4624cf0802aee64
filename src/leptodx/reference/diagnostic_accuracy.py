"""Diagnostic accuracy of CSF cytology, MRI and CSF liquid biopsy, as context for next steps.

``eano-esmo.md §EE-5`` (sensitivity of repeat cytology), ``csf.md §CSF-6`` (TSWJ 2013) and
``liquid-biopsy.md §LB-2`` (Nakasu 2023 meta-analysis). CSF liquid biopsy is supportive evidence
only: its role in the EANO–ESMO levels is NOT AVAILABLE (``§EE-6``, ``§LB-5``).
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.reference.citation import Source, Status

NKI_REVIEW = Source(
    "NKI-review",
    "NKI review: CSF cytology sensitivity 44–67 % at the first lumbar puncture and 84–91 % after "
    "the second; MRI about 76 %",
    "eano-esmo.md §EE-5",
    Status.SECONDARY,
    "https://nki.nl/research/publications/article/?articleId=9e900561-870c-4a06-9451-a122a1b5d190",
)
TSWJ_2013 = Source(
    "TSWJ-2013",
    "The Scientific World Journal 2013, article 248072 (abstract): 91 % of cytology-positive "
    "cases found at the first lumbar puncture, 7 % at the second",
    "csf.md §CSF-6",
    Status.VERIFIED,
    "https://www.hindawi.com/journals/tswj/2013/248072/",
)
NAKASU_2023 = Source(
    "Nakasu-2023",
    "Nakasu Y, et al. Diagnostic accuracy of cerebrospinal fluid liquid biopsy and MRI for "
    "leptomeningeal metastases in solid cancers: a systematic review and meta-analysis. "
    "Neuro-Oncol Adv 2023 (abstract; 10 studies, 668 patients)",
    "liquid-biopsy.md §LB-2",
    Status.VERIFIED,
    "https://doi.org/10.1093/noajnl/vdad002",
)

CYTOLOGY_SENSITIVITY_FIRST_LP = (44.0, 67.0)
"""Per cent, first lumbar puncture (NKI review, SECONDARY)."""
CYTOLOGY_SENSITIVITY_AFTER_SECOND_LP = (84.0, 91.0)
"""Per cent, after the second lumbar puncture (NKI review, SECONDARY)."""
POSITIVE_AT_FIRST_LP_PERCENT = 91.0
POSITIVE_AT_SECOND_LP_PERCENT = 7.0
"""Share of cytology-positive cases found at the first and second LP (TSWJ 2013, VERIFIED)."""


@dataclass(frozen=True, slots=True)
class PooledAccuracy:
    """Pooled sensitivity and specificity (per cent, 95 % CI) of one test for LM."""

    test: str
    sensitivity: float
    sensitivity_ci: tuple[float, float] | None
    specificity: float
    specificity_ci: tuple[float, float] | None
    note: str = ""


NAKASU_POOLED: tuple[PooledAccuracy, ...] = (
    PooledAccuracy("CSF circulating tumour cells", 87.0, (77.9, 92.6), 93.8, (86.9, 97.2)),
    PooledAccuracy(
        "CSF cell-free tumour DNA", 97.9, (19.3, 100.0), 89.0, (25.3, 99.5), "2 studies only"
    ),
    PooledAccuracy("CSF cytology", 71.9, (54.7, 82.9), 100.0, None),
)
"""Nakasu 2023 pooled estimates (``liquid-biopsy.md §LB-2``, VERIFIED abstract). The MRI row is
left out: its printed CI excludes the point estimate (a source error)."""
