"""The input contract as columns: many validated records at once (the columnar engine's input).

:class:`PatientColumns` holds what :class:`~leptodx.domain.patient.PatientInput` holds, one array
per field. :func:`measure_columns` converts, rounds and checks the analytes with the functions the
per-record path uses (:mod:`leptodx.domain.units`, :mod:`leptodx.domain.plausibility`) applied to
whole columns, and :func:`contract_ranges` reads the numeric ranges from the contract's field
table itself (:mod:`leptodx.domain.contract`), so no bound is written twice.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from leptodx.domain.contract import specs
from leptodx.domain.patient import PRIMARY_TUMOURS, CsfPanel, PatientInput, Sex
from leptodx.domain.plausibility import judge_column
from leptodx.domain.units import accepted_units, normalise_unit
from leptodx.errors import InputError
from leptodx.reference.analytes import ANALYTE_TABLE
from leptodx.reference.eano_esmo import Biopsy, ClinicalSigns, Cytology, Mri

Codes = NDArray[np.int8]
Floats = NDArray[np.float64]
Flags = NDArray[np.bool_]
Texts = NDArray[np.object_]

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "sex": tuple(s.value for s in Sex),
    "primary_tumour": PRIMARY_TUMOURS,
    "clinical_signs": tuple(c.value for c in ClinicalSigns),
    "mri": tuple(m.value for m in Mri),
    "cytology": tuple(c.value for c in Cytology),
    "biopsy": tuple(b.value for b in Biopsy),
}
"""Coded fields of the contract and their codes; a column holds the index, -1 = not recorded."""

NUMBERS: tuple[str, ...] = (
    "age_years",
    "csf.volume_ml",
    "csf.processing_delay_min",
    "csf.lp_number",
    "csf.days_since_brain_surgery",
)
"""Unitless numbers of the contract, by path; a column holds NaN where not recorded."""


@dataclass(frozen=True)
class Range:
    """A numeric field's constraints as the contract declares them."""

    ge: float = -math.inf
    le: float = math.inf
    integer: bool = False


def _constraints(model: type[Any], name: str) -> Range:
    spec = dict(specs(model))[name]
    ge = -math.inf if spec.ge is None else float(spec.ge)
    le = math.inf if spec.le is None else float(spec.le)
    return Range(ge, le, spec.kind == "integer")


def contract_ranges() -> dict[str, Range]:
    """Ranges of :data:`NUMBERS` read from the contract's field table (one declaration of each
    bound)."""
    return {
        path: _constraints(CsfPanel, path.split(".")[1])
        if path.startswith("csf.")
        else _constraints(PatientInput, path)
        for path in NUMBERS
    }


def max_text_length(name: str) -> int:
    """The contract's maximum length of a text field (e.g. ``patient_id``)."""
    limit = dict(specs(PatientInput))[name].max_length
    assert limit is not None, name
    return limit


@dataclass(frozen=True)
class Labelled:
    """A text column as codes into its distinct values (-1: absent), as Arrow dictionaries are."""

    codes: NDArray[np.int32]
    labels: tuple[Any, ...]

    @classmethod
    def of(cls, values: NDArray[np.object_]) -> Labelled:
        """Factorise an object column (None and NaN → -1)."""
        codes, uniques = pd.factorize(values)
        return cls(codes.astype(np.int32), tuple(uniques))

    def take(self, rows: NDArray[np.bool_] | NDArray[np.int64]) -> Labelled:
        return Labelled(self.codes[rows], self.labels)


