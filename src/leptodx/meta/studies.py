"""Study-level 2×2 tables of a diagnostic-accuracy review, checked once at entry.

Each study (one row of the review) gives the counts of true positives ``tp``, false positives
``fp``, false negatives ``fn`` and true negatives ``tn`` of an index test against the reference
standard, the index test's name and optional study-level covariates. Errors name the study, its
row and the column.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from numbers import Integral

import numpy as np
from numpy.typing import NDArray

from leptodx.errors import InputError

COUNT_COLUMNS = ("tp", "fp", "fn", "tn")
SINGLE_TEST = "index test"
"""Name of the index test when the review has no test column."""


def study_label(name: str, row: int | None) -> str:
    """``study 'Lin 2017' (row 3)`` as used in every error message."""
    return f"study {name!r}" + ("" if row is None else f" (row {row})")


@dataclass(frozen=True, slots=True)
class Study:
    """One row of the review: a 2×2 table of one index test in one study."""

    name: str
    tp: int
    fp: int
    fn: int
    tn: int
    test: str = SINGLE_TEST
    covariates: Mapping[str, str] = field(default_factory=dict)
    row: int | None = None
    """Spreadsheet row number in the input file (header = row 1), for messages."""

    def __post_init__(self) -> None:
        label = study_label(self.name, self.row)
        if not self.name.strip():
            raise InputError(f"study (row {self.row})", self.name, "a non-empty study name")
        for column in COUNT_COLUMNS:
            value = getattr(self, column)
            if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
                raise InputError(f"{label}, column {column}", value, "a whole number ≥ 0")
            object.__setattr__(self, column, int(value))  # numpy integers → int
        if self.n_diseased == 0:
            raise InputError(
                f"{label}, columns tp and fn",
                "0 and 0",
                "at least one patient with the target condition (tp + fn ≥ 1); a study without "
                "diseased patients has no sensitivity",
            )
        if self.n_non_diseased == 0:
            raise InputError(
                f"{label}, columns fp and tn",
                "0 and 0",
                "at least one patient without the target condition (fp + tn ≥ 1); a study "
                "without non-diseased patients has no specificity",
            )

    @property
    def n_diseased(self) -> int:
        return self.tp + self.fn

    @property
    def n_non_diseased(self) -> int:
        return self.fp + self.tn

    @property
    def n(self) -> int:
        return self.n_diseased + self.n_non_diseased

    @property
    def label(self) -> str:
        return study_label(self.name, self.row)


def parse_count(text: str, *, study: str, row: int | None, column: str) -> int:
    """A 2×2 cell from text: a whole number ≥ 0 (``12`` or ``12.0``), else :class:`InputError`."""
    where = f"{study_label(study, row)}, column {column}"
    value = text.strip()
    try:
        number = float(value)
    except ValueError:
        raise InputError(where, text, "a whole number ≥ 0 (a count of patients)") from None
    if not math.isfinite(number) or number != round(number):
        raise InputError(where, text, "a whole number ≥ 0 (a count of patients, not a rate)")
    if number < 0:
        raise InputError(where, text, "a whole number ≥ 0 (counts cannot be negative)")
    return int(number)


@dataclass(frozen=True, slots=True)
class StudyTable:
    """The studies of a review, in file order."""

    studies: tuple[Study, ...]
    synthetic: bool = False
    """True when the input labels itself synthetic (a ``synthetic`` column that is all true)."""
    source: str | None = None
    """File the studies were read from (for the report)."""

    def __post_init__(self) -> None:
        if not self.studies:
            raise InputError("STUDIES", "no data rows", "at least one study")
        seen: dict[tuple[str, str], Study] = {}
        for s in self.studies:
            earlier = seen.get((s.test, s.name))
            if earlier is not None:
                raise InputError(
                    f"{s.label}, column study",
                    s.name,
                    f"a distinct name per study and test; row {earlier.row} already has "
                    f"{s.name!r} for test {s.test!r}",
                )
            seen[(s.test, s.name)] = s

    @property
    def tests(self) -> tuple[str, ...]:
        """Index tests in order of first appearance."""
        return tuple(dict.fromkeys(s.test for s in self.studies))

    def for_test(self, test: str) -> StudyTable:
        """The studies of one index test."""
        return StudyTable(
            tuple(s for s in self.studies if s.test == test), self.synthetic, self.source
        )

    def counts(self) -> NDArray[np.float64]:
        """``(k, 4)`` array of tp, fp, fn, tn (float64)."""
        return np.array([[s.tp, s.fp, s.fn, s.tn] for s in self.studies], dtype=np.float64)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.studies)

    @property
    def covariate_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for s in self.studies for name in s.covariates))


class CorrectionControl(StrEnum):
    """Which studies receive the continuity correction (names as in mada::reitsma)."""

    ALL = "all"
    """Every cell of every study, when any cell of any study is 0 (mada's default)."""
    SINGLE = "single"
    """Every cell of the studies that have a zero cell."""
    NONE = "none"
    """No correction: a zero cell is an error for the logit-based models."""


@dataclass(frozen=True, slots=True)
class ContinuityCorrection:
    """Continuity correction added to the 2×2 cells before logits are taken.

    Default: 0.5 added to every cell of every study when any study has a zero cell, as
    ``mada::reitsma(correction = 0.5, correction.control = "all")``. The exact-binomial GLMM
    never uses it.
    """

    value: float = 0.5
    control: CorrectionControl = CorrectionControl.ALL

    def __post_init__(self) -> None:
        if not math.isfinite(self.value) or not 0.0 < self.value <= 1.0:
            raise InputError("--correction", self.value, "a number in (0, 1], usually 0.5")

    def apply(
        self, counts: NDArray[np.float64], names: Sequence[str] = ()
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Corrected ``(k, 4)`` counts and which studies were corrected.

        Raises :class:`InputError` naming the first zero cell when ``control`` is ``none``.
        """
        zero = (counts == 0).any(axis=1)
        if self.control is CorrectionControl.NONE:
            if zero.any():
                i = int(np.flatnonzero(zero)[0])
                column = COUNT_COLUMNS[int(np.flatnonzero(counts[i] == 0)[0])]
                who = f"study {names[i]!r}" if names else f"study {i + 1}"
                raise InputError(
                    f"{who}, column {column}",
                    0,
                    "a count ≥ 1 without continuity correction (the logit is infinite); use "
                    "--correction-control all or single, or --method glmm",
                )
            return counts, zero
        applied = (
            np.full(len(counts), bool(zero.any()))
            if self.control is CorrectionControl.ALL
            else zero
        )
        return counts + self.value * applied[:, None], applied

    def describe(self) -> str:
        if self.control is CorrectionControl.NONE:
            return "no continuity correction"
        scope = (
            "every cell of every study when any study has a zero cell"
            if self.control is CorrectionControl.ALL
            else "every cell of each study that has a zero cell"
        )
        return f"{self.value:g} added to {scope}"
