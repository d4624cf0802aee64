"""Definitions of the EANO–ESMO evaluation categories, for help text (``eano-esmo.md §EE-2``).

The clinical and MRI legs' category labels are quoted from G2023 Table 1 (VERIFIED). The
guideline's footnotes that define "typical" signs and MRI findings were NOT AVAILABLE; the list of
typical clinical signs is the guideline digest's (SECONDARY) and is shown as such.
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.reference.citation import Source
from leptodx.reference.eano_esmo import ClinicalSigns, Mri
from leptodx.reference.eano_esmo_sources import G2023, LR2019
from leptodx.reference.symptoms import DIGEST_SIGNS


@dataclass(frozen=True, slots=True)
class Definition:
    """A term and its wording in the cited source."""

    term: str
    text: str
    source: Source


CLINICAL_SIGNS_CATEGORIES: dict[ClinicalSigns, Definition] = {
    ClinicalSigns.TYPICAL: Definition("Typical", "Presence of typical clinical signs of LM", G2023),
    ClinicalSigns.OTHER: Definition("Other", "Any other neurological abnormality", G2023),
    ClinicalSigns.NORMAL: Definition("Normal", "Normal neurological evaluation", G2023),
}
"""The clinical leg's categories (G2023 Table 1, exact labels)."""

TYPICAL_CLINICAL_SIGNS = Definition(
    "Typical clinical signs of LM",
    "headache, nausea and vomiting, mental changes, gait difficulties, cranial nerve palsies with "
    "diplopia, visual disturbances, hearing loss, sensorimotor deficits of the extremities, "
    "cauda equina syndrome, radicular, neck and back pain",
    DIGEST_SIGNS,
)
"""What counts as typical, from the guideline digest (grade B); the guideline footnote itself
(G2023 Table 1, footnotes a–c) was not available."""

TYPICAL_DEFINITION_NOT_AVAILABLE = (
    "The guideline's own footnotes defining typical signs and MRI findings (G2023 Table 1, "
    "footnotes a–c) were not available; the list of typical signs comes from a guideline digest "
    "(secondary source)."
)

MRI_CATEGORIES: dict[Mri, Definition] = {
    Mri.A: Definition("Type A", "typical MRI findings of linear LM", G2023),
    Mri.B: Definition("Type B", "typical findings of nodular LM", G2023),
    Mri.C: Definition("Type C", "both (linear and nodular)", G2023),
    Mri.D_HYDROCEPHALUS: Definition("Type D–hydrocephalus", "hydrocephalus only", G2023),
    Mri.D_NORMAL: Definition(
        "Type D–normal",
        "equivocal leptomeningeal findings or no leptomeningeal MRI findings",
        G2023,
    ),
}
"""The MRI leg's categories (G2023 Table 1, exact labels; D split in 2023)."""

MRI_2017_TYPE_D = Definition(
    "Type D (2017)", "normal or hydrocephalus only (one category before the 2023 update)", LR2019
)
