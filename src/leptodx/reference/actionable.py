"""Actionable alterations with their CNS/LM evidence, liquid-biopsy rules and assay cut-offs.

Pack sections: ``response-followup.md §RF-5`` (Dutch guideline: driver alterations such as EGFR,
ALK, BRAF), ``§RF-6`` (de Bernardi HER2 case, secondary) and ``liquid-biopsy.md §LB-2, §LB-5``.

This table only says which *genes* the reference pack links to CNS/LM evidence, so that a detected
alteration can be flagged "for tumour-board discussion". It names no drug and recommends no
treatment (reference pack rule 5; ``§LB-5``). Whether a particular variant is a driver is not
assessed. Alterations without CNS/LM evidence in the pack (ROS1, MET, KRAS G12C) stay listed so
that a match is shown with "no CNS/LM evidence in the reference pack" instead of being hidden.

The Wijaya review named by the seed editorial is NOT AVAILABLE (``§LB-1``); no number here or
anywhere in LeptoDx is attributed to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.reference.citation import Source, Status

ACTIONABLE_VERSION = "actionable-cns-lm v1 (LeptoDx reference pack §RF-5, §RF-6, §LB-5)"
REVIEW_DATE = "2026-11-25"
"""Date the table was last checked against the reference pack."""

TUMOUR_BOARD_LABEL = "for tumour-board discussion"
NO_EVIDENCE_TEXT = "no CNS/LM evidence in the reference pack"

DUTCH_GUIDELINE_2020 = Source(
    "NL-LM-2020",
    "Richtlijn Leptomeningeale metastasen (Dutch guideline, 2020 partial revision), Behandeling "
    "leptomeningeale metastasen van solide tumoren: systemische therapie",
    "response-followup.md §RF-5",
    Status.VERIFIED,
    "https://richtlijnendatabase.nl/richtlijn/leptomeningeale_metastasen/behandeling/solide_tumoren/behandeling_leptomeningeale_metastasen_van_solide_tumoren_systemische_therapie.html",
)
DE_BERNARDI_CASE = Source(
    "deBernardi-ed",
    "de Bernardi et al., case of HER2-positive metastatic breast cancer with LM, as summarised in "
    "the seed editorial (Frontiers in Neurology Research Topic); the case report itself was not read",
    "response-followup.md §RF-6",
    Status.SECONDARY,
)
PACK_NOT_AVAILABLE = Source(
    "pack-none",
    "LeptoDx reference pack: holds no CNS/LM evidence for this alteration",
    "response-followup.md §RF-5",
    Status.NOT_AVAILABLE,
)
SNO_ASCO_2024 = Source(
    "SNO-ASCO-2024-sum",
    "SNO/ASCO 2024 consensus on leptomeningeal metastasis, secondary summary (CSF CTC/ctDNA "
    "testing available at few centres; needs validation/CLIA certification)",
    "liquid-biopsy.md §LB-5",
    Status.SECONDARY,
    "https://www.droracle.ai/articles/16211/what-is-the-significance-of-leptomeningeal-pia-and-arachnoid",
)
LIN_2017 = Source(
    "Lin2017",
    "Lin X, et al. CSF circulating tumor cells (CellSearch) in leptomeningeal metastasis. "
    "Neuro-Oncology 2017;19:1248 (abstract)",
    "liquid-biopsy.md §LB-2",
    Status.VERIFIED,
    "https://synapse.mskcc.org/synapse/works/116628",
)
FLOW_2020 = Source(
    "EpCAM-flow-2020-sum",
    "EpCAM immuno-flow cytometry of CSF in suspected LM with non-confirmatory MRI, Neurology 2020 "
    "(news summary)",
    "liquid-biopsy.md §LB-2",
    Status.SECONDARY,
    "https://mazenz.com/Newsemia/2020/02/04/circulating-epithelial-tumor-cell-analysis-in-csf-in-patients-with-leptomeningeal-metastases/",
)
CCR_2022 = Source(
    "CCR2022-ulpWGS",
    "Assessing CSF ctDNA to improve diagnostic accuracy (ultra-low-pass whole-genome sequencing, "
    "breast cancer LM). Clin Cancer Res 2022;28(6):1180 (abstract)",
    "liquid-biopsy.md §LB-2",
    Status.VERIFIED,
    "https://aacrjournals.org/clincancerres/article/28/6/1180/682029/Assessing-CSF-ctDNA-to-Improve-Diagnostic-Accuracy",
)


@dataclass(frozen=True, slots=True)
class ActionableEntry:
    """One alteration of the table and the CNS/LM evidence the reference pack holds for it.

    Attributes
    ----------
    key : str
        Stable identifier used in JSON output, e.g. ``"BRAF V600E"``.
    gene : str
        HGNC symbol (``ERBB2``, not HER2).
    variants : frozenset[str] | None
        Canonical protein changes that match (see ``leptodx.liquid_biopsy.variants``);
        ``None`` matches any alteration of the gene.
    match_scope : str
        What a match means, in words.
    evidence : str
        What the source says about CNS/LM activity (no drug is named).
    status : Status
        Status mark of the CNS/LM evidence.
    source : Source
        Where the evidence comes from.
    """

    key: str
    gene: str
    variants: frozenset[str] | None
    match_scope: str
    evidence: str
    status: Status
    source: Source

    def matches(self, gene: str, variant: str) -> bool:
        """True when the canonical ``gene``/``variant`` is covered by this entry."""
        return gene == self.gene and (self.variants is None or variant in self.variants)


_DUTCH_TEXT = (
    "Dutch LM guideline (2020): discuss potentially effective systemic therapy, including "
    "targeted therapy for driver alterations (names EGFR, ALK, BRAF as examples)"
)
_GENE_LEVEL = (
    "any reported alteration of the gene; LeptoDx does not assess whether this variant is a driver"
)

ACTIONABLE: tuple[ActionableEntry, ...] = (
    ActionableEntry(
        "EGFR", "EGFR", None, _GENE_LEVEL, _DUTCH_TEXT, Status.VERIFIED, DUTCH_GUIDELINE_2020
    ),
    ActionableEntry(
        "ALK", "ALK", None, _GENE_LEVEL, _DUTCH_TEXT, Status.VERIFIED, DUTCH_GUIDELINE_2020
    ),
    ActionableEntry(
        "ROS1",
        "ROS1",
        None,
        _GENE_LEVEL,
        NO_EVIDENCE_TEXT,
        Status.NOT_AVAILABLE,
        PACK_NOT_AVAILABLE,
    ),
    ActionableEntry(
        "BRAF V600E",
        "BRAF",
        frozenset({"p.V600E"}),
        "BRAF p.V600E only (the guideline names BRAF without a variant; the V600E restriction is "
        "this table's scope, not the source's)",
        _DUTCH_TEXT,
        Status.VERIFIED,
        DUTCH_GUIDELINE_2020,
    ),
    ActionableEntry(
        "ERBB2",
        "ERBB2",
        None,
        _GENE_LEVEL + " (the source case was HER2-positive breast cancer, i.e. receptor status, "
        "not a sequenced variant)",
        "single case: HER2-positive metastatic breast cancer with LM and a sustained response "
        "> 2 years with sequential systemic and intrathecal therapy (editorial summary; a "
        "follow-up use case, not a recommendation)",
        Status.SECONDARY,
        DE_BERNARDI_CASE,
    ),
    ActionableEntry(
        "MET", "MET", None, _GENE_LEVEL, NO_EVIDENCE_TEXT, Status.NOT_AVAILABLE, PACK_NOT_AVAILABLE
    ),
    ActionableEntry(
        "KRAS G12C",
        "KRAS",
        frozenset({"p.G12C"}),
        "KRAS p.G12C only",
        NO_EVIDENCE_TEXT,
        Status.NOT_AVAILABLE,
        PACK_NOT_AVAILABLE,
    ),
)


def actionable_matches(gene: str, variant: str) -> tuple[ActionableEntry, ...]:
    """Entries of :data:`ACTIONABLE` that cover a canonical ``gene``/``variant``."""
    return tuple(entry for entry in ACTIONABLE if entry.matches(gene, variant))


# --- liquid-biopsy rules (liquid-biopsy.md §LB-5) ---------------------------------------------

SUPPORTIVE_ONLY = (
    "CSF CTC or ctDNA results are supportive evidence only: they do not make LM 'confirmed' or "
    "type I under EANO–ESMO (the 2023 guideline's position on liquid biopsy is not available)."
)
VALIDATION_NOTE = (
    "CSF CTC/ctDNA testing is available at few centres and needs validation/CLIA certification "
    "(SNO/ASCO 2024 consensus, secondary summary); check that the assay that produced these "
    "results was validated."
)
DESCRIPTIVE_ONLY = (
    "CSF–plasma comparisons (CSF-only, plasma-only and shared alterations, detection rates, "
    "McNemar test) are descriptive statistics of the data supplied; LeptoDx does not recommend "
    "a targeted drug."
)
CUTOFFS_NOT_INTERCHANGEABLE = (
    "Assay cut-offs are platform-specific and not interchangeable between platforms."
)
LB5_RULE_TEXTS: tuple[str, ...] = (
    SUPPORTIVE_ONLY,
    VALIDATION_NOTE,
    DESCRIPTIVE_ONLY,
    CUTOFFS_NOT_INTERCHANGEABLE,
)


@dataclass(frozen=True, slots=True)
class AssayCutoff:
    """A published positivity cut-off of one CSF liquid-biopsy assay (``§LB-2``, ``§LB-5``).

    ``comparator`` is ``None`` when the source does not say whether the boundary is included.
    """

    assay: str
    measure: str
    value: float
    unit: str
    comparator: str | None
    note: str
    source: Source


ASSAY_CUTOFFS: tuple[AssayCutoff, ...] = (
    AssayCutoff(
        "CellSearch (EpCAM) CSF circulating tumour cells",
        "CSF CTC count",
        1.0,
        "CTC/mL",
        ">=",
        "n = 95; sensitivity 93 %, specificity 95 % at this cut-off",
        LIN_2017,
    ),
    AssayCutoff(
        "EpCAM immuno-flow cytometry of CSF",
        "CSF CTC count",
        0.9,
        "CTC/mL",
        None,
        "n = 81 with suspected LM and non-confirmatory MRI; sensitivity 94 % (80–99), "
        "specificity 100 % (91–100); direction of the boundary not stated in the summary",
        FLOW_2020,
    ),
    AssayCutoff(
        "Ultra-low-pass whole-genome sequencing of CSF cell-free DNA",
        "CSF tumour fraction",
        0.10,
        "fraction",
        ">=",
        "breast cancer LM, n = 30; tumour fraction ≥ 0.10 in all 24 with LM, none of 6 without",
        CCR_2022,
    ),
)
