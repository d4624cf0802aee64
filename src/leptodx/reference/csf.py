"""CSF reference limits as named profiles, albumin-quotient rules and Bönig 2019 (``csf.md``).

Every limit carries its unit (canonical, see :mod:`leptodx.reference.units`), whether its bound is
inclusive, its source and status. Where sources disagree, each variant is a named profile; the
default is ``S1-2020`` (Tumani S1 guideline, ``csf.md §CSF-2``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from leptodx.reference.citation import Source, Status

S1 = Source(
    "S1-2020",
    "Tumani H, et al. S1 guidelines 'lumbar puncture and cerebrospinal fluid analysis'. Neurol "
    "Res Pract 2020;2:8, Table 4",
    "csf.md §CSF-2",
    Status.VERIFIED,
    "https://doi.org/10.1186/s42466-020-0051-z",
)
HOLUB = Source(
    "HOL-2007",
    "Holub M, et al. Crit Care 2007;11:R41, table 3",
    "csf.md §CSF-2",
    Status.VERIFIED,
    "http://ccforum.com/content/11/2/R41/table/T3",
)
GOETTINGEN = Source(
    "GOE-2017",
    "Göttingen LM cohort, Fluids Barriers CNS 2017 (lactate > 2.4 mmol/L elevated)",
    "csf.md §CSF-2, §CSF-6",
    Status.VERIFIED,
    "https://doi.org/10.1186/s12987-017-0057-2",
)
EBM = Source(
    "EBM",
    "EBM Guidelines, CSF reference values (lab handbook)",
    "csf.md §CSF-2",
    Status.SECONDARY,
    "https://download.skyscape.com/download/ota/lonestar/B4562E59-87F6-47FA-8F09-D67E1FE536CA/ebmgneuro.ed18/content/HTML/s/tl150.htm",
)
REIBER = Source(
    "Reiber-formula",
    "Reiber age formula for the QAlb upper limit, 4 + age/15 (× 10⁻³), via Labor Düsseldorf and "
    "Fenner Labor handbooks; Reiber's primary paper not consulted",
    "csf.md §CSF-3",
    Status.SECONDARY,
    "https://labor-duesseldorf.de/examination/view/albumin-quotient-liquorserum",
)
HEGEN = Source(
    "HEG-2016",
    "Hegen H, et al. Clin Chem Lab Med 2016: QAlb upper limit age/25 + 8 (× 10⁻³) (abstract via "
    "a third party)",
    "csf.md §CSF-3",
    Status.SECONDARY,
    "https://paperexplained.cn/articles/paper/detail/34f399db027689d2ec69fa261d98d5235c782c28",
)
FBC20 = Source(
    "FBC-2020",
    "Fluids Barriers CNS 2020: QAlb upper limits 6.5 (< 40 y), 8.0 (40–60 y), 9.0 (> 60 y) × 10⁻³",
    "csf.md §CSF-3",
    Status.VERIFIED,
    "https://doi.org/10.1186/s12987-020-0173-2",
)
BOENIG = Source(
    "Boenig-2019",
    "Bönig L, et al. Leptomeningeal metastasis: the role of cerebrospinal fluid diagnostics. "
    "Front Neurol 2019;10:839",
    "csf.md §CSF-5",
    Status.VERIFIED,
    "https://doi.org/10.3389/fneur.2019.00839",
)
SEED_EDITORIAL = Source(
    "seed-editorial",
    "Editorial on the Research Topic 'Improving clinical practice for the diagnosis and "
    "management of patients with leptomeningeal metastasis', Front Neurol (secondary summary)",
    "csf.md §CSF-5",
    Status.SECONDARY,
)


class Analyte(StrEnum):
    """CSF analytes of the input contract."""

    LEUKOCYTES = "leukocytes"
    PROTEIN = "protein"
    GLUCOSE = "glucose"
    LACTATE = "lactate"
    ALBUMIN = "albumin"


@dataclass(frozen=True, slots=True)
class Limit:
    """A reference interval in a canonical unit with explicit bound semantics.

    ``upper_inclusive=True`` means a value equal to ``upper`` is still normal ("0–5", "≤ 5");
    ``False`` means the source says "< upper", so a value equal to ``upper`` is raised.
    """

    unit: str
    source: Source
    lower: float | None = None
    upper: float | None = None
    lower_inclusive: bool = True
    upper_inclusive: bool = True
    text: str = ""

    def status(self, value: float) -> str:
        """``"high"``, ``"low"`` or ``"normal"`` for a value in :attr:`unit`."""
        if self.upper is not None and (
            value > self.upper or (value == self.upper and not self.upper_inclusive)
        ):
            return "high"
        if self.lower is not None and (
            value < self.lower or (value == self.lower and not self.lower_inclusive)
        ):
            return "low"
        return "normal"


class QalbRule(StrEnum):
    """How the age-dependent upper limit of the albumin quotient is obtained (``csf.md §CSF-3``)."""

    REIBER = "reiber"
    HEGEN = "hegen"
    AGE_BANDS = "age_bands"


REIBER_INTERCEPT = 4.0
REIBER_AGE_DIVISOR = 15.0
REIBER_MIN_AGE = 5.0
HEGEN_INTERCEPT = 8.0
HEGEN_AGE_DIVISOR = 25.0
QALB_AGE_BANDS: tuple[tuple[float, float], ...] = ((40.0, 6.5), (60.0, 8.0), (float("inf"), 9.0))
"""FBC20: (upper age bound of band, QAlb limit × 10⁻³); < 40 y, 40–60 y, > 60 y (VERIFIED)."""

QALB_SOURCES: dict[QalbRule, Source] = {
    QalbRule.REIBER: REIBER,
    QalbRule.HEGEN: HEGEN,
    QalbRule.AGE_BANDS: FBC20,
}


@dataclass(frozen=True, slots=True)
class Profile:
    """A named set of CSF limits; results record the profile that produced them."""

    name: str
    description: str
    limits: dict[Analyte, Limit]
    glucose_ratio: Limit
    qalb_rule: QalbRule
    sources: tuple[Source, ...] = field(default=())


_S1_LEUKOCYTES = Limit("/uL", S1, upper=5.0, upper_inclusive=False, text="< 5 /µL")
_S1_PROTEIN = Limit("mg/L", S1, upper=500.0, upper_inclusive=False, text="< 500 mg/L")
_S1_LACTATE = Limit("mmol/L", S1, lower=0.9, upper=2.7, text="0.9–2.7 mmol/L (age dependent)")
_S1_GLUCOSE_RATIO = Limit("1", S1, lower=0.5, lower_inclusive=False, text="CSF/serum > 0.50")
_HOL_GLUCOSE = Limit("mmol/L", HOLUB, lower=2.2, upper=3.3, text="2.2–3.3 mmol/L")

DEFAULT_PROFILE = "S1-2020"

PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "S1-2020",
            "Tumani S1 guideline limits (verified); absolute glucose Holub 2007 (verified; S1 "
            "gives only the ratio); QAlb upper limit by the Reiber age formula (secondary)",
            {
                Analyte.LEUKOCYTES: _S1_LEUKOCYTES,
                Analyte.PROTEIN: _S1_PROTEIN,
                Analyte.LACTATE: _S1_LACTATE,
                Analyte.GLUCOSE: _HOL_GLUCOSE,
            },
            _S1_GLUCOSE_RATIO,
            QalbRule.REIBER,
        ),
        Profile(
            "S1-2020-hegen",
            "As S1-2020, QAlb upper limit by Hegen 2016 (age/25 + 8; secondary)",
            {
                Analyte.LEUKOCYTES: _S1_LEUKOCYTES,
                Analyte.PROTEIN: _S1_PROTEIN,
                Analyte.LACTATE: _S1_LACTATE,
                Analyte.GLUCOSE: _HOL_GLUCOSE,
            },
            _S1_GLUCOSE_RATIO,
            QalbRule.HEGEN,
        ),
        Profile(
            "S1-2020-qalb-bands",
            "As S1-2020, QAlb upper limit by age bands 6.5/8.0/9.0 (FBC 2020; verified)",
            {
                Analyte.LEUKOCYTES: _S1_LEUKOCYTES,
                Analyte.PROTEIN: _S1_PROTEIN,
                Analyte.LACTATE: _S1_LACTATE,
                Analyte.GLUCOSE: _HOL_GLUCOSE,
            },
            _S1_GLUCOSE_RATIO,
            QalbRule.AGE_BANDS,
        ),
        Profile(
            "Holub-2007",
            "Holub 2007 (verified): lactate 0.9–3.0 mmol/L, CSF/serum glucose > 0.45, "
            "glucose 2.2–3.3 mmol/L; cells and protein from S1; QAlb Reiber",
            {
                Analyte.LEUKOCYTES: _S1_LEUKOCYTES,
                Analyte.PROTEIN: _S1_PROTEIN,
                Analyte.LACTATE: Limit(
                    "mmol/L", HOLUB, lower=0.9, upper=3.0, text="0.9–3.0 mmol/L"
                ),
                Analyte.GLUCOSE: _HOL_GLUCOSE,
            },
            Limit("1", HOLUB, lower=0.45, lower_inclusive=False, text="CSF/serum > 0.45"),
            QalbRule.REIBER,
        ),
        Profile(
            "EBM-secondary",
            "EBM Guidelines handbook (secondary): cells 0–3 /µL, protein 150–450 mg/L, glucose "
            "2.2–4.2 mmol/L; lactate and glucose ratio from S1; QAlb Reiber",
            {
                Analyte.LEUKOCYTES: Limit("/uL", EBM, upper=3.0, text="0–3 /mm³ (≥ 4 abnormal)"),
                Analyte.PROTEIN: Limit("mg/L", EBM, lower=150.0, upper=450.0, text="150–450 mg/L"),
                Analyte.LACTATE: _S1_LACTATE,
                Analyte.GLUCOSE: Limit("mmol/L", EBM, lower=2.2, upper=4.2, text="2.2–4.2 mmol/L"),
            },
            _S1_GLUCOSE_RATIO,
            QalbRule.REIBER,
        ),
        Profile(
            "Goettingen-2017",
            "As S1-2020 but lactate elevated above 2.4 mmol/L (limit used in the Göttingen LM "
            "cohort; verified)",
            {
                Analyte.LEUKOCYTES: _S1_LEUKOCYTES,
                Analyte.PROTEIN: _S1_PROTEIN,
                Analyte.LACTATE: Limit(
                    "mmol/L", GOETTINGEN, upper=2.4, text="> 2.4 mmol/L elevated"
                ),
                Analyte.GLUCOSE: _HOL_GLUCOSE,
            },
            _S1_GLUCOSE_RATIO,
            QalbRule.REIBER,
        ),
    )
}

NORMAL_CSF_DOES_NOT_EXCLUDE_LM = (
    "A normal CSF cell count or normal chemistry does not exclude LM; cytology should not be "
    "restricted to samples with abnormal counts (csf.md §CSF-5, §CSF-6)."
)


@dataclass(frozen=True, slots=True)
class Prevalence:
    """Share of cytology-proven LM patients with a finding (Bönig 2019 or its editorial summary)."""

    finding: str
    solid_percent: float | None
    haematological_percent: float | None
    source: Source
    note: str = ""


BOENIG_PAPER: tuple[Prevalence, ...] = (
    Prevalence("normal CSF cell count", 21.0, 8.0, BOENIG),
    Prevalence("blood–CSF barrier dysfunction (elevated QAlb)", 80.0, 92.0, BOENIG),
    Prevalence("elevated CSF lactate", 68.0, 48.0, BOENIG),
    Prevalence("MRI signs of LM", 62.0, 33.0, BOENIG),
    Prevalence("CSF oligoclonal bands", 30.0, 26.0, BOENIG),
)
"""Bönig 2019 (n = 76 solid, 37 haematological, all cytology-positive), ``csf.md §CSF-5``."""

BOENIG_EDITORIAL: tuple[Prevalence, ...] = (
    Prevalence("cell count elevated", 79.0, 92.0, SEED_EDITORIAL),
    Prevalence("lactate increased", 68.0, 48.0, SEED_EDITORIAL),
    Prevalence(
        'glucose "elevated"',
        57.0,
        54.0,
        SEED_EDITORIAL,
        "The editorial's word is kept in quotes: LM is expected to lower CSF glucose, and the "
        "paper's own glucose figure was not available to check it (csf.md §CSF-5).",
    ),
    Prevalence("total protein elevated", 82.0, 89.0, SEED_EDITORIAL, "paper figure not available"),
    Prevalence("blood–CSF barrier dysfunction", 80.0, 92.0, SEED_EDITORIAL),
)
"""The seed editorial's version of Bönig 2019 (SECONDARY; shown, not corrected)."""

BOENIG_DISCREPANCIES: tuple[str, ...] = (
    'The editorial reports glucose as "elevated" in 54 % (haematological) and 57 % (solid); LM '
    "usually lowers CSF glucose and the paper's figure is not available.",
    "The editorial says haematological patients have higher lactate, yet its own figures are "
    "higher in solid tumours (68 % vs 48 %); levels and proportions above a cut-off can differ.",
    "The editorial describes the study as about MRI-negative, normal-cell-count cases; the "
    "paper included all cytology-positive patients.",
)
