"""Numbers and units for people: significant digits without float noise, display units."""

from __future__ import annotations

from decimal import Decimal

from leptodx.domain.units import round_significant

DISPLAY_UNITS: dict[str, str] = {
    "/uL": "/µL",
    "/mm3": "/mm³",
    "10*6/L": "× 10⁶/L",
    "10*-3": "× 10⁻³",
    "1": "",
}
"""UCUM code → how people write it (other codes, e.g. mg/L, read as written)."""


def display_unit(unit: str) -> str:
    """The unit as people read it (``/uL`` → ``/µL``)."""
    return DISPLAY_UNITS.get(unit, unit)


_DENOISE_DIGITS = 12
"""Without a stated precision, numbers are shown to 12 significant digits: binary noise only."""


def format_number(value: float, digits: int | None = None) -> str:
    """``value`` as a plain decimal (no exponent, no float noise), rounded to ``digits``.

    >>> format_number(409.99999999999994, 4)
    '410'
    >>> format_number(0.19999999999999998)
    '0.2'
    """
    rounded = round_significant(value, _DENOISE_DIGITS if digits is None else digits)
    text = format(Decimal(repr(float(rounded))).normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def format_quantity(value: float, unit: str, digits: int | None = None) -> str:
    """``"410 mg/L"``, ``"12 /µL"``, ``"13 × 10⁻³"``."""
    shown = display_unit(unit)
    return f"{format_number(value, digits)} {shown}".rstrip()
