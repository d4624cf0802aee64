"""``batch score`` on one partition: a fitted model's risk and contributions for every row.

The record of a row is what ``leptodx assess --model M --predictors FILE`` reads from FILE: cohort
field names with a number in the canonical unit or ``{"value": v, "unit": u}``. JSON Lines give
it directly; a cohort file is read through the column mapping first (as ``develop`` and
``validate`` read it), its unreadable cells refused with the mapping's reason. The columnar path
(:meth:`FittedModel.predict_columns`) and the per-record path (:meth:`FittedModel.predict`)
give identical values; a refused row carries ``predict``'s own message.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from numpy.typing import NDArray

from leptodx import __version__
from leptodx.batch.assess_partition import Emit, Engine, PartitionResult
from leptodx.batch.cohort_input import patient_ids
from leptodx.batch.inputs import (
    SLICE_ROWS,
    UNREADABLE,
    CohortPart,
    ErrorRow,
    LinesPart,
    Part,
    decode_line,
)
from leptodx.cohort.mapping import CohortMapping
from leptodx.cohort.quality import map_cohort
from leptodx.errors import InputError
from leptodx.models.fitted import FittedModel, canonical_value


@dataclass(frozen=True)
class ScoreSettings:
    """What every partition of one scoring job needs."""

    model: FittedModel
    engine: Engine = Engine.COLUMNAR
    mapping: CohortMapping | None = None
    id_column: str | None = None


def score_schema(model: FittedModel) -> pa.Schema:
    """Output columns: row, id, risk, linear predictor, per predictor value, contribution and
    outside-training flag, then the model's name and hash and the software version."""
    fields = [
        pa.field("row", pa.int64()),
        pa.field("patient_id", pa.string()),
        pa.field("probability", pa.float64()),
        pa.field("linear_predictor", pa.float64()),
    ]
    for p in model.spec.predictors:
        fields += [
            pa.field(f"value_{p.name}", pa.float64()),
            pa.field(f"contribution_{p.name}", pa.float64()),
            pa.field(f"outside_training_{p.name}", pa.bool_()),
        ]
    text = pa.dictionary(pa.int8(), pa.string())
    fields += [pa.field(k, text) for k in ("model", "model_hash", "software_version")]
    return pa.schema(fields)


def _table(
    model: FittedModel, rows: Sequence[int], ids: Sequence[Any], columns: dict[str, Any]
) -> pa.Table:
    n = len(rows)
    arrays: dict[str, Any] = {"row": rows, "patient_id": ids, **columns}
    for key, value in (
        ("model", model.spec.name),
        ("model_hash", model.content_hash),
        ("software_version", __version__),
    ):
        arrays[key] = pa.DictionaryArray.from_arrays(
            pa.array(np.zeros(n, np.int8)), pa.array([value], pa.string())
        )
    schema = score_schema(model)
    return pa.table({f.name: pa.array(arrays[f.name], f.type) for f in schema}, schema=schema)


def _message(model: FittedModel, record: Any) -> tuple[str, str]:
    try:
        model.predict(record)
    except InputError as exc:
        return exc.field, str(exc)
    raise AssertionError(f"predict accepts a record the columnar path refused: {record}")


def _columnar(
    model: FittedModel,
    canonical: dict[str, NDArray[np.float64]],
    rows: NDArray[np.int64],
    ids: NDArray[np.object_],
    record: Any,
    errors: list[ErrorRow],
) -> pa.Table:
    scored = model.predict_columns(canonical)
    for j in np.flatnonzero(~scored.valid):
        errors.append((int(rows[j]), *_message(model, record(int(j)))))
    keep = scored.valid
    columns: dict[str, Any] = {
        "probability": scored.probability[keep],
        "linear_predictor": scored.linear_predictor[keep],
    }
    for p in model.spec.predictors:
        columns[f"value_{p.name}"] = scored.values[p.name][keep]
        columns[f"contribution_{p.name}"] = scored.contributions[p.name][keep]
        columns[f"outside_training_{p.name}"] = scored.outside_training[p.name][keep]
    return _table(model, rows[keep].tolist(), ids[keep].tolist(), columns)


def _per_record(
    model: FittedModel,
    records: Sequence[Any],
    rows: Sequence[int],
    ids: Sequence[Any],
    errors: list[ErrorRow],
) -> pa.Table:
    kept: list[int] = []
    kept_ids: list[Any] = []
    columns: dict[str, list[Any]] = {k: [] for k in score_schema(model).names[2:-3]}
    summaries = {s.name: s for s in model.training.predictors}
    for row, ident, record in zip(rows, ids, records, strict=True):
        try:
            prediction = model.predict(record)
        except InputError as exc:
            errors.append((row, exc.field, str(exc)))
            continue
        kept.append(row)
        kept_ids.append(ident)
        columns["probability"].append(prediction.probability)
        columns["linear_predictor"].append(prediction.linear_predictor)
        for c in prediction.contributions:
            s = summaries.get(c.predictor)
            columns[f"value_{c.predictor}"].append(c.value)
            columns[f"contribution_{c.predictor}"].append(c.contribution)
            columns[f"outside_training_{c.predictor}"].append(
                s is not None and not s.min <= c.value <= s.max
            )
    return _table(model, kept, kept_ids, columns)


