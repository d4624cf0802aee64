"""Unit conversion factors (``csf.md §CSF-4``, DERIVED) and accepted unit spellings.

Only :mod:`leptodx.domain.units` uses these; everything else converts through it.
"""

from __future__ import annotations

from enum import StrEnum


class Dimension(StrEnum):
    """What kind of quantity a unit measures."""

    CELLS = "cell concentration"
    MASS = "mass concentration"
    GLUCOSE = "glucose concentration"
    LACTATE = "lactate concentration"


GLUCOSE_MOLAR_MASS = 180.16
"""g/mol; 1 mmol/L glucose = 18.016 mg/dL."""
LACTATE_MOLAR_MASS = 90.08
"""g/mol; 1 mmol/L lactate = 9.008 mg/dL (many labs round to 9.0: LeptoDx does not)."""

CELL_UNITS: dict[str, float] = {"/uL": 1.0, "/mm3": 1.0, "10*6/L": 1.0}
"""Cell concentration units in /µL (1 µL = 1 mm³ = 10⁻⁶ L)."""

MASS_UNITS: dict[str, float] = {"g/L": 1.0, "mg/L": 1e-3, "mg/dL": 1e-2, "g/dL": 10.0}
"""Mass concentration units in g/L."""

MOLAR_UNITS: dict[str, float] = {"mmol/L": 1.0}
"""Substance concentration units in mmol/L."""

SPELLINGS: dict[str, str] = {
    "/ul": "/uL",
    "/µl": "/uL",
    "/μl": "/uL",
    "cells/ul": "/uL",
    "cells/µl": "/uL",
    "/mm3": "/mm3",
    "/mm³": "/mm3",
    "cells/mm3": "/mm3",
    "10*6/l": "10*6/L",
    "10^6/l": "10*6/L",
    "x10^6/l": "10*6/L",
    "mg/l": "mg/L",
    "mg/dl": "mg/dL",
    "g/l": "g/L",
    "g/dl": "g/dL",
    "mmol/l": "mmol/L",
}
"""Accepted spellings (case-insensitive) → UCUM code."""
