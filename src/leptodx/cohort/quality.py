"""Map a user's table to LeptoDx fields and report data-quality problems per column.

Problems that make a row invalid (it is reported by row number, never silently dropped): values
that are not numbers, not 0/1, not whole counts, out of the plausible range, unknown categories and
unknown units. Suspected unit mix-ups (a value implausible in its stated unit but typical in another
unit of the same quantity) are warnings. Row numbers count data rows from 1 (header excluded).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from leptodx.cohort import units as cohort_units
from leptodx.cohort.codes import distinct_codes
from leptodx.cohort.fields import FIELDS, Kind
from leptodx.cohort.mapping import CohortMapping, FieldMapping
from leptodx.cores import threads_for
from leptodx.errors import InputError
from leptodx.reference.plausibility import PLAUSIBLE_RANGES

INVALIDATING = frozenset(
    {"not_numeric", "not_binary", "not_integer", "out_of_range", "unknown_category", "unknown_unit"}
)
MAX_LISTED_ROWS = 50
_TRUE = {"1", "1.0", "true", "yes", "y"}
_FALSE = {"0", "0.0", "false", "no", "n"}


@dataclass(frozen=True)
class Problem:
    """One kind of problem in one column."""

    kind: str
    rows: NDArray[np.int64]
    detail: str

    @property
    def invalidates(self) -> bool:
        return self.kind in INVALIDATING

    def to_dict(self) -> dict[str, Any]:
        listed = (self.rows[:MAX_LISTED_ROWS] + 1).tolist()
        return {
            "kind": self.kind,
            "count": int(self.rows.size),
            "rows": listed,
            "detail": self.detail,
            "invalidates_row": self.invalidates,
        }


@dataclass
class ColumnReport:
    """Data-quality summary of one LeptoDx field."""

    field: str
    column: str
    kind: str
    dtype: str
    unit: str | None
    n_missing: int
    problems: list[Problem] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "column": self.column,
            "kind": self.kind,
            "dtype": self.dtype,
            "canonical_unit": self.unit,
            "missing": self.n_missing,
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass
class MappedCohort:
    """Canonical columns (floats for numbers, strings for categories) plus the quality report."""

    data: pd.DataFrame
    columns: list[ColumnReport]
    n_rows: int

    @property
    def invalid_rows(self) -> NDArray[np.int64]:
        """0-based indices of rows with at least one invalidating problem."""
        parts = [p.rows for c in self.columns for p in c.problems if p.invalidates]
        return np.unique(np.concatenate(parts)) if parts else np.array([], dtype=np.int64)

    def report(self) -> dict[str, Any]:
        bad = self.invalid_rows
        return {
            "n_rows": self.n_rows,
            "n_invalid_rows": int(bad.size),
            "invalid_rows": (bad[:MAX_LISTED_ROWS] + 1).tolist(),
            "columns": [c.to_dict() for c in self.columns],
        }


def _rows(mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    return np.flatnonzero(mask).astype(np.int64)


def _numeric(raw: pd.Series, report: ColumnReport) -> NDArray[np.float64]:
    values: NDArray[np.float64] = pd.to_numeric(raw, errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    bad = np.isnan(values) & raw.notna().to_numpy()
    if bad.any():
        report.problems.append(Problem("not_numeric", _rows(bad), "expected a number"))
    return values


def _distinct(raw: pd.Series, read: Callable[[pd.Series], pd.Series]) -> tuple[Any, pd.Series]:
    """Row codes (-1: NA) and ``read`` applied to each distinct value once.

    Text operations on millions of cells cost one Python call per cell; a cohort column has a
    handful of distinct values, so each is read once (same results, row for row).
    """
    codes, uniques = distinct_codes(raw)
    return codes, read(pd.Series(uniques, dtype=object))


def _spread(codes: Any, labels: pd.Series, index: pd.Index) -> pd.Series:
    """Labels by row code (-1: NA); text as Arrow-backed strings (no Python object per cell)."""
    if isinstance(labels.dtype, pd.StringDtype):
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.array(labels.to_numpy(dtype=object, na_value=None), type=pa.string())
        column = pc.take(text, pa.array(codes, mask=codes < 0))  # -1: null
        return pd.Series(pd.arrays.ArrowStringArray(column), index=index)
    values = labels.to_numpy(dtype=object, na_value=None)
    taken = values[np.maximum(codes, 0)] if values.size else np.full(codes.size, None, object)
    taken[codes < 0] = None
    return pd.Series(pd.array(taken, dtype=labels.dtype), index=index)


def _per_distinct(raw: pd.Series, read: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``read`` applied to each distinct value once, spread back over the rows (NA stays NA)."""
    return _spread(*_distinct(raw, read), raw.index)


