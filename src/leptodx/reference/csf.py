"""CSF reference limits as named profiles, albumin-quotient rules and Bönig 2019 (``csf.md``).

Every limit carries its unit (the canonical unit of the analyte table,
:mod:`leptodx.reference.analytes`), whether its bound is inclusive, its source and status. Where
sources disagree, each variant is a named profile; the default is ``S1-2020`` (Tumani S1
guideline, ``csf.md §CSF-2``). A profile judges an absolute CSF glucose only when its sources state
an absolute range; otherwise glucose is judged by the CSF/serum ratio alone, which needs a
simultaneous serum glucose (``§CSF-2``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, overload

from leptodx.reference.analytes import ANALYTES
from leptodx.reference.citation import Source, Status

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

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
LAB_BANDS = Source(
    "QAlb-bands-labs",
    "Labor Suhl and Labor Düsseldorf handbooks: QAlb upper limits by age, ≤ 15 y < 5.0; "
    "≤ 40 y < 6.5; ≤ 60 y < 8.0; > 60 y < 9.0 (× 10⁻³)",
    "csf.md §CSF-3",
    Status.SECONDARY,
    "https://www.labor-suhl.de/index.php?id=178&tx_laboratoryeditor_pi1%5Bs_uid%5D=45454",
)
NRP20 = Source(
    "NRP-2020",
    "Neurol Res Pract 2020, Table 1: CSF lactate > 3.5 mmol/L typical of bacterial or "
    "tuberculous meningitis (differential diagnosis)",
    "csf.md §CSF-2",
    Status.VERIFIED,
    "https://doi.org/10.1186/s42466-020-00098-6",
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

    @overload
    def is_high(self, value: float) -> bool: ...
    @overload
    def is_high(self, value: NDArray[np.float64]) -> NDArray[np.bool_]: ...
    def is_high(self, value: float | NDArray[np.float64]) -> bool | NDArray[np.bool_]:
        """Above the upper limit, or at it when the source excludes it (a value or a column)."""
        upper = math.inf if self.upper is None else self.upper
        at_limit = value == upper
        return (value > upper) | (at_limit & (not self.upper_inclusive))

    @overload
    def is_low(self, value: float) -> bool: ...
    @overload
    def is_low(self, value: NDArray[np.float64]) -> NDArray[np.bool_]: ...
    def is_low(self, value: float | NDArray[np.float64]) -> bool | NDArray[np.bool_]:
        """Below the lower limit, or at it when the source excludes it (a value or a column)."""
        lower = -math.inf if self.lower is None else self.lower
        at_limit = value == lower
        return (value < lower) | (at_limit & (not self.lower_inclusive))

    def status(self, value: float) -> str:
        """``"high"``, ``"low"`` or ``"normal"`` for a value in :attr:`unit` (high is checked
        first; :meth:`is_high` and :meth:`is_low` are the comparisons a columnar engine uses)."""
        if self.is_high(value):
            return "high"
        if self.is_low(value):
            return "low"
        return "normal"


class QalbRule(StrEnum):
    """How the age-dependent upper limit of the albumin quotient is obtained (``csf.md §CSF-3``)."""

    REIBER = "reiber"
    HEGEN = "hegen"
    AGE_BANDS = "age_bands"


@dataclass(frozen=True, slots=True)
class AgeRange:
    """Ages (years) a QAlb limit applies to, with the source's bound semantics."""

    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True

    @overload
    def contains(self, age: float) -> bool: ...
    @overload
    def contains(self, age: NDArray[np.float64]) -> NDArray[np.bool_]: ...
    def contains(self, age: float | NDArray[np.float64]) -> bool | NDArray[np.bool_]:
        """Whether ``age`` lies in the range, for one age or a column (NaN is outside)."""
        low = -math.inf if self.low is None else self.low
        high = math.inf if self.high is None else self.high
        above = (age > low) | ((age == low) & self.low_inclusive)
        below = (age < high) | ((age == high) & self.high_inclusive)
        return above & below

    def __contains__(self, age: object) -> bool:
        return isinstance(age, int | float) and bool(self.contains(float(age)))


