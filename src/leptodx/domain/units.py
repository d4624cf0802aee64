"""The one place where units are parsed and converted (``csf.md §CSF-4``).

Values keep their original number and unit next to the canonical ones for display and audit.
Conversion always uses the exact factors of :mod:`leptodx.reference.units` (18.016, not 18).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from leptodx.errors import InputError
from leptodx.reference import units as ref
from leptodx.reference.units import Dimension

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Dimension",
    "Quantity",
    "accepted_units",
    "convert",
    "convert_array",
    "normalise_unit",
    "round_significant",
    "round_significant_array",
]

Number = TypeVar("Number", float, "NDArray[np.float64]")
"""A value or a column: the conversion steps are the same IEEE operations on either."""


_MOLAR_MASS = {Dimension.GLUCOSE: ref.GLUCOSE_MOLAR_MASS, Dimension.LACTATE: ref.LACTATE_MOLAR_MASS}


_UCUM_ANNOTATION = re.compile(r"\{[^{}]*\}")
"""UCUM annotations (``{cells}/uL``) carry no meaning for conversion (UCUM §2.1.1)."""


_POWER_RANGE = 400


def _power_of_ten(k: int) -> float:
    """The double nearest to 10ᵏ (correctly rounded, as the literal ``1ek``; inf above 10³⁰⁸)."""
    return float(f"1e{k}")


@functools.cache
def _powers_table() -> NDArray[np.float64]:
    """10⁻⁴⁰⁰ … 10³⁹⁹ as the same doubles as :func:`_power_of_ten`, looked up per value; built on
    first use, so the per-record path (pure Python) never imports NumPy."""
    import numpy as np

    return np.array([_power_of_ten(k) for k in range(-_POWER_RANGE, _POWER_RANGE)])


def round_significant_array(values: ArrayLike, digits: int) -> NDArray[np.float64]:
    """Values rounded to ``digits`` significant digits, vectorised (0, NaN and ±inf unchanged).

    ``x · 10ᵈ`` is rounded half to even and divided by the exact power of ten, so the result is the
    double nearest to the rounded decimal (no float noise: 409.99999999999994 → 410.0). The per-record
    :func:`round_significant` does the same operations on one value in plain Python, so a columnar
    engine gets identical values; both find the decimal exponent by comparison with the exact
    powers of ten, never trusting ``log10`` next to a power of ten.
    """
    import numpy as np

    x = np.array(values, dtype=np.float64, ndmin=1)
    table, offset = _powers_table(), _POWER_RANGE
    a = np.abs(x)
    # decimal exponent from the binary one: a ∈ [2ᵉ⁻¹, 2ᵉ) gives ⌊(e − 1)·log₁₀2⌋ (in integers:
    # (e − 1)·78913 >> 18, exact for every double), the exponent or one less; one comparison with
    # the table of exact powers settles it. Stored as an index into the table, in int16 (gathers
    # with small indices are several times faster). 0, NaN and ±inf are put back at the end.
    _, binary = np.frexp(a)
    at32 = ((binary - 1) * 78913) >> 18
    at32 += offset
    np.clip(at32, 0, 2 * offset - 2, out=at32)
    at = at32.astype(np.int16)
    at += table.take(at + np.int16(1)) <= a
    decimals = np.int16(digits - 1 + offset) - at
    up = decimals >= 0
    scale = table.take(np.minimum(np.abs(decimals), np.int16(offset - 1)) + np.int16(offset))
    with np.errstate(invalid="ignore", over="ignore"):
        rounded: NDArray[np.float64] = np.round(x * scale)
        rounded /= scale
        if not up.all():  # values with more integer digits than ``digits``
            down = np.round(x / scale)
            down *= scale
            np.copyto(rounded, down, where=~up)
    unchanged = ~np.isfinite(rounded)
    if unchanged.any():
        # below about 1e-305 the scale 10ᵈ overflows: such a value has no digits to round away
        unchanged &= ~np.isfinite(x) | (up & np.isinf(scale))
        np.copyto(rounded, x, where=unchanged)
    return rounded


def round_significant(value: float, digits: int) -> float:
    """``value`` rounded to ``digits`` significant digits without binary float noise.

    Examples
    --------
    >>> round_significant(409.99999999999994, 4)
    410.0
    >>> round_significant(0.19999999999999998, 3)
    0.2
    >>> round_significant(15843.0, 4)
    15840.0
    """
    x = float(value)
    if x == 0.0 or not math.isfinite(x):
        return x
    # The same IEEE operations as round_significant_array, on one value in plain Python.
    a = abs(x)
    exponent = math.floor(math.log10(a))
    if _power_of_ten(exponent) > a:
        exponent -= 1
    elif _power_of_ten(exponent + 1) <= a:
        exponent += 1
    decimals = digits - 1 - exponent
    if decimals >= 0:
        scale = _power_of_ten(decimals)
        if not math.isfinite(scale):
            return x  # below about 1e-305: no digits to round away (as the column path)
        return round(x * scale) / scale
    scale = _power_of_ten(-decimals)
    return round(x / scale) * scale


def accepted_units(dimension: Dimension) -> tuple[str, ...]:
    """UCUM codes accepted for ``dimension``."""
    if dimension is Dimension.CELLS:
        return tuple(ref.CELL_UNITS)
    if dimension is Dimension.MASS:
        return tuple(ref.MASS_UNITS)
    return (*ref.MOLAR_UNITS, "mg/dL", "mg/L", "g/L")


def normalise_unit(unit: str, dimension: Dimension, *, field: str) -> str:
    """UCUM code for a unit spelling, or :class:`InputError` naming the accepted units."""
    code = _known_unit(unit, dimension) if len(unit) <= 32 else _unit_code(unit, dimension)
    if code is None:
        raise InputError(
            field, unit, f"a {dimension.value} unit: one of {', '.join(accepted_units(dimension))}"
        )
    return code


def _unit_code(unit: str, dimension: Dimension) -> str | None:
    """The accepted UCUM code a spelling stands for, or None."""
    bare = _UCUM_ANNOTATION.sub("", unit).strip() or unit.strip()
    code = ref.SPELLINGS.get(bare.lower().replace(" ", ""), bare)
    return code if code in accepted_units(dimension) else None


_known_unit = functools.lru_cache(maxsize=512)(_unit_code)
"""Short spellings (≤ 32 characters, so at most ~16 kB) are resolved once per process."""


def _to_base(value: Number, code: str, dimension: Dimension) -> Number:
    """Value in the dimension's base unit: /µL, g/L or mmol/L (a float or a column)."""
    if dimension is Dimension.CELLS:
        return value * ref.CELL_UNITS[code]
    if dimension is Dimension.MASS:
        return value * ref.MASS_UNITS[code]
    if code in ref.MOLAR_UNITS:
        return value * ref.MOLAR_UNITS[code]
    grams_per_litre = value * ref.MASS_UNITS[code]
    return grams_per_litre / _MOLAR_MASS[dimension] * 1000.0


