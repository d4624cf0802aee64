"""The one analyte table: every CSF and serum quantity LeptoDx reads (``csf.md §CSF-4``).

Each row gives the input-contract field, what the quantity measures, its canonical (UCUM) and
display unit, the plausible range (outside it a value is impossible: an input error), the typical
range (outside it a value is implausible: a warning that names the likely unit mix-up when the
entered number fits in another unit), the LOINC code of the canonical form (``interop.md §IO-1``)
and the number of significant digits to which canonical values are reported and judged.

The web form, the cohort unit adapter, the plausibility bounds and the CSF limits all read this
table; nothing else lists analytes, units or bounds. The plausible bounds admit the extremes seen
in cytology-proven LM (GOE: cells up to 4692 /µL, protein up to 15,840 mg/L, lactate up to
15.6 mmol/L; ``csf.md §CSF-4`` asks that plausibility checks admit them). Neither range is a
clinical reference limit: those are the named profiles of :mod:`leptodx.reference.csf`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

from leptodx.reference.citation import Source, Status
from leptodx.reference.units import Dimension

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

GOE_EXTREMES = Source(
    key="GOE-2017-extremes",
    citation=(
        "Göttingen LM cohort, Fluids Barriers CNS 2017 (observed extremes); bounds chosen by "
        "LeptoDx with a margin (docs/decisions/research-plausibility-bounds.md)"
    ),
    pack="csf.md §CSF-4, §CSF-6",
    status=Status.DERIVED,
    url="https://doi.org/10.1186/s12987-017-0057-2",
)
GLUCOSE_RATIO_CHECK = Source(
    key="glucose-ratio-above-1",
    citation=(
        "LeptoDx data-quality check: the normal CSF/serum glucose ratio is about 0.6 (at least "
        "0.45–0.50), so a ratio above 1 points to a unit mix-up or unpaired samples"
    ),
    pack="csf.md §CSF-2",
    status=Status.DERIVED,
)


@dataclass(frozen=True, slots=True)
class ValueRange:
    """An inclusive range in the analyte's canonical unit."""

    low: float
    high: float

    @overload
    def contains(self, value: float) -> bool: ...
    @overload
    def contains(self, value: NDArray[np.float64]) -> NDArray[np.bool_]: ...
    def contains(self, value: float | NDArray[np.float64]) -> bool | NDArray[np.bool_]:
        """``low <= value <= high`` for one value or a column (NaN is outside)."""
        return (self.low <= value) & (value <= self.high)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int | float) and bool(self.contains(float(value)))


@dataclass(frozen=True, slots=True)
class Analyte:
    """One measured quantity of the input contract (values in ``canonical_unit``)."""

    field: str
    """Input-contract path, e.g. ``"csf.protein"``."""
    dimension: Dimension
    canonical_unit: str
    """UCUM code in which the value is judged and reported."""
    display_unit: str
    """The canonical unit as people read it (``/µL``, not ``/uL``)."""
    plausible: ValueRange
    typical: ValueRange
    loinc: str
    """LOINC code of the canonical form (status in ``reference.fhir_codes.LAB_CODES``)."""
    significant_digits: int
    source: Source = GOE_EXTREMES

    @property
    def specimen(self) -> str:
        """``"csf"`` or ``"serum"``."""
        return self.field.split(".")[0]

    @property
    def name(self) -> str:
        """Analyte name within its specimen, e.g. ``"protein"``."""
        return self.field.split(".")[1]

    @property
    def column(self) -> str:
        """Flat cohort field name, e.g. ``"csf_protein"``."""
        return self.field.replace(".", "_")


@dataclass(frozen=True, slots=True)
class RatioQuantity:
    """A quantity LeptoDx computes from two analytes (QAlb, CSF/serum glucose ratio)."""

    field: str
    unit: str
    """UCUM code (``10*-3`` for QAlb, ``1`` for a plain ratio)."""
    display_unit: str
    significant_digits: int
    typical: ValueRange | None = None
    source: Source | None = None


ANALYTE_TABLE: tuple[Analyte, ...] = (
    Analyte("csf.leukocytes", Dimension.CELLS, "/uL", "/µL", ValueRange(0.0, 100000.0), ValueRange(0.0, 10000.0), "26465-5", 4),
    Analyte("csf.protein", Dimension.MASS, "mg/L", "mg/L", ValueRange(0.0, 40000.0), ValueRange(100.0, 20000.0), "2880-3", 4),
    Analyte("csf.glucose", Dimension.GLUCOSE, "mmol/L", "mmol/L", ValueRange(0.0, 30.0), ValueRange(0.5, 15.0), "14744-7", 4),
    Analyte("csf.lactate", Dimension.LACTATE, "mmol/L", "mmol/L", ValueRange(0.0, 30.0), ValueRange(0.5, 20.0), "2520-5", 4),
    Analyte("csf.albumin", Dimension.MASS, "mg/L", "mg/L", ValueRange(0.0, 30000.0), ValueRange(30.0, 15000.0), "1746-7", 4),
    Analyte("serum.glucose", Dimension.GLUCOSE, "mmol/L", "mmol/L", ValueRange(0.5, 60.0), ValueRange(2.0, 30.0), "2345-7", 4),
    Analyte("serum.albumin", Dimension.MASS, "g/L", "g/L", ValueRange(5.0, 80.0), ValueRange(15.0, 60.0), "1751-7", 4),
)  # fmt: skip
"""Field, dimension, canonical unit, display unit, plausible and typical range, LOINC, digits."""

ANALYTES: dict[str, Analyte] = {a.field: a for a in ANALYTE_TABLE}
"""The table by input-contract path."""

QALB = RatioQuantity("csf.qalb", "10*-3", "× 10⁻³", 3)
"""Albumin quotient, CSF albumin (mg/L) ÷ serum albumin (g/L) = QAlb × 10⁻³ (``§CSF-4``)."""
GLUCOSE_RATIO = RatioQuantity(
    "csf.glucose_ratio", "1", "", 3, ValueRange(0.0, 1.0), GLUCOSE_RATIO_CHECK
)
"""CSF/serum glucose ratio; above 1 is implausible (a warning, never a silent judgement)."""
