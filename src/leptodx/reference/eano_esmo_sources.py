"""Sources of the EANO–ESMO classification (``eano-esmo.md`` "Sources"), each with its status.

Re-exported by :mod:`leptodx.reference.eano_esmo`, whose decision rows cite them.
"""

from __future__ import annotations

from leptodx.reference.citation import Source, Status

G2017 = Source(
    "G2017",
    "Le Rhun E, et al. EANO–ESMO Clinical Practice Guidelines for diagnosis, treatment and "
    "follow-up of patients with leptomeningeal metastasis from solid tumours. Ann Oncol "
    "2017;28(suppl 4):iv84–iv99",
    "eano-esmo.md §EE-1",
    Status.VERIFIED,
    "https://doi.org/10.1093/annonc/mdx221",
)
G2023 = Source(
    "G2023",
    "Le Rhun E, et al. Leptomeningeal metastasis from solid tumours: EANO–ESMO Clinical Practice "
    "Guideline. ESMO Open 2023;8:101624, Table 1",
    "eano-esmo.md §EE-2, §EE-5",
    Status.VERIFIED,
    "https://doi.org/10.1016/j.esmoop.2023.101624",
)
LR2021 = Source(
    "LR2021",
    "Le Rhun E, et al. Prognostic validation and clinical implications of the EANO ESMO "
    "classification of leptomeningeal metastasis from solid tumors. Neuro-Oncology "
    "2021;23(7):1100–1112 (abstract)",
    "eano-esmo.md §EE-3",
    Status.VERIFIED,
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC8301235",
)
LR2019 = Source(
    "LR2019abs",
    "Le Rhun E, et al. Prognostic role of the EANO-ESMO classification of leptomeningeal "
    "metastases. ESMO Congress 2019, abstract 4648 (subtypes IA–IID)",
    "eano-esmo.md §EE-3",
    Status.VERIFIED,
    "https://oncologypro.esmo.org/meeting-resources/esmo-congress-2019/prognostic-role-of-the-eano-esmo-classification-of-leptomeningeal-metastases",
)
LRW_CHAPTER = Source(
    "LRW-ch",
    "Le Rhun E, Weller M. Book chapter, Springer (confirmed = malignant cells in CSF or biopsy; "
    "probable = typical clinical and imaging signs with known cancer)",
    "eano-esmo.md §EE-3",
    Status.VERIFIED,
    "https://doi.org/10.1007/978-3-030-23417-1_14",
)
RECONSTRUCTION = Source(
    "LeptoDx-reconstruction",
    "LeptoDx reference pack reconstruction of the EANO–ESMO decision table (full table not "
    "available; rows graded by risk)",
    "eano-esmo.md §EE-4",
    Status.RECONSTRUCTED,
)
HWT2019 = Source(
    "HWT2019",
    "Le Rhun E, et al. How we treat patients with leptomeningeal metastases. ESMO Open "
    "2019;4:e000507 (probable = typical clinical and imaging signs with known or metastatic cancer)",
    "eano-esmo.md §EE-3",
    Status.VERIFIED,
)
