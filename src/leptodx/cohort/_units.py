"""The one adapter between cohort columns and unit conversion.

Everything in :mod:`leptodx.cohort` converts units through :func:`factor_to_canonical`. Until the
clinical core's :mod:`leptodx.domain.units` is available this adapter carries the linear factors of
``csf.md §CSF-4`` (DERIVED); switching to the core's converter is a change to this function only
(docs/decisions/research-unit-adapter.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

# Canonical unit -> {accepted spelling: multiplicative factor to the canonical unit}.
# Factors from csf.md §CSF-4 (DERIVED): 1 g/L = 100 mg/dL = 1000 mg/L; glucose 18.016 mg/dL per
# mmol/L (180.16 g/mol); lactate 9.008 mg/dL per mmol/L (90.08 g/mol); 1 /µL = 1 /mm³ = 10⁶ /L.
_FACTORS: dict[str, dict[str, dict[str, float]]] = {
    "mass_concentration": {
        "mg/L": {"mg/L": 1.0, "mg/dL": 10.0, "g/L": 1000.0, "g/dL": 10000.0},
        "g/L": {"g/L": 1.0, "g/dL": 10.0, "mg/dL": 0.01, "mg/L": 0.001},
    },
    "glucose": {"mmol/L": {"mmol/L": 1.0, "mg/dL": 1.0 / 18.016}},
    "lactate": {"mmol/L": {"mmol/L": 1.0, "mg/dL": 1.0 / 9.008}},
    "cells": {"/uL": {"/uL": 1.0, "/µL": 1.0, "/mm3": 1.0, "/mm³": 1.0, "10^6/L": 1.0}},
}

FIELD_QUANTITY: dict[str, tuple[str, str]] = {
    "csf_protein": ("mass_concentration", "mg/L"),
    "csf_albumin": ("mass_concentration", "mg/L"),
    "serum_albumin": ("mass_concentration", "g/L"),
    "csf_glucose": ("glucose", "mmol/L"),
    "serum_glucose": ("glucose", "mmol/L"),
    "csf_lactate": ("lactate", "mmol/L"),
    "csf_leukocytes": ("cells", "/uL"),
}


def accepted_units(field: str) -> tuple[str, ...]:
    """Unit spellings accepted for ``field`` (canonical first)."""
    quantity, canonical = FIELD_QUANTITY[field]
    return tuple(_FACTORS[quantity][canonical])


def canonical_unit(field: str) -> str:
    """Canonical unit of a unit-bearing cohort field."""
    return FIELD_QUANTITY[field][1]


def factor_to_canonical(field: str, unit: str) -> float | None:
    """Factor from ``unit`` to the canonical unit of ``field`` (None: unknown unit)."""
    quantity, canonical = FIELD_QUANTITY[field]
    return _FACTORS[quantity][canonical].get(unit.strip())


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
    codes, labels = pd.factorize(units.astype("string"), use_na_sentinel=True)
    for code, label in enumerate(labels):
        rows = codes == code
        factor = factor_to_canonical(field, str(label))
        if factor is None:
            unknown[rows] = True
        else:
            out[rows] = values[rows] * factor
    unknown &= ~np.isnan(values)
    unknown |= (codes == -1) & ~np.isnan(values)
    return out, unknown