def binary_values(raw: pd.Series, spec: FieldMapping) -> NDArray[np.float64]:
    """A 0/1 column as the mapping reads it (categories, booleans, numbers, yes/no text); values
    that are neither 0 nor 1 are returned as they came (as numbers) or NaN."""
    if spec.categories:
        categories = {str(k): v for k, v in spec.categories.items()}
        raw = _per_distinct(
            raw,
            lambda u: u.astype("string").map(categories).fillna(u.astype("string")),
        )
    if raw.dtype == bool or pd.api.types.is_numeric_dtype(raw.dtype):
        numbers: NDArray[np.float64] = raw.to_numpy(dtype=np.float64, na_value=np.nan)
        return numbers
    text = _per_distinct(raw, lambda u: u.astype("string").str.strip().str.lower())
    values = np.where(text.isin(_TRUE), 1.0, np.where(text.isin(_FALSE), 0.0, np.nan))
    values[text.isna().to_numpy()] = np.nan
    return values


def _binary(raw: pd.Series, spec: FieldMapping, report: ColumnReport) -> NDArray[np.float64]:
    values = binary_values(raw, spec)
    bad = ~np.isin(values, (0.0, 1.0)) & raw.notna().to_numpy()
    if bad.any():
        report.problems.append(Problem("not_binary", _rows(bad), "expected 0/1 (or yes/no)"))
        values = np.where(bad, np.nan, values)
    out: NDArray[np.float64] = np.asarray(values, dtype=np.float64)
    return out


def _recode(spec: FieldMapping) -> Callable[[pd.Series], pd.Series]:
    replace = {str(k): str(v) for k, v in spec.categories.items()}

    def read(labels: pd.Series) -> pd.Series:
        text = labels.astype("string").str.strip()
        return text.replace(replace) if replace else text

    return read


def category_codes(
    raw: pd.Series, spec: FieldMapping, allowed: tuple[str, ...]
) -> tuple[NDArray[np.int8], NDArray[np.bool_]]:
    """Each row's index into ``allowed`` after recoding (-1: missing or unknown) and the mask of
    unknown values, reading each distinct value once."""
    codes, labels = _distinct(raw, _recode(spec))
    text = labels.to_numpy(dtype=object, na_value=None).tolist()
    position = np.array([allowed.index(t) if t in allowed else -1 for t in text] + [-1], np.int8)
    unknown = np.array([t is not None and t not in allowed for t in text] + [False])
    return position[codes], unknown[codes]


def recoded_categories(raw: pd.Series, spec: FieldMapping) -> pd.Series:
    """A category column as text, stripped and recoded by the mapping's ``categories``."""
    return _per_distinct(raw, _recode(spec))


def _category(
    raw: pd.Series, spec: FieldMapping, allowed: tuple[str, ...], report: ColumnReport
) -> pd.Series:
    codes, labels = _distinct(raw, _recode(spec))
    wrong = (~labels.isin(allowed) & labels.notna()).to_numpy()
    unknown = np.isin(codes, np.flatnonzero(wrong))
    if unknown.any():
        seen = sorted(set(labels[wrong].dropna().unique().tolist()))[:10]
        report.problems.append(
            Problem(
                "unknown_category",
                _rows(unknown),
                f"values {seen}; allowed {list(allowed)} (map them under 'categories')",
            )
        )
    return _spread(codes, labels.where(~wrong, None), raw.index)


def _check_range(name: str, values: NDArray[np.float64], report: ColumnReport) -> None:
    bounds = PLAUSIBLE_RANGES.get(name)
    if bounds is None:
        return
    with np.errstate(invalid="ignore"):
        bad = (values < bounds.low) | (values > bounds.high)
    if bad.any():
        report.problems.append(
            Problem(
                "out_of_range",
                _rows(bad),
                f"plausible {bounds.low:g}–{bounds.high:g} {bounds.unit} ({bounds.source.pack})",
            )
        )


def _check_unit_mixup(
    name: str, raw_values: NDArray[np.float64], stated: NDArray[np.float64], report: ColumnReport
) -> None:
    """Flag values atypical in their stated unit but typical when read in another unit."""
    bounds = PLAUSIBLE_RANGES[name]
    with np.errstate(invalid="ignore"):
        atypical = (stated < bounds.typical_low) | (stated > bounds.typical_high)
    if not atypical.any():
        return
    for unit in cohort_units.accepted_units(name):
        factor = cohort_units.factor_to_canonical(name, unit)
        assert factor is not None
        alt = raw_values * factor
        with np.errstate(invalid="ignore"):
            fits = atypical & (alt >= bounds.typical_low) & (alt <= bounds.typical_high)
        if fits.any():
            report.problems.append(
                Problem(
                    "suspected_unit_mixup",
                    _rows(fits),
                    f"values look like {unit} (typical {bounds.typical_low:g}–"
                    f"{bounds.typical_high:g} {bounds.unit} after conversion)",
                )
            )
            atypical &= ~fits


