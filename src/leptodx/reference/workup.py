"""Work-up statements and pre-analytic thresholds that the next-step rules cite (``§EE-5``)."""

from __future__ import annotations

from leptodx.reference.citation import Source, Status

PATHWAY_DIGEST = Source(
    "PW",
    "Guideline digest of G2023 with recommendation grades: repeat LP with optimised conditions "
    "when the first cytology is negative or equivocal and LM is suspected (grade B)",
    "eano-esmo.md §EE-5",
    Status.SECONDARY,
    "https://m.pathway.md/diseases/leptomeningeal-metastasis-recvmlUFIdqwWNhvo",
)
GLANTZ_1998 = Source(
    "Glantz-1998",
    "Glantz MJ, et al. Cancer 1998;82:733–739 (withdraw ≥ 10.5 ml, process immediately, repeat "
    "once if negative)",
    "eano-esmo.md §EE-5",
    Status.VERIFIED,
    "https://pubmed.ncbi.nlm.nih.gov/9477107/",
)
DUTCH_GUIDELINE = Source(
    "NL-guideline",
    "Dutch national guideline, leptomeningeal metastases, CSF chemistry and cytology: MRI first; "
    "if MRI is positive with known malignancy no further test is needed for the diagnosis; if "
    "equivocal or negative, examine CSF",
    "eano-esmo.md §EE-5",
    Status.VERIFIED,
    "https://richtlijnendatabase.nl/richtlijn/leptomeningeale_metastasen/diagnostiek/klinisch_chemisch_onderzoek_en_cytologie_liquor.html",
)
TUMANI_SAMPLING = Source(
    "S1-2020-sampling",
    "Tumani H, et al. S1 guideline 'lumbar puncture and cerebrospinal fluid analysis', Neurol Res "
    "Pract 2020;2:8: collect ≥ 10 ml CSF with a simultaneous serum sample; send to a specialised "
    "laboratory at once (basic programme within 2 h)",
    "eano-esmo.md §EE-5",
    Status.VERIFIED,
    "https://doi.org/10.1186/s42466-020-0051-z",
)
NEWSFLASH = Source(
    "NF",
    "Machine-translated secondary summary of G2023 (low reliability): LP at least 14 days after "
    "brain surgery",
    "eano-esmo.md §EE-5",
    Status.SECONDARY,
    "https://newsflash.city/2401/26df5e73c057fd18.html",
)

CSF_VOLUME_MINIMUM_ML = 5.0
"""G2023 Table 1: at least 5 ml for cytology (VERIFIED)."""
CSF_VOLUME_IDEAL_ML = 10.0
"""G2023 Table 1: ideally > 10 ml (VERIFIED; other texts say ≥ 10 ml)."""
PROCESSING_DELAY_MAX_MIN = 30.0
"""G2023 Table 1: fresh sample processed ideally within 30 min (VERIFIED)."""
LP_AFTER_SURGERY_MIN_DAYS = 14.0
"""NF: LP at least 14 days after brain surgery (SECONDARY, garbled translation)."""

MRI_PROTOCOL = (
    "Contrast-enhanced MRI of brain and spine: 1.5 T or preferably 3 T; gadolinium 0.1 mmol/kg "
    "10 min before acquisition; slices ≤ 1 mm (brain), ≤ 3 mm (spine); brain 3D T1 pre-contrast, "
    "2D/3D FLAIR, 2D DWI, 2D T2, 3D T1 post-gadolinium; spine sagittal fat-suppressed T2, "
    "sagittal T1 pre- and fat-suppressed T1 post-gadolinium"
)
CSF_HANDLING = (
    "CSF volume ideally > 10 ml (at least 5 ml), fresh sample processed ideally within 30 min, "
    "cytospin with MGG/Pappenheim or fixation + Papanicolaou; immunocytochemistry when indicated"
)
"""G2023 Table 1 (VERIFIED)."""
SIMULTANEOUS_SERUM = (
    "draw a serum sample at the same time (glucose and albumin) so that the CSF/serum glucose "
    "ratio and the albumin quotient can be judged"
)
"""Tumani S1 (VERIFIED): CSF with a simultaneous serum sample."""