def _from_base(value: Number, code: str, dimension: Dimension) -> Number:
    if dimension is Dimension.CELLS:
        return value / ref.CELL_UNITS[code]
    if dimension is Dimension.MASS:
        return value / ref.MASS_UNITS[code]
    if code in ref.MOLAR_UNITS:
        return value / ref.MOLAR_UNITS[code]
    grams_per_litre = value / 1000.0 * _MOLAR_MASS[dimension]
    return grams_per_litre / ref.MASS_UNITS[code]


def convert(
    value: float, unit: str, *, to: str, dimension: Dimension, field: str = "value"
) -> float:
    """Convert ``value`` from ``unit`` to ``to`` within one dimension.

    Examples
    --------
    >>> convert(90.08, "mg/dL", to="mmol/L", dimension=Dimension.GLUCOSE)
    5.0
    """
    source = normalise_unit(unit, dimension, field=field)
    target = normalise_unit(to, dimension, field=f"{field} (target unit)")
    return _from_base(_to_base(value, source, dimension), target, dimension)


def convert_array(
    values: NDArray[np.float64], code: str, *, to: str, dimension: Dimension
) -> NDArray[np.float64]:
    """A column of values in the UCUM unit ``code`` converted to ``to`` (both normalised codes).

    The same operations as :func:`convert`, in the same order, on a whole column: a columnar
    engine gets bit-identical values (no factor is pre-multiplied).
    """
    return _from_base(_to_base(values, code, dimension), to, dimension)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A measured value in its original unit and in LeptoDx's canonical unit."""

    value: float
    unit: str
    canonical_value: float
    canonical_unit: str

    @classmethod
    def parse(
        cls,
        value: float,
        unit: str,
        *,
        canonical_unit: str,
        dimension: Dimension,
        field: str,
        significant_digits: int | None = None,
    ) -> Quantity:
        """Validate ``unit`` for ``dimension`` and convert ``value`` to ``canonical_unit``.

        With ``significant_digits`` the canonical value is rounded to the analyte's reporting
        precision (``reference.analytes``): that value is judged, stored and shown, so 0.41 g/L
        becomes exactly 410 mg/L. The factor itself is never rounded (``csf.md §CSF-4``).
        """
        code = normalise_unit(unit, dimension, field=f"{field}.unit")
        canonical = convert(value, code, to=canonical_unit, dimension=dimension, field=field)
        if significant_digits is not None:
            canonical = round_significant(canonical, significant_digits)
        return cls(value=value, unit=code, canonical_value=canonical, canonical_unit=canonical_unit)
