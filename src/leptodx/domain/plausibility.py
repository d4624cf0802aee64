"""Plausibility of measured values against the one analyte table (``reference.analytes``).

An impossible value (outside the plausible range) is an :class:`InputError`. An implausible value
(outside the typical range) is reported with the unit in which the entered number would have been
typical, when there is one: the usual cause is a value entered in the wrong unit (3.0 "mg/dL" CSF
glucose that was really 3.0 mmol/L). The same rule serves ``assess`` and ``cohort check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from leptodx.domain.units import (
    Quantity,
    accepted_units,
    convert,
    convert_array,
    round_significant,
    round_significant_array,
)
from leptodx.errors import InputError
from leptodx.reference.analytes import Analyte

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class Implausible:
    """A value outside its analyte's typical range."""

    analyte: Analyte
    quantity: Quantity
    likely_unit: str | None
    """A unit in which the entered number would be typical (suspected unit mix-up), or None."""
    likely_value: float | None
    """The canonical value if the number was meant in ``likely_unit``."""


def check_possible(analyte: Analyte, quantity: Quantity) -> None:
    """Raise :class:`InputError` when the value is outside the analyte's plausible range.

    The message names the unit in which the entered number would be typical, if there is one
    (serum albumin 4.1 "g/L" → "was it 4.1 g/dL?").
    """
    if quantity.canonical_value not in analyte.plausible:
        low, high = analyte.plausible.low, analyte.plausible.high
        likely = _likely_unit(analyte, quantity)
        hint = f" (was it {quantity.value:g} {likely}?)" if likely else ""
        raise InputError(
            f"{analyte.field}.value",
            f"{quantity.value:g} {quantity.unit}",
            f"a plausible value between {low:g} and {high:g} {analyte.display_unit}{hint}",
        )


def check_typical(analyte: Analyte, quantity: Quantity) -> Implausible | None:
    """``None`` for a typical value; else the finding, naming a likely unit mix-up if any."""
    if quantity.canonical_value in analyte.typical:
        return None
    unit = _likely_unit(analyte, quantity)
    if unit is None:
        return Implausible(analyte, quantity, None, None)
    return Implausible(analyte, quantity, unit, _canonical(analyte, quantity.value, unit))


def _canonical(analyte: Analyte, value: float, unit: str) -> float:
    converted = convert(value, unit, to=analyte.canonical_unit, dimension=analyte.dimension)
    return round_significant(converted, analyte.significant_digits)


def _likely_unit(analyte: Analyte, quantity: Quantity) -> str | None:
    """The first other accepted unit in which the entered number is typical, if any."""
    for unit in accepted_units(analyte.dimension):
        if unit != quantity.unit and _canonical(analyte, quantity.value, unit) in analyte.typical:
            return unit
    return None


@dataclass(frozen=True, slots=True)
class ColumnPlausibility:
    """Plausibility of a column of values entered in one unit (the columnar :func:`check_typical`).

    ``likely_unit`` holds, per value, the index into ``accepted_units(analyte.dimension)`` of the
    unit in which an atypical number would be typical, or -1 (typical, or no such unit).
    """

    canonical: NDArray[np.float64]
    possible: NDArray[np.bool_]
    typical: NDArray[np.bool_]
    likely_unit: NDArray[np.int8]


def canonical_column(
    analyte: Analyte, values: NDArray[np.float64], code: str
) -> NDArray[np.float64]:
    """Values entered in UCUM ``code`` in the analyte's canonical unit, rounded as per record."""
    converted = convert_array(values, code, to=analyte.canonical_unit, dimension=analyte.dimension)
    return round_significant_array(converted, analyte.significant_digits)


def judge_column(analyte: Analyte, values: NDArray[np.float64], code: str) -> ColumnPlausibility:
    """:func:`check_possible` and :func:`check_typical` for a column entered in one unit.

    The same conversions, rounding, ranges and order of candidate units as the per-record checks.
    """
    canonical = canonical_column(analyte, values, code)
    typical = analyte.typical.contains(canonical)
    import numpy as np

    likely = np.full(values.shape, -1, dtype=np.int8)
    for index, unit in enumerate(accepted_units(analyte.dimension)):
        open_ = ~typical & (likely < 0)
        if unit == code or not open_.any():
            continue
        fits = open_ & analyte.typical.contains(canonical_column(analyte, values, unit))
        likely[fits] = index
    return ColumnPlausibility(canonical, analyte.plausible.contains(canonical), typical, likely)
