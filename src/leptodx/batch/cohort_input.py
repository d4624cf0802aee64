"""A mapped cohort partition as input-contract records and as columns (``batch assess``).

The column mapping (``--mapping``, as for ``develop`` and ``cohort check``) says where each field
is and in which unit. A row becomes the record ``leptodx assess`` would take: known cancer read as
the mapping reads 0/1 columns, categories recoded, numbers as numbers, each analyte as
``{"value": v, "unit": u}``. Contract fields a cohort file does not hold (symptoms, pre-analytics)
are absent. :func:`cohort_columns` builds the same thing as columns for the columnar engine; rows
whose values the contract would refuse are marked, and their message comes from the contract
itself (:meth:`CohortContract.record` → ``parse_patient``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from leptodx.cohort.fields import FIELDS, Kind
from leptodx.cohort.mapping import CohortMapping, FieldMapping
from leptodx.cohort.quality import binary_values, category_codes, recoded_categories
from leptodx.domain.columns import (
    NUMBERS,
    VOCABULARIES,
    Labelled,
    PatientColumns,
    max_text_length,
)
from leptodx.errors import InputError
from leptodx.reference.analytes import ANALYTE_TABLE

ANALYTE_COLUMNS = {a.column: a for a in ANALYTE_TABLE}
"""Cohort quantity fields (``csf_protein``) → analyte of the contract."""


def check_mapping(
    columns: list[str],
    mapping: CohortMapping,
    id_column: str | None,
    *,
    required: tuple[str, ...],
    purpose: str,
) -> None:
    """Refuse, before any row is read, a mapping the job cannot use (naming the field)."""
    shown = ", ".join(columns[:30])
    for name, spec in mapping.fields.items():
        if spec.column not in columns:
            raise InputError(
                f"fields.{name}.column", spec.column, f"a column of the file ({shown})"
            )
        if FIELDS[name].kind is Kind.QUANTITY and spec.unit is None and spec.unit_column is None:
            raise InputError(f"fields.{name}", spec.column, "a 'unit' or 'unit_column'")
        if spec.unit_column is not None and spec.unit_column not in columns:
            raise InputError(f"fields.{name}.unit_column", spec.unit_column, "a column of the file")
    for name in required:
        if name not in mapping.fields:
            raise InputError(f"fields.{name}", None, f"a mapped column: {purpose} needs it")
    if id_column is not None and id_column not in columns:
        raise InputError("--id", id_column, f"a column of the file ({shown})")


def _python(value: Any) -> Any:
    """A cell as a plain Python value (numpy scalars → int/float/bool/str)."""
    return value.item() if isinstance(value, np.generic) else value


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class CohortContract:
    """One partition: its records as columns, the rows refused so far, and each row's record."""

    frame: pd.DataFrame
    mapping: CohortMapping
    id_column: str | None
    columns: PatientColumns
    invalid: NDArray[np.bool_]
    ids: pa.Array

    @functools.cached_property
    def _cells(self) -> dict[str, tuple[list[Any], list[Any]]]:
        """Per mapped field: the raw cells and their reading (binary value or recoded text)."""
        out: dict[str, tuple[list[Any], list[Any]]] = {}
        for name, spec in self.mapping.fields.items():
            raw = self.frame[spec.column]
            if name == "known_cancer":
                read: list[Any] = binary_values(raw, spec).tolist()
            elif name in VOCABULARIES:
                read = recoded_categories(raw, spec).to_numpy(dtype=object, na_value=None).tolist()
            else:
                read = []
            out[name] = (raw.to_numpy(dtype=object).tolist(), read)
        return out

    def record(self, i: int) -> dict[str, Any]:
        """Row ``i`` as the input-contract record ``leptodx assess`` would be given."""
        out: dict[str, Any] = {}
        if self.id_column is not None:
            out["patient_id"] = self.ids[i].as_py()
        for name, (cells, read) in self._cells.items():
            raw = cells[i]
            if name in VOCABULARIES:
                if read[i] is not None:
                    out[name] = str(read[i])
            elif _missing(raw):
                continue
            elif name == "known_cancer":
                out[name] = bool(read[i] == 1.0) if read[i] in (0.0, 1.0) else _python(raw)
            elif name == "age_years":
                out[name] = _number(raw)
            elif name in ANALYTE_COLUMNS:
                analyte = ANALYTE_COLUMNS[name]
                units = self.columns.units[analyte.field]
                code = units.codes[i]
                unit = _python(units.labels[code]) if code >= 0 else None
                panel = out.setdefault(analyte.specimen, {})
                panel[analyte.name] = {"value": _number(raw), "unit": unit}
        return out