@dataclass(frozen=True, slots=True)
class QalbLimit:
    """One piece of an age-dependent QAlb upper limit (× 10⁻³): a fixed band or a formula.

    ``limit = fixed`` for a band, else ``intercept + age / age_divisor``. ``at_limit_abnormal``
    is True when the source says "< limit" is normal (a QAlb equal to the limit is raised) and
    False for a cut-off above which the barrier is dysfunctional.
    """

    ages: AgeRange
    text: str
    """The source's wording of this limit."""
    source: Source
    at_limit_abnormal: bool
    fixed: float | None = None
    intercept: float = 0.0
    age_divisor: float | None = None

    @overload
    def limit(self, age_years: float) -> float: ...
    @overload
    def limit(self, age_years: NDArray[np.float64]) -> float | NDArray[np.float64]: ...
    def limit(self, age_years: float | NDArray[np.float64]) -> float | NDArray[np.float64]:
        """Upper limit (× 10⁻³) at ``age_years`` (which must be in :attr:`ages`); for a column of
        ages a fixed band is still one number."""
        if self.fixed is not None:
            return self.fixed
        assert self.age_divisor is not None
        return self.intercept + age_years / self.age_divisor

    @overload
    def exceeded(self, qalb: float, limit: float) -> bool: ...
    @overload
    def exceeded(
        self, qalb: NDArray[np.float64], limit: NDArray[np.float64]
    ) -> NDArray[np.bool_]: ...
    def exceeded(
        self, qalb: float | NDArray[np.float64], limit: float | NDArray[np.float64]
    ) -> bool | NDArray[np.bool_]:
        """Barrier dysfunction: QAlb at or above the limit (``< limit`` normal), else above it."""
        if self.at_limit_abnormal:
            return qalb >= limit
        return qalb > limit


QALB_LIMITS: dict[QalbRule, tuple[QalbLimit, ...]] = {
    QalbRule.REIBER: (
        QalbLimit(AgeRange(5.0), "4 + age/15, from age 5 years", REIBER, False,
                  intercept=4.0, age_divisor=15.0),
    ),
    QalbRule.HEGEN: (
        QalbLimit(AgeRange(18.0, 70.0), "age/25 + 8, for ages 18–70 years", HEGEN, False,
                  intercept=8.0, age_divisor=25.0),
    ),
    QalbRule.AGE_BANDS: (
        QalbLimit(AgeRange(None, 15.0), "< 5.0 at ≤ 15 years", LAB_BANDS, True, fixed=5.0),
        QalbLimit(AgeRange(15.0, 40.0, low_inclusive=False, high_inclusive=False),
                  "< 6.5 below 40 years", FBC20, True, fixed=6.5),
        QalbLimit(AgeRange(40.0, 60.0), "< 8.0 at 40–60 years", FBC20, True, fixed=8.0),
        QalbLimit(AgeRange(60.0, None, low_inclusive=False), "< 9.0 above 60 years", FBC20,
                  True, fixed=9.0),
    ),
}  # fmt: skip
"""QAlb limits per rule with the age range each source states (``csf.md §CSF-3``).

Reiber: from age 5 (SECONDARY). Hegen: ages 18–70 (SECONDARY). Age bands: FBC20 (VERIFIED)
6.5 (< 40 y), 8.0 (40–60 y, both ends included as the source writes them), 9.0 (> 60 y); below 16
the pack's paediatric band ≤ 15 y < 5.0 (lab handbooks, SECONDARY). Outside a rule's ages the QAlb
is not judged.
"""


def qalb_limit_for(rule: QalbRule, age_years: float) -> QalbLimit | None:
    """The piece of ``rule`` that covers ``age_years``, or None outside the rule's ages."""
    return next((piece for piece in QALB_LIMITS[rule] if age_years in piece.ages), None)


@dataclass(frozen=True, slots=True)
class Profile:
    """A named set of CSF limits; results record the profile that produced them."""

    name: str
    description: str
    limits: dict[Analyte, Limit]
    glucose_ratio: Limit
    qalb_rule: QalbRule
    sources: tuple[Source, ...] = field(default=())


