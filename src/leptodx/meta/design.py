"""Design matrices of the bivariate models: intercepts, index test, study covariate.

Every design has the same terms for both outcomes. With ``p`` terms the coefficient vector is
``(β_sens,1..p, β_fpr,1..p)``; term 1 is the intercept. For study ``i`` the design is the
``2 × 2p`` matrix ``[[z_i, 0], [0, z_i]]`` with ``z_i`` the study's term values.

- by test: intercept = reference test, one indicator per other test (R: ``~ outcome + outcome:test``);
- numeric covariate: intercept + the covariate centred at its mean (the slope is unchanged;
  centring keeps the intercept inside the data and the fit well conditioned);
- categorical covariate: intercept = reference level (first in file order), one indicator per
  other level.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from leptodx.errors import InputError
from leptodx.meta.studies import StudyTable

Array = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Design:
    """Design of a bivariate model."""

    matrix: Array
    """Shape ``(k, 2, 2p)``."""
    terms: tuple[str, ...]
    """Term names; ``terms[0]`` is the intercept."""
    reference: str | None = None
    """Reference test or level (categorical designs)."""
    numeric: bool = False
    centre: float | None = None
    """Mean of a numeric covariate (subtracted before fitting)."""

    @property
    def n_terms(self) -> int:
        return len(self.terms)

    def index(self, outcome: int, term: int) -> int:
        """Coefficient index of ``term`` for outcome 0 (logit sensitivity) or 1 (logit FPR)."""
        return outcome * self.n_terms + term


def _design(values: Array) -> Array:
    """``(k, p)`` term values → ``(k, 2, 2p)`` block design."""
    k, p = values.shape
    matrix = np.zeros((k, 2, 2 * p))
    matrix[:, 0, :p] = values
    matrix[:, 1, p:] = values
    return matrix


def intercepts(k: int) -> Design:
    """Mean logit sensitivity and mean logit FPR only."""
    return Design(_design(np.ones((k, 1))), ("intercept",))


def _indicators(labels: Sequence[str], reference: str) -> tuple[Array, tuple[str, ...]]:
    levels = [lv for lv in dict.fromkeys(labels) if lv != reference]
    values = np.ones((len(labels), 1 + len(levels)))
    for j, level in enumerate(levels, start=1):
        values[:, j] = [float(lab == level) for lab in labels]
    return values, ("intercept", *levels)


def by_test(table: StudyTable, reference: str | None = None) -> Design:
    """Indicators of the index test; reference = ``reference`` or the first test in the file."""
    tests = table.tests
    ref = tests[0] if reference is None else reference
    if ref not in tests:
        raise InputError(
            "--reference-test", ref, f"one of the tests in the file: {', '.join(tests)}"
        )
    values, terms = _indicators([s.test for s in table.studies], ref)
    return Design(_design(values), terms, reference=ref)


def covariate_values(table: StudyTable, name: str) -> tuple[list[str], bool]:
    """The covariate's text per study and whether every value is a finite number.

    Raises :class:`InputError` naming the first study with an empty value (studies are never
    dropped silently).
    """
    texts: list[str] = []
    for s in table.studies:
        text = s.covariates.get(name, "").strip()
        if not text:
            raise InputError(
                f"{s.label}, column {name}",
                text,
                "a value for every study (the meta-regression never drops a study silently)",
            )
        texts.append(text)
    numeric = True
    for text in texts:
        try:
            numeric = numeric and math.isfinite(float(text))
        except ValueError:
            numeric = False
    return texts, numeric


def by_covariate(table: StudyTable, name: str) -> Design:
    """Design for one study covariate (numeric: centred slope; otherwise: level indicators)."""
    texts, numeric = covariate_values(table, name)
    if numeric:
        x = np.array([float(t) for t in texts])
        centre = float(x.mean())
        values = np.column_stack([np.ones(len(x)), x - centre])
        return Design(_design(values), ("intercept", name), numeric=True, centre=centre)
    values, terms = _indicators(texts, texts[0])
    return Design(_design(values), terms, reference=texts[0])
