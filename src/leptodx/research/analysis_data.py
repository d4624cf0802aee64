"""Loading a cohort for an analysis: mapping, invalid rows (reported or dropped on request),
complete cases for the variables the analysis needs (or for the outcome only, when the analysis
imputes the rest)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from leptodx.cohort.io import is_synthetic, read_table
from leptodx.cohort.mapping import default_mapping, load_mapping
from leptodx.cohort.quality import MAX_LISTED_ROWS, map_cohort
from leptodx.errors import InputError
from leptodx.research.missing_data import MissingSummary, summarise_missing


@dataclass(frozen=True)
class AnalysisData:
    """Mapped cohort restricted to complete cases of the needed fields."""

    data: pd.DataFrame
    file: str
    synthetic: bool
    n_read: int
    n_dropped_invalid: int
    n_excluded_missing: int
    notes: tuple[str, ...]
    missing: MissingSummary | None = None
    """Missingness of the needed fields among the valid rows (complete-case analysis) or among
    the rows kept (``complete`` given)."""


def load_analysis_data(
    path: Path,
    *,
    needed: list[str],
    optional: tuple[str, ...] = (),
    passthrough: tuple[str, ...] = (),
    mapping: Path | None = None,
    drop_invalid: bool = False,
    complete: list[str] | None = None,
) -> AnalysisData:
    """Read ``path``, map it and keep complete cases of ``needed``.

    With ``complete`` given, only rows missing one of those fields are excluded and the other
    ``needed`` fields may be missing (NaN) in the rows kept — for analyses that impute them.

    ``optional`` fields present in the file are carried along (may be missing per row), and
    ``passthrough`` names raw columns of the file copied unchanged (e.g. a grouping column).

    Invalid rows (see :mod:`leptodx.cohort.quality`) stop the analysis with their row numbers
    unless ``drop_invalid`` is set; then they are dropped and counted in the report.
    """
    frame = read_table(path)
    synthetic = is_synthetic(frame)
    frame.attrs.clear()  # pandas deep-copies attrs into every column taken from the frame
    spec = load_mapping(mapping) if mapping is not None else default_mapping(frame)
    mapped = map_cohort(frame, spec)
    absent = [f for f in needed if f not in mapped.data.columns]
    if absent:
        raise InputError("FILE", str(path), f"columns for {absent} (or a --mapping naming them)")
    bad = mapped.invalid_rows
    notes: list[str] = []
    keep = np.ones(len(frame), dtype=bool)
    if bad.size:
        shown = ", ".join(str(r + 1) for r in bad[:MAX_LISTED_ROWS])
        if not drop_invalid:
            raise InputError(
                "FILE",
                str(path),
                f"valid rows; {bad.size} invalid rows ({shown}); see `leptodx cohort check`, fix "
                "the file or pass --drop-invalid",
            )
        keep[bad] = False
        notes.append(f"{bad.size} invalid rows dropped on request (--drop-invalid): {shown}")
    extra = [f for f in optional if f in mapped.data.columns and f not in needed]
    if keep.all():
        same = list(mapped.data.columns) == needed + extra
        data = mapped.data if same else mapped.data[needed + extra]
    else:
        data = mapped.data.loc[keep, needed + extra]
    for column in passthrough:
        if column not in data.columns:
            if column not in frame.columns:
                raise InputError(column, column, "a LeptoDx field or a column of the file")
            data[column] = frame.loc[keep, column].to_numpy()
    required = needed if complete is None else complete
    kept = data[required].notna().all(axis=1).to_numpy()
    missing = summarise_missing(data if complete is None else data.loc[kept], needed)
    n_missing = int((~kept).sum())
    if n_missing and complete is None:
        notes.append(f"{n_missing} rows excluded for missing values in {needed} (complete cases)")
    elif n_missing:
        notes.append(f"{n_missing} rows excluded for a missing value in {required} (not imputed)")
    return AnalysisData(
        data=data if kept.all() and keep.all() else data.loc[kept].reset_index(drop=True),
        file=str(path),
        synthetic=synthetic,
        n_read=len(frame),
        n_dropped_invalid=int(bad.size) if drop_invalid else 0,
        n_excluded_missing=n_missing,
        notes=tuple(notes),
        missing=missing,
    )


def load_with_every_field(
    path: Path, *, outcome: str, mapping: Path | None = None, drop_invalid: bool = False
) -> AnalysisData:
    """Rows with the outcome and every LeptoDx field the file maps (scores, comparisons)."""
    from leptodx.cohort.fields import FIELDS

    return load_analysis_data(
        path,
        needed=[outcome],
        optional=tuple(f for f in FIELDS if f != outcome),
        mapping=mapping,
        drop_invalid=drop_invalid,
    )
