"""LM response assessment: RANO/LANO items (``response-followup.md`` §RF-1 to §RF-3).

Only the verified items are encoded. Composite response definitions and numeric CR/PR/SD/PD
thresholds are NOT AVAILABLE: LeptoDx records the rater's overall category and never computes
one. Thresholds that differ between sources are profile settings, shown with their status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from leptodx.reference.citation import Source, Status

SCORECARD_2019 = Source(
    "EORTC-RANO-scorecard-2019",
    "Le Rhun E, et al. Revised EORTC/RANO LM MRI scorecard. Neuro-Oncology 2019, Table 5",
    "response-followup.md §RF-3",
    Status.VERIFIED,
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC6502503/table/T5",
)
GUIDELINE_2023_SUMMARY = Source(
    "G2023-summary-measurable",
    "EANO–ESMO 2023 guideline summary: measurable nodule ≥ 5 × 5 mm",
    "response-followup.md §RF-3",
    Status.SECONDARY,
)
LANO_APPENDIX = Source(
    "LANO-NL",
    "Dutch LM guideline appendix: LANO neurological assessment (domains and levels)",
    "response-followup.md §RF-2",
    Status.VERIFIED,
    "https://richtlijnendatabase.nl/index.php/gerelateerde_documenten/bijlage/5440/1/100/Klinische%20evaluatie%20leptomeningeale%20metastasen.html",
)
NEURO_PROGRESSION_NL = Source(
    "NL-response-module",
    "Dutch LM guideline, response module: neurological progression = worsening by ≥ 2 levels in "
    "a domain or to the worst level, after excluding other causes",
    "response-followup.md §RF-1",
    Status.SECONDARY,
    "https://richtlijnendatabase.nl/richtlijn/leptomeningeale_metastasen/responsbepaling_bij_leptomeningeale_metastasen.html",
)
RELIABILITY_2022 = Source(
    "LeRhun-2022-reliability",
    "Le Rhun E, et al. 2022: overall LM response median kappa 0.44 (moderate), 20 patients, "
    "35 raters",
    "response-followup.md §RF-3",
    Status.VERIFIED,
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC9527515/",
)

MRI_ITEMS: dict[str, str] = {
    "brain_nodules": "Brain: nodules (subarachnoid or ventricular)",
    "brain_linear": "Brain: linear leptomeningeal enhancement",
    "hydrocephalus": "Brain: hydrocephalus",
    "spine_nodules": "Spine: nodules (subarachnoid)",
    "spine_linear": "Spine: linear leptomeningeal enhancement",
}
"""Scorecard LM items, each present / absent / NE, and improved / no change / worse (RF-3)."""
ItemState = Literal["present", "absent", "NE"]
ItemChange = Literal["improved", "no_change", "worse"]
OverallResponse = Literal["CR", "PR", "SD", "PD", "NE"]
ITEM_STATES: tuple[str, ...] = get_args(ItemState)
ITEM_CHANGES: tuple[str, ...] = get_args(ItemChange)
OVERALL_CATEGORIES: tuple[str, ...] = get_args(OverallResponse)
"""The rater's overall LM response (recorded, never computed: thresholds NOT AVAILABLE)."""
MAX_NODULES = 3
"""Record X × Y mm of the 3 largest measurable nodules (RF-3)."""

LANO_DOMAINS: dict[str, tuple[str, ...]] = {
    "walking": ("normal", "abnormal but walks unassisted", "needs assistance", "unable to walk"),
    "strength": ("normal", "decreased against resistance", "none against resistance", "no movement"),
    "sensation": ("normal", "decreased but aware", "unaware of modality"),
    "vision": ("normal", "partial monocular", "complete monocular", "bilateral loss"),
    "eye_movements": ("normal", "abnormal in 1 gaze direction", "> 1 but not all", "none"),
}  # fmt: skip
"""LANO domains whose levels are verified (RF-2); facial strength and the rest: NOT AVAILABLE."""


@dataclass(frozen=True, slots=True)
class ResponseProfile:
    """Settings where sources disagree or the rule is secondary (shown with every output)."""

    name: str
    nodule_min_mm: float
    nodule_inclusive: bool
    nodule_source: Source
    progression_levels: int
    progression_source: Source

    def measurable(self, x_mm: float, y_mm: float) -> bool:
        """A nodule is measurable in both orthogonal diameters under this profile."""
        if self.nodule_inclusive:
            return x_mm >= self.nodule_min_mm and y_mm >= self.nodule_min_mm
        return x_mm > self.nodule_min_mm and y_mm > self.nodule_min_mm

    @property
    def nodule_rule(self) -> str:
        op = "≥" if self.nodule_inclusive else ">"
        return f"measurable = {op} {self.nodule_min_mm:g} × {self.nodule_min_mm:g} mm"


RESPONSE_PROFILES: dict[str, ResponseProfile] = {
    "scorecard-2019": ResponseProfile(
        "scorecard-2019", 5.0, False, SCORECARD_2019, 2, NEURO_PROGRESSION_NL
    ),
    "guideline-2023-summary": ResponseProfile(
        "guideline-2023-summary", 5.0, True, GUIDELINE_2023_SUMMARY, 2, NEURO_PROGRESSION_NL
    ),
}
DEFAULT_RESPONSE_PROFILE = "scorecard-2019"
