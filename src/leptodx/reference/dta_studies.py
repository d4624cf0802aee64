"""Published CSF CTC diagnostic-accuracy studies behind ``examples/meta/csf-ctc-published.csv``.

Pack: ``liquid-biopsy.md §LB-2``. Each study's number of patients, number with LM and
sensitivity/specificity are VERIFIED from the abstract; the 2×2 counts are DERIVED from them
(tp = sensitivity × patients with LM, tn = specificity × patients without LM, rounded) and are
the only counts that reproduce every published percentage when rounded to the printed precision
(checked in ``tests/reference/test_dta_studies.py``). The abstracts do not print the 2×2 tables.

Left out on purpose (``§LB-2``): the Neurology 2020 EpCAM flow-cytometry study (SECONDARY news
summary, number with LM not given), cytology and MRI arms (no specificity in the consulted text),
the Clin Cancer Res 2022 ctDNA series (a single ctDNA study cannot be pooled) and Nakasu 2023's
pooled estimates (a meta-analysis, not a study). No number is attributed to Wijaya (``§LB-1``).
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.reference.actionable import LIN_2017
from leptodx.reference.citation import Source, Status

RARE_CELL_2013 = Source(
    "RareCell2013",
    "Rare-cell capture of CSF tumour cells in solid-tumour patients with suspected LM, "
    "Neurology 2013 (pilot; abstract)",
    "liquid-biopsy.md §LB-2",
    Status.VERIFIED,
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC3662321",
)
EPCAM_FLOW_2016 = Source(
    "EpCAM-flow-2016",
    "EpCAM-based flow cytometry of CSF for LM of epithelial tumours, Neuro-Oncology 2015/16, "
    "PMID 26566655, NCT01713699 (abstract)",
    "liquid-biopsy.md §LB-2",
    Status.VERIFIED,
    "https://pubmed.ncbi.nlm.nih.gov/26566655/",
)


@dataclass(frozen=True, slots=True)
class PublishedAccuracy:
    """A study's published accuracy figures (VERIFIED) and the 2×2 counts derived from them."""

    study: str
    """Name used in the example review."""
    test: str
    patients: int
    patients_with_lm: int
    sensitivity_percent: float
    specificity_percent: float
    decimals: int
    """Decimals the sensitivity and specificity were printed with."""
    source: Source
    tp: int
    fp: int
    fn: int
    tn: int
    ppv_percent: float | None = None
    npv_percent: float | None = None
    cut_off: str | None = None
    counts_status: Status = Status.DERIVED

    @property
    def derivation(self) -> str:
        return (
            f"{self.patients} patients, {self.patients_with_lm} with LM; sensitivity "
            f"{self.sensitivity_percent:g} %, specificity {self.specificity_percent:g} %"
            + (f", PPV {self.ppv_percent:g} %" if self.ppv_percent is not None else "")
            + (f", NPV {self.npv_percent:g} %" if self.npv_percent is not None else "")
        )


CSF_CTC_STUDIES = (
    PublishedAccuracy(
        study="Lin 2017 (CellSearch)",
        test="CSF CTC",
        patients=95,
        patients_with_lm=30,
        sensitivity_percent=93,
        specificity_percent=95,
        decimals=0,
        ppv_percent=90,
        npv_percent=97,
        cut_off="≥ 1 CTC/mL (CellSearch)",
        source=LIN_2017,
        tp=28,
        fp=3,
        fn=2,
        tn=62,
    ),
    PublishedAccuracy(
        study="Neurology 2013 (rare-cell capture)",
        test="CSF CTC",
        patients=51,
        patients_with_lm=15,
        sensitivity_percent=100,
        specificity_percent=97.2,
        decimals=1,
        source=RARE_CELL_2013,
        tp=15,
        fp=1,
        fn=0,
        tn=35,
    ),
    PublishedAccuracy(
        study="Neuro-Oncology 2015/16 (EpCAM flow cytometry)",
        test="CSF CTC",
        patients=29,
        patients_with_lm=13,
        sensitivity_percent=100,
        specificity_percent=100,
        decimals=0,
        source=EPCAM_FLOW_2016,
        tp=13,
        fp=0,
        fn=0,
        tn=16,
    ),
)
"""The example review's studies, in the order of the example file."""
