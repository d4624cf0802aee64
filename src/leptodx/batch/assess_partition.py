"""``batch assess`` on one partition: valid rows to the output table, the others to the errors.

Both engines take the same records. The columnar engine validates whole columns; every row it
refuses is then given to the contract (``parse_patient``) for its message, so an error reads
exactly as ``leptodx assess`` would print it. The per-record engine runs ``assess`` on each
record (:mod:`leptodx.batch.per_record`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from leptodx import __version__
from leptodx.batch.arrow import to_table
from leptodx.batch.cohort_input import cohort_columns
from leptodx.batch.inputs import (
    SLICE_ROWS,
    UNREADABLE,
    CohortPart,
    ErrorRow,
    LinesPart,
    Part,
    decode_line,
)
from leptodx.batch.per_record import assess_one
from leptodx.clinical.assess import CONTRACT_VERSION
from leptodx.clinical.columnar import assess_columns
from leptodx.clinical.csf import get_profile
from leptodx.cohort.mapping import CohortMapping
from leptodx.domain.columns import (
    MeasuredColumns,
    PatientColumns,
    measure_columns,
    out_of_range,
)
from leptodx.domain.patient import PatientInput, parse_patient, validate_patient
from leptodx.errors import InputError
from leptodx.reference.eano_esmo import RULESET_VERSION


class Engine(StrEnum):
    """How records are evaluated (the results are the same; a test proves it)."""

    COLUMNAR = "columnar"
    PER_RECORD = "per-record"


class EngineMismatch(AssertionError):
    """The columnar validation refused a record that the contract accepts (a LeptoDx bug)."""


@dataclass(frozen=True)
class AssessSettings:
    """What every partition of one job needs."""

    profile: str
    engine: Engine = Engine.COLUMNAR
    mapping: CohortMapping | None = None
    id_column: str | None = None


@dataclass(frozen=True)
class PartitionResult:
    """Output rows (Arrow), refused rows and how many rows the partition had; ``written``
    counts the rows a worker wrote to its own part file instead (``--parts``)."""

    table: pa.Table
    errors: list[ErrorRow]
    n_rows: int
    written: int | None = None

    @property
    def rows_out(self) -> int:
        return self.table.num_rows if self.written is None else self.written


def provenance(profile: str) -> dict[str, str]:
    """Constant columns naming what produced every row."""
    return {
        "profile": profile,
        "ruleset_version": RULESET_VERSION,
        "software_version": __version__,
        "contract_version": CONTRACT_VERSION,
    }


def _constant(value: str, n: int) -> pa.Array:
    return pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(n, dtype=np.int8)), pa.array([value], type=pa.string())
    )


def _framed(rows: NDArray[np.int64], ids: Any, body: pa.Table, profile: str) -> pa.Table:
    ids = ids if isinstance(ids, pa.Array) else pa.array(ids, pa.string())
    arrays = {"row": pa.array(rows, type=pa.int64()), "patient_id": ids}
    arrays |= {name: body.column(name).combine_chunks() for name in body.column_names}
    arrays |= {k: _constant(v, len(rows)) for k, v in provenance(profile).items()}
    return pa.table(arrays)


@functools.cache
def output_schema(profile: str) -> pa.Schema:
    """The schema of ``batch assess`` output (the columnar engine on no rows)."""
    empty = PatientColumns.from_patients([])
    body = to_table(assess_columns(empty, measure_columns(empty), profile=get_profile(profile)))
    return _framed(np.zeros(0, np.int64), [], body, profile).schema


def _message(record: Any) -> tuple[str, str]:
    try:
        parse_patient(record)
    except InputError as exc:
        return exc.field, str(exc)
    raise EngineMismatch(f"the contract accepts a record the columnar validation refused: {record}")


def _take(measured: MeasuredColumns, keep: NDArray[np.bool_]) -> MeasuredColumns:
    return MeasuredColumns(
        {k: v[keep] for k, v in measured.canonical.items()},
        {k: v[keep] for k, v in measured.typical.items()},
        {k: v[keep] for k, v in measured.likely_unit.items()},
        measured.invalid[keep],
    )


def _columnar(
    columns: PatientColumns,
    rows: NDArray[np.int64],
    record: Callable[[int], Any],
    refused: NDArray[np.bool_],
    settings: AssessSettings,
    errors: list[ErrorRow],
    ids: pa.Array | None = None,
) -> pa.Table:
    measured = measure_columns(columns)
    bad = refused | measured.invalid | out_of_range(columns)
    for j in np.flatnonzero(bad):
        errors.append((int(rows[j]), *_message(record(int(j)))))
    keep = ~bad
    valid = columns.take(keep)
    body = assess_columns(valid, _take(measured, keep), profile=get_profile(settings.profile))
    kept_ids = valid.patient_id if ids is None else ids.filter(pa.array(keep))
    return _framed(rows[keep], kept_ids, to_table(body), settings.profile)


def _per_record(
    records: Sequence[Any], rows: Sequence[int], settings: AssessSettings, errors: list[ErrorRow]
) -> pa.Table:
    out, kept, ids = [], [], []
    for row, record in zip(rows, records, strict=True):
        try:
            out.append(assess_one(record, profile=settings.profile))
        except InputError as exc:
            errors.append((row, exc.field, str(exc)))
            continue
        kept.append(row)
        ids.append(record.get("patient_id"))
    schema = output_schema(settings.profile)
    if not out:
        return schema.empty_table()
    body = pa.Table.from_pylist(out, schema=pa.schema([schema.field(name) for name in out[0]]))
    return _framed(np.array(kept, dtype=np.int64), ids, body, settings.profile).cast(schema)


def assess_lines(lines: list[bytes], first_row: int, settings: AssessSettings) -> PartitionResult:
    """Assess JSON Lines whose first line is row ``first_row`` of the input."""
    errors: list[ErrorRow] = []
    records = [
        (first_row + k, data)
        for k, line in enumerate(lines)
        if (data := decode_line(line, first_row + k, errors)) is not UNREADABLE
    ]
    if settings.engine is Engine.PER_RECORD:
        table = _per_record([d for _, d in records], [r for r, _ in records], settings, errors)
        return PartitionResult(table, errors, len(lines))
    patients: list[PatientInput] = []
    kept: list[tuple[int, Any]] = []
    for row, data in records:
        try:
            patients.append(validate_patient(data))
        except InputError as exc:
            errors.append((row, exc.field, str(exc)))
            continue
        kept.append((row, data))
    rows = np.array([r for r, _ in kept], dtype=np.int64)
    columns = PatientColumns.from_patients(patients)
    refused = np.zeros(len(columns), dtype=bool)
    table = _columnar(columns, rows, lambda j: kept[j][1], refused, settings, errors)
    return PartitionResult(table, errors, len(lines))


Emit = Callable[[pa.Table], None]
"""Takes each slice's output table as soon as it is made (instead of the partition's table)."""


def _cohort(part: CohortPart, settings: AssessSettings, emit: Emit | None) -> PartitionResult:
    assert settings.mapping is not None
    errors: list[ErrorRow] = []
    tables: list[pa.Table] = []
    keep = tables.append if emit is None else emit
    n_rows = 0
    for first_row, frame in part.slices(SLICE_ROWS):
        contract = cohort_columns(frame, settings.mapping, id_column=settings.id_column)
        rows = np.arange(first_row, first_row + len(frame), dtype=np.int64)
        if settings.engine is Engine.PER_RECORD:
            records = [contract.record(i) for i in range(len(frame))]
            keep(_per_record(records, rows.tolist(), settings, errors))
        else:
            keep(
                _columnar(
                    contract.columns,
                    rows,
                    contract.record,
                    contract.invalid,
                    settings,
                    errors,
                    contract.ids,
                )
            )
        n_rows += len(frame)
    table = pa.concat_tables(tables) if tables else output_schema(settings.profile).empty_table()
    return PartitionResult(table, errors, n_rows)


def assess_partition(
    part: Part, settings: AssessSettings, *, emit: Emit | None = None
) -> PartitionResult:
    """Assess one partition (runs on a worker: everything it needs is in its arguments).

    With ``emit``, a cohort partition's output goes to ``emit`` slice by slice and the result's
    table holds only what was not emitted (then nothing): the task never holds all its rows.
    """
    if isinstance(part, LinesPart):
        return assess_lines(part.lines(), part.first_row, settings)
    return _cohort(part, settings, emit)