def _units(frame: pd.DataFrame, name: str, spec: FieldMapping) -> pd.Series | str:
    """The unit of a quantity field: one for the column or a column of the file."""
    if spec.unit_column is not None:
        if spec.unit_column not in frame.columns:
            raise InputError(f"fields.{name}.unit_column", spec.unit_column, "a column of the file")
        return frame[spec.unit_column]
    if spec.unit is not None:
        return spec.unit
    raise InputError(
        f"fields.{name}",
        spec.column,
        f"a 'unit' or 'unit_column' (units: {cohort_units.accepted_units(name)})",
    )


def _quantity(
    raw: pd.Series, units: pd.Series | str, name: str, report: ColumnReport
) -> NDArray[np.float64]:
    values = _numeric(raw, report)
    canonical, unknown = cohort_units.convert_column(name, values, units)
    if unknown.any():
        report.problems.append(
            Problem(
                "unknown_unit",
                _rows(unknown),
                f"accepted units {list(cohort_units.accepted_units(name))}",
            )
        )
    _check_unit_mixup(name, values, canonical, report)
    return canonical


@dataclass(frozen=True)
class _FieldInput:
    name: str
    spec: FieldMapping
    raw: pd.Series
    units: pd.Series | str | None


def _field_inputs(frame: pd.DataFrame, mapping: CohortMapping) -> list[_FieldInput]:
    """Each mapped field's column (and unit), checked in the mapping's order, so the first
    mistake in the mapping is the one reported."""
    inputs = []
    for name, spec in mapping.fields.items():
        if spec.column not in frame.columns:
            shown = ", ".join(map(str, frame.columns[:30]))
            raise InputError(
                f"fields.{name}.column", spec.column, f"a column of the file ({shown})"
            )
        quantity = FIELDS[name].kind is Kind.QUANTITY
        units = _units(frame, name, spec) if quantity else None
        inputs.append(_FieldInput(name, spec, frame[spec.column], units))
    return inputs


def _map_field(field: _FieldInput) -> tuple[ColumnReport, Any]:
    """One field's canonical column and its quality report."""
    name, spec, raw = field.name, field.spec, field.raw
    info = FIELDS[name]
    unit = cohort_units.canonical_unit(name) if info.kind is Kind.QUANTITY else None
    report = ColumnReport(
        name, spec.column, info.kind.value, str(raw.dtype), unit, int(raw.isna().sum())
    )
    if field.units is not None:
        values: Any = _quantity(raw, field.units, name, report)
    elif info.kind is Kind.BINARY:
        values = _binary(raw, spec, report)
    elif info.kind is Kind.CATEGORY:
        values = _category(raw, spec, info.categories, report)
    else:
        values = _numeric(raw, report)
        if info.kind is Kind.COUNT:
            with np.errstate(invalid="ignore"):
                frac = ~np.isnan(values) & (values != np.round(values))
            if frac.any():
                report.problems.append(Problem("not_integer", _rows(frac), "expected a count"))
    if info.kind is not Kind.CATEGORY:
        _check_range(name, values, report)
    return report, values


def map_cohort(
    frame: pd.DataFrame, mapping: CohortMapping, *, threads: int | None = None
) -> MappedCohort:
    """Apply ``mapping`` to ``frame``: canonical columns and a per-column quality report.

    Fields are independent, so a large cohort (:data:`leptodx.cores.PARALLEL_ROWS` rows or more)
    maps them on ``threads`` threads (default: the cores this process may use); the result is the same in
    any case, in the mapping's order. Callers already running in parallel pass ``threads=1``.
    """
    inputs = _field_inputs(frame, mapping)
    if threads is None:
        threads = threads_for(len(frame))
    threads = max(1, min(threads, len(inputs)))
    if threads == 1:
        mapped = [_map_field(field) for field in inputs]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(threads, thread_name_prefix="map-cohort") as pool:
            mapped = list(pool.map(_map_field, inputs))
    out = {field.name: values for field, (_, values) in zip(inputs, mapped, strict=True)}
    # columns kept as computed (copy=False: no 2-D block assembled from a million-row cohort)
    data = pd.DataFrame(out, index=pd.RangeIndex(len(frame)), copy=False)
    return MappedCohort(data=data, columns=[report for report, _ in mapped], n_rows=len(frame))
