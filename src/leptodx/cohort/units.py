"""The one adapter between cohort columns and unit conversion.

Everything in :mod:`leptodx.cohort` converts units through :func:`factor_to_canonical`, which asks
the clinical core's converter (:mod:`leptodx.domain.units`, the only converter in LeptoDx) for the
factor of each distinct unit; whole columns are then converted with one multiplication per unit
(docs/decisions/research-unit-adapter.md).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from leptodx.cohort.codes import distinct_codes
from leptodx.domain import units as core_units
from leptodx.domain.units import Dimension
from leptodx.errors import InputError
from leptodx.reference.analytes import ANALYTE_TABLE

FIELD_QUANTITY: dict[str, tuple[Dimension, str]] = {
    a.column: (a.dimension, a.canonical_unit) for a in ANALYTE_TABLE
}
"""Cohort field → (dimension, canonical unit), from the one analyte table."""


def accepted_units(field: str) -> tuple[str, ...]:
    """Unit codes accepted for ``field`` (canonical first)."""
    dimension, canonical = FIELD_QUANTITY[field]
    others = [u for u in core_units.accepted_units(dimension) if u != canonical]
    return (canonical, *others)


def canonical_unit(field: str) -> str:
    """Canonical unit of a unit-bearing cohort field."""
    return FIELD_QUANTITY[field][1]


@functools.lru_cache(maxsize=256)
def factor_to_canonical(field: str, unit: str) -> float | None:
    """Factor from ``unit`` to the canonical unit of ``field`` (None: unknown unit)."""
    dimension, canonical = FIELD_QUANTITY[field]
    try:
        return core_units.convert(1.0, unit, to=canonical, dimension=dimension, field=field)
    except InputError:
        return None


def convert_column(
    field: str, values: NDArray[np.float64], units: pd.Series | str
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Convert a column to canonical units; returns values and a mask of rows with unknown units.

    ``units`` is one unit for the whole column or a per-row unit column. Rows with a missing value
    are never flagged for their unit.
    """
    out = np.full(values.shape, np.nan)
    unknown = np.zeros(values.shape, dtype=bool)
    if isinstance(units, str):
        factor = factor_to_canonical(field, units)
        if factor is None:
            unknown[:] = ~np.isnan(values)
            return out, unknown
        return values * factor, unknown
    codes, uniques = distinct_codes(units)
    labels = pd.Series(uniques, dtype=object).astype("string")
    factors = [factor_to_canonical(field, str(label)) for label in labels]
    known = np.array([f is not None for f in factors] + [False])  # index -1: no unit
    table = np.array([np.nan if f is None else f for f in factors] + [np.nan])
    out = values * table[codes]  # one factor per distinct unit, taken row by row
    unknown = ~known[codes] & ~np.isnan(values)
    return out, unknown
