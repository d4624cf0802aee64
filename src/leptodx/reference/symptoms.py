"""Controlled symptom vocabulary (``interop.md §IO-4`` seed list; ``eano-esmo.md §EE-2`` digest).

Symptoms are context and counts (e.g. the number of symptoms, a Gao candidate predictor). They
are not the guideline's definition of "typical clinical signs", whose footnote is NOT AVAILABLE:
the clinician states the clinical leg explicitly.
"""

from __future__ import annotations

from leptodx.reference.citation import Source, Status

SEED_SYMPTOM_LIST = Source(
    "seed-editorial-symptoms",
    "Seed editorial: headache, nausea and vomiting, diplopia, facial weakness, changes in hearing, "
    "gait difficulties, paresthesia, neck and back pain, mental changes, cranial neuropathies",
    "interop.md §IO-4",
    Status.SECONDARY,
)
DIGEST_SIGNS = Source(
    "PW",
    "Guideline digest of G2023 (grade B): typical clinical signs",
    "eano-esmo.md §EE-2",
    Status.SECONDARY,
    "https://m.pathway.md/diseases/leptomeningeal-metastasis-recvmlUFIdqwWNhvo",
)

SYMPTOMS: dict[str, tuple[str, Source]] = {
    "headache": ("headache", SEED_SYMPTOM_LIST),
    "nausea_vomiting": ("nausea and vomiting", SEED_SYMPTOM_LIST),
    "diplopia": ("diplopia", SEED_SYMPTOM_LIST),
    "facial_weakness": ("facial weakness", SEED_SYMPTOM_LIST),
    "hearing_change": ("change in hearing", SEED_SYMPTOM_LIST),
    "gait_difficulty": ("gait difficulty", SEED_SYMPTOM_LIST),
    "paresthesia": ("paresthesia", SEED_SYMPTOM_LIST),
    "neck_back_pain": ("neck and back pain", SEED_SYMPTOM_LIST),
    "mental_change": ("mental change", SEED_SYMPTOM_LIST),
    "cranial_neuropathy": ("cranial neuropathy", SEED_SYMPTOM_LIST),
    "visual_disturbance": ("visual disturbance", DIGEST_SIGNS),
    "sensorimotor_deficit": ("sensorimotor deficit of the extremities", DIGEST_SIGNS),
    "cauda_equina_syndrome": ("cauda equina syndrome", DIGEST_SIGNS),
    "radicular_pain": ("radicular pain", DIGEST_SIGNS),
}
"""Code → (display text, source)."""