def _canonical_of_records(
    model: FittedModel, records: Sequence[Any]
) -> dict[str, NDArray[np.float64]]:
    """Each predictor field of each record in its canonical unit (NaN: missing or unusable)."""
    out = {}
    for field in dict.fromkeys(model.spec.fields):
        column = np.full(len(records), np.nan)
        for i, record in enumerate(records):
            value = record.get(field) if isinstance(record, dict) else None
            if value is None:
                continue
            try:
                column[i] = canonical_value(field, value)
            except InputError:
                continue
        out[field] = column
    return out


def score_lines(lines: list[bytes], first_row: int, settings: ScoreSettings) -> PartitionResult:
    """Score JSON Lines of predictor records whose first line is row ``first_row``."""
    errors: list[ErrorRow] = []
    decoded = [
        (first_row + k, data)
        for k, line in enumerate(lines)
        if (data := decode_line(line, first_row + k, errors)) is not UNREADABLE
    ]
    good = []
    for row, data in decoded:
        if isinstance(data, dict):
            good.append((row, data))
        else:
            error = InputError("(input)", type(data).__name__, "a JSON object of predictor values")
            errors.append((row, error.field, str(error)))
    rows = np.array([r for r, _ in good], dtype=np.int64)
    records = [d for _, d in good]
    ids = np.array([d.get("patient_id") for d in records] or [], dtype=object)
    ids = np.array([None if i is None else str(i) for i in ids], dtype=object)
    model = settings.model
    if settings.engine is Engine.PER_RECORD:
        table = _per_record(model, records, rows.tolist(), ids.tolist(), errors)
    else:
        canonical = _canonical_of_records(model, records)
        table = _columnar(model, canonical, rows, ids, lambda j: records[j], errors)
    return PartitionResult(table, errors, len(lines))


def _cohort(part: CohortPart, settings: ScoreSettings, emit: Emit | None) -> PartitionResult:
    errors: list[ErrorRow] = []
    tables: list[pa.Table] = []
    keep = tables.append if emit is None else emit
    n_rows = 0
    for first_row, frame in part.slices(SLICE_ROWS):
        keep(_cohort_slice(frame, first_row, settings, errors))
        n_rows += len(frame)
    table = pa.concat_tables(tables) if tables else score_schema(settings.model).empty_table()
    return PartitionResult(table, errors, n_rows)


def _cohort_slice(
    frame: pd.DataFrame, first_row: int, settings: ScoreSettings, errors: list[ErrorRow]
) -> pa.Table:
    assert settings.mapping is not None
    mapped = map_cohort(frame, settings.mapping, threads=1)  # partitions run in parallel
    rows = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    refused = np.zeros(len(frame), dtype=bool)
    for report in mapped.columns:
        for problem in report.problems:
            if not problem.invalidates:
                continue
            for r in problem.rows[~refused[problem.rows]]:
                raw = frame[report.column].iloc[int(r)]
                raw = raw.item() if isinstance(raw, np.generic) else raw
                error = InputError(report.field, raw, problem.detail)
                errors.append((int(rows[r]), error.field, str(error)))
            refused[problem.rows] = True
    ids = np.asarray(patient_ids(frame, settings.id_column).to_pylist(), dtype=object)
    keep = ~refused
    data = mapped.data.loc[keep].reset_index(drop=True)
    fields = list(dict.fromkeys(settings.model.spec.fields))
    canonical = {f: data[f].to_numpy(dtype=float) for f in fields}

    def record(j: int) -> dict[str, Any]:
        return {f: None if np.isnan(canonical[f][j]) else float(canonical[f][j]) for f in fields}

    model = settings.model
    if settings.engine is Engine.PER_RECORD:
        records = [record(j) for j in range(len(data))]
        return _per_record(model, records, rows[keep].tolist(), ids[keep].tolist(), errors)
    return _columnar(model, canonical, rows[keep], ids[keep], record, errors)


def score_partition(
    part: Part, settings: ScoreSettings, *, emit: Emit | None = None
) -> PartitionResult:
    """Score one partition (runs on a worker: everything it needs is in its arguments); ``emit``
    as for :func:`~leptodx.batch.assess_partition.assess_partition`."""
    if isinstance(part, LinesPart):
        return score_lines(part.lines(), part.first_row, settings)
    return _cohort(part, settings, emit)


def model_metadata(model: FittedModel) -> dict[str, Any]:
    """Provenance stored in the output file's schema."""
    return {
        "kind": "batch score",
        "model": model.spec.name,
        "model_hash": model.content_hash,
        "method": model.method,
        "software_version": __version__,
        "encoding_note": json.dumps(model.encoding_note),
    }