def _number(raw: Any) -> Any:
    """A numeric cell as a float, anything else as it came (the contract then refuses it)."""
    if isinstance(raw, int | float | np.integer | np.floating) and not isinstance(raw, bool):
        return float(raw)
    value = pd.to_numeric(pd.Series([raw], dtype=object), errors="coerce").iloc[0]
    return _python(raw) if _missing(value) else float(value)


def _numbers(raw: pd.Series) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return values, np.isnan(values) & raw.notna().to_numpy()


def _units(frame: pd.DataFrame, spec: FieldMapping) -> Labelled:
    n = len(frame)
    if spec.unit is not None:
        return Labelled(np.zeros(n, dtype=np.int32), (spec.unit,))
    assert spec.unit_column is not None
    column = frame[spec.unit_column]
    if isinstance(column.dtype, pd.CategoricalDtype):
        return Labelled(column.cat.codes.to_numpy(np.int32), tuple(column.cat.categories))
    return Labelled.of(column.to_numpy(dtype=object))


def patient_ids(frame: pd.DataFrame, id_column: str | None) -> pa.Array:
    """The id column as Arrow text (numbers written as text: 17 → "17"), nulls where missing."""
    if id_column is None:
        return pa.nulls(len(frame), pa.string())
    column = pa.Array.from_pandas(frame[id_column])
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    return column.cast(pa.string())


def cohort_columns(
    frame: pd.DataFrame, mapping: CohortMapping, *, id_column: str | None
) -> CohortContract:
    """The partition's records as columns; ``invalid`` marks type, vocabulary and number
    problems (units, plausibility and ranges are judged on the columns afterwards)."""
    n = len(frame)
    invalid = np.zeros(n, dtype=bool)
    ids = patient_ids(frame, id_column)
    lengths = pc.utf8_length(ids).to_numpy(zero_copy_only=False)
    invalid |= np.nan_to_num(lengths.astype(float)) > max_text_length("patient_id")
    codes = {name: np.full(n, -1, dtype=np.int8) for name in VOCABULARIES}
    numbers = {path: np.full(n, np.nan) for path in NUMBERS}
    values = {a.field: np.full(n, np.nan) for a in ANALYTE_TABLE}
    units = {a.field: Labelled(np.full(n, -1, dtype=np.int32), ()) for a in ANALYTE_TABLE}
    known = np.zeros(n, dtype=bool)
    for name, spec in mapping.fields.items():
        raw = frame[spec.column]
        if name == "known_cancer":
            binary = binary_values(raw, spec)
            invalid |= ~np.isin(binary, (0.0, 1.0))
            known = binary == 1.0
        elif name in VOCABULARIES:
            codes[name], unknown = category_codes(raw, spec, VOCABULARIES[name])
            invalid |= unknown
        elif name == "age_years":
            numbers[name], bad = _numbers(raw)
            invalid |= bad
        elif name in ANALYTE_COLUMNS:
            field = ANALYTE_COLUMNS[name].field
            values[field], bad = _numbers(raw)
            invalid |= bad
            units[field] = _units(frame, spec)
    no_ids = np.full(n, None, dtype=object)  # the ids travel as Arrow text (``ids``)
    columns = PatientColumns(no_ids, known, codes, numbers, values, units, np.zeros(n, np.int64))
    return CohortContract(frame, mapping, id_column, columns, invalid, ids)
