"""Missing-data description for reports: percentage missing per variable and missingness patterns.

Patterns are listed like R ``mice::md.pattern``: one row per distinct combination of observed (1)
and missing (0) variables, with the number of patients showing it, most frequent first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class VariableMissing:
    """How often one variable is missing."""

    field: str
    n_missing: int
    percent: float

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "n_missing": self.n_missing, "percent": self.percent}


@dataclass(frozen=True)
class MissingPattern:
    """One missingness pattern: ``observed[i]`` is True when variable ``i`` is present."""

    observed: tuple[bool, ...]
    count: int

    @property
    def n_missing(self) -> int:
        return sum(not o for o in self.observed)


@dataclass(frozen=True)
class MissingSummary:
    """Missingness of the analysis variables among the rows analysed."""

    n: int
    n_complete: int
    variables: tuple[VariableMissing, ...]
    patterns: tuple[MissingPattern, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(v.field for v in self.variables)

    @property
    def any_missing(self) -> bool:
        return self.n_complete < self.n

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "n": self.n,
            "n_complete": self.n_complete,
            "variables": [v.to_dict() for v in self.variables],
            "patterns": [
                {
                    "missing": [f for f, o in zip(self.fields, p.observed, strict=True) if not o],
                    "count": p.count,
                }
                for p in self.patterns
            ],
        }


def summarise_missing(data: pd.DataFrame, fields: list[str]) -> MissingSummary:
    """Missingness of ``fields`` in ``data`` (one row per patient)."""
    observed = data[fields].notna().to_numpy()
    n = observed.shape[0]
    variables = tuple(
        VariableMissing(f, int((~observed[:, j]).sum()), 100.0 * (~observed[:, j]).sum() / n)
        if n
        else VariableMissing(f, 0, 0.0)
        for j, f in enumerate(fields)
    )
    if n:
        rows, counts = np.unique(observed, axis=0, return_counts=True)
    else:
        rows, counts = np.empty((0, len(fields)), dtype=bool), np.empty(0, dtype=int)
    patterns = sorted(
        (
            MissingPattern(tuple(bool(v) for v in row), int(c))
            for row, c in zip(rows, counts, strict=True)
        ),
        key=lambda p: (-p.count, p.n_missing),
    )
    return MissingSummary(n, int(observed.all(axis=1).sum()), variables, tuple(patterns))
