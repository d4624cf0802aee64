"""Plausibility of measured values against the one analyte table (``reference.analytes``).

An impossible value (outside the plausible range) is an :class:`InputError`. An implausible value
(outside the typical range) is reported with the unit in which the entered number would have been
typical, when there is one: the usual cause is a value entered in the wrong unit (3.0 "mg/dL" CSF
glucose that was really 3.0 mmol/L). The same rule serves ``assess`` and ``cohort check``.
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.domain.units import Quantity, accepted_units, convert, round_significant
from leptodx.errors import InputError
from leptodx.reference.analytes import Analyte


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
    """Raise :class:`InputError` when the value is outside the analyte's plausible range."""
    if quantity.canonical_value not in analyte.plausible:
        low, high = analyte.plausible.low, analyte.plausible.high
        raise InputError(
            f"{analyte.field}.value",
            f"{quantity.value:g} {quantity.unit}",
            f"a plausible value between {low:g} and {high:g} {analyte.display_unit}",
        )


def check_typical(analyte: Analyte, quantity: Quantity) -> Implausible | None:
    """``None`` for a typical value; else the finding, naming a likely unit mix-up if any."""
    if quantity.canonical_value in analyte.typical:
        return None
    for unit in accepted_units(analyte.dimension):
        if unit == quantity.unit:
            continue
        alternative = round_significant(
            convert(quantity.value, unit, to=analyte.canonical_unit, dimension=analyte.dimension),
            analyte.significant_digits,
        )
        if alternative in analyte.typical:
            return Implausible(analyte, quantity, unit, alternative)
    return Implausible(analyte, quantity, None, None)