_CELLS = ANALYTES["csf.leukocytes"].canonical_unit
_MASS = ANALYTES["csf.protein"].canonical_unit
_MOLAR = ANALYTES["csf.lactate"].canonical_unit
_S1_LEUKOCYTES = Limit(_CELLS, S1, upper=5.0, upper_inclusive=False, text="< 5 /µL")
_S1_PROTEIN = Limit(_MASS, S1, upper=500.0, upper_inclusive=False, text="< 500 mg/L")
_S1_LACTATE = Limit(_MOLAR, S1, lower=0.9, upper=2.7, text="0.9–2.7 mmol/L (age dependent)")
_S1_GLUCOSE_RATIO = Limit("1", S1, lower=0.5, lower_inclusive=False, text="CSF/serum > 0.50")
_HOL_GLUCOSE = Limit(_MOLAR, HOLUB, lower=2.2, upper=3.3, text="2.2–3.3 mmol/L")

DEFAULT_PROFILE = "S1-2020"

PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "S1-2020",
            "Tumani S1 guideline limits (verified); glucose judged by the CSF/serum ratio only (S1 "
            "states no absolute range); QAlb upper limit by the Reiber age formula (secondary)",
            {
                Analyte.LEUKOCYTES: _S1_LEUKOCYTES,
                Analyte.PROTEIN: _S1_PROTEIN,
                Analyte.LACTATE: _S1_LACTATE,
            },
            _S1_GLUCOSE_RATIO,
            QalbRule.REIBER,
        ),
        Profile(
            "S1-2020-hegen",
            "As S1-2020, QAlb upper limit by Hegen 2016 (age/25 + 8, ages 18–70; secondary)",
            {
                Analyte.LEUKOCYTES: _S1_LEUKOCYTES,
                Analyte.PROTEIN: _S1_PROTEIN,
                Analyte.LACTATE: _S1_LACTATE,
            },
            _S1_GLUCOSE_RATIO,
            QalbRule.HEGEN,
        ),
        Profile(
            "S1-2020-qalb-bands",
            "As S1-2020, QAlb upper limit by age bands 6.5/8.0/9.0 (FBC 2020; verified) and "
            "5.0 at ≤ 15 years (lab handbooks; secondary)",
            {
                Analyte.LEUKOCYTES: _S1_LEUKOCYTES,
                Analyte.PROTEIN: _S1_PROTEIN,
                Analyte.LACTATE: _S1_LACTATE,
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
                Analyte.LACTATE: Limit(_MOLAR, HOLUB, lower=0.9, upper=3.0, text="0.9–3.0 mmol/L"),
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
                Analyte.LEUKOCYTES: Limit(_CELLS, EBM, upper=3.0, text="0–3 /mm³ (≥ 4 abnormal)"),
                Analyte.PROTEIN: Limit(_MASS, EBM, lower=150.0, upper=450.0, text="150–450 mg/L"),
                Analyte.LACTATE: _S1_LACTATE,
                Analyte.GLUCOSE: Limit(_MOLAR, EBM, lower=2.2, upper=4.2, text="2.2–4.2 mmol/L"),
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
                Analyte.LACTATE: Limit(_MOLAR, GOETTINGEN, upper=2.4, text="> 2.4 mmol/L elevated"),
            },
            _S1_GLUCOSE_RATIO,
            QalbRule.REIBER,
        ),
    )
}

LACTATE_INFECTION_THRESHOLD = 3.5
"""mmol/L; CSF lactate above it (exclusive) is typical of bacterial or tuberculous meningitis
(NRP20 Table 1, ``csf.md §CSF-2``, VERIFIED): a differential diagnosis, not an LM sign."""


class CsfFinding(StrEnum):
    """CSF abnormalities that are typical of LM and feed the LM summary (``csf.md §CSF-2, §CSF-5``).

    Bönig 2019 (solid tumours): elevated cells 79 %, barrier dysfunction 80 %, elevated lactate
    68 %; protein elevated 82 % (seed editorial); LM lowers CSF glucose (§CSF-2). Other
    abnormalities (low protein or lactate, absolute glucose outside a range) are reported apart.
    """

    CELLS_HIGH = "leukocytes_high"
    PROTEIN_HIGH = "protein_high"
    GLUCOSE_RATIO_LOW = "glucose_ratio_low"
    LACTATE_HIGH = "lactate_high"
    BARRIER_DYSFUNCTION = "barrier_dysfunction"


NORMAL_CSF_DOES_NOT_EXCLUDE_LM = (
    "A normal CSF cell count or normal chemistry does not exclude LM; cytology should not be "
    "restricted to samples with abnormal counts."
)
"""``csf.md §CSF-5, §CSF-6`` (VERIFIED: Bönig 2019, Göttingen cohort)."""


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