@dataclass(frozen=True)
class PatientColumns:
    """Records of the input contract as columns (types and vocabularies already valid).

    ``values`` and ``units`` hold each analyte as entered (field ``csf.protein`` …; NaN and code
    -1 where absent); ``n_symptoms`` is the length of the ``symptoms`` list.
    """

    patient_id: Texts
    known_cancer: Flags
    codes: Mapping[str, Codes]
    numbers: Mapping[str, Floats]
    values: Mapping[str, Floats]
    units: Mapping[str, Labelled]
    n_symptoms: NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.known_cancer.size)

    def take(self, rows: NDArray[np.bool_] | NDArray[np.int64]) -> PatientColumns:
        """The records selected by a mask or by indices."""
        return PatientColumns(
            self.patient_id[rows],
            self.known_cancer[rows],
            {k: v[rows] for k, v in self.codes.items()},
            {k: v[rows] for k, v in self.numbers.items()},
            {k: v[rows] for k, v in self.values.items()},
            {k: v.take(rows) for k, v in self.units.items()},
            self.n_symptoms[rows],
        )

    @classmethod
    def from_patients(cls, patients: Sequence[PatientInput]) -> PatientColumns:
        """Columns of validated records (``validate_patient``), in order."""
        n = len(patients)
        index = {name: {c: i for i, c in enumerate(v)} for name, v in VOCABULARIES.items()}
        codes = {name: np.full(n, -1, dtype=np.int8) for name in VOCABULARIES}
        numbers = {path: np.full(n, np.nan) for path in NUMBERS}
        values = {a.field: np.full(n, np.nan) for a in ANALYTE_TABLE}
        units = {a.field: np.full(n, None, dtype=object) for a in ANALYTE_TABLE}
        known = np.zeros(n, dtype=bool)
        ids = np.full(n, None, dtype=object)
        symptoms = np.zeros(n, dtype=np.int64)
        for i, p in enumerate(patients):
            ids[i] = p.patient_id
            known[i] = p.known_cancer
            symptoms[i] = len(p.symptoms)
            for name, lookup in index.items():
                code = getattr(p, name)
                if code is not None:
                    codes[name][i] = lookup[str(code)]
            if p.age_years is not None:
                numbers["age_years"][i] = p.age_years
            for panel in (p.csf, p.serum):
                if panel is None:
                    continue
                specimen = "csf" if panel is p.csf else "serum"
                for key, _ in specs(type(panel)):
                    entry = getattr(panel, key)
                    if entry is None:
                        continue
                    path = f"{specimen}.{key}"
                    if path in values:
                        values[path][i], units[path][i] = entry.value, entry.unit
                    else:
                        numbers[path][i] = entry
        labelled = {k: Labelled.of(v) for k, v in units.items()}
        return cls(ids, known, codes, numbers, values, labelled, symptoms)


@dataclass(frozen=True)
class MeasuredColumns:
    """Analytes in canonical units with their plausibility, per field (``csf.protein`` …).

    ``canonical`` is NaN where the analyte is absent; ``likely_unit`` indexes
    ``accepted_units(dimension)`` (-1: typical or no likely unit); ``invalid`` marks records that
    ``parse_patient`` refuses (an unknown unit or an impossible value).
    """

    canonical: dict[str, Floats]
    typical: dict[str, Flags]
    likely_unit: dict[str, Codes]
    invalid: Flags


def measure_columns(columns: PatientColumns) -> MeasuredColumns:
    """Convert, round and judge every analyte column as ``measured_quantities`` and
    ``implausible_values`` do for one record."""
    n = len(columns)
    invalid = np.zeros(n, dtype=bool)
    canonical, typical, likely = {}, {}, {}
    for analyte in ANALYTE_TABLE:
        values = columns.values[analyte.field]
        units = columns.units[analyte.field]
        present = ~np.isnan(values)
        out = np.full(n, np.nan)
        is_typical = ~present
        unit_index = np.full(n, -1, dtype=np.int8)
        invalid |= present & (units.codes < 0)
        for g, label in enumerate(units.labels):
            rows = np.flatnonzero(present & (units.codes == g))
            if not rows.size:
                continue
            try:
                if not isinstance(label, str):
                    raise InputError(analyte.field, label, "a unit")
                code = normalise_unit(label, analyte.dimension, field=analyte.field)
            except InputError:
                invalid[rows] = True
                continue
            judged = judge_column(analyte, values[rows], code)
            out[rows] = judged.canonical
            is_typical[rows] = judged.typical
            unit_index[rows] = judged.likely_unit
            invalid[rows[~judged.possible]] = True
        canonical[analyte.field] = out
        typical[analyte.field] = is_typical
        likely[analyte.field] = unit_index
    return MeasuredColumns(canonical, typical, likely, invalid)


def likely_unit_labels(field: str) -> tuple[str, ...]:
    """The units ``MeasuredColumns.likely_unit`` indexes for ``field``."""
    analyte = next(a for a in ANALYTE_TABLE if a.field == field)
    return accepted_units(analyte.dimension)


def out_of_range(columns: PatientColumns) -> Flags:
    """Records whose unitless numbers break the contract's ranges (NaN = not recorded is fine)."""
    bad = np.zeros(len(columns), dtype=bool)
    for path, limits in contract_ranges().items():
        v = columns.numbers[path]
        with np.errstate(invalid="ignore"):
            wrong = (v < limits.ge) | (v > limits.le) | np.isinf(v)
            if limits.integer:
                wrong |= ~np.isnan(v) & (v != np.round(v))
        bad |= wrong
    return bad
