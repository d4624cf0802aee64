"""Whole batch jobs: plan the partitions, run them where asked, write the outputs atomically."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leptodx.batch.assess_partition import (
    AssessSettings,
    Engine,
    PartitionResult,
    assess_partition,
    output_schema,
    provenance,
)
from leptodx.batch.cohort_input import check_mapping
from leptodx.batch.inputs import (
    Part,
    input_kind,
    parquet_columns,
    plan_frame,
    plan_lines,
    plan_parquet,
)
from leptodx.batch.output import batch_output, check_out, default_errors_path
from leptodx.clinical.csf import get_profile
from leptodx.cohort.mapping import CohortMapping, default_mapping, load_mapping
from leptodx.scale.runner import Runner

JSONL_PART_ROWS = 1 << 16
"""Lines per JSON Lines partition (each record is a Python object while it is read)."""
COHORT_PART_ROWS = 1 << 20
"""Rows per cohort partition (whole Parquet row groups; pyarrow writes 2²⁰ rows per group)."""
ID_COLUMN = "patient_id"


@dataclass(frozen=True)
class BatchSummary:
    """Where every input row went: rows in = rows out + rows refused."""

    rows_in: int
    rows_out: int
    rows_refused: int
    out: Path
    errors: Path
    where: str


@dataclass(frozen=True)
class CohortPlan:
    """How a cohort file is read: mapping, id column and partitions."""

    mapping: CohortMapping
    id_column: str | None
    parts: list[Part]


def plan_cohort(
    path: Path, *, mapping: Path | None, id_column: str | None, rows: int, fields: set[str] | None
) -> CohortPlan:
    """Mapping, id column and partitions of a cohort file (only ``fields`` when given)."""
    from leptodx.cohort.io import read_table

    frame = None
    if path.suffix.lower() == ".parquet":
        names = parquet_columns(path)
    else:
        frame = read_table(path)
        names = [str(c) for c in frame.columns]
    import pandas as pd

    spec = (
        load_mapping(mapping)
        if mapping is not None
        else default_mapping(pd.DataFrame(columns=names))
    )
    if fields is not None:
        spec = CohortMapping(fields={k: v for k, v in spec.fields.items() if k in fields})
    ident = id_column if id_column is not None else (ID_COLUMN if ID_COLUMN in names else None)
    check_mapping(names, spec, ident)
    if frame is not None:
        return CohortPlan(spec, ident, list(plan_frame(frame, rows)))
    needed = {ident} if ident else set()
    for f in spec.fields.values():
        needed |= {f.column} | ({f.unit_column} if f.unit_column else set())
    columns = tuple(n for n in names if n in needed)
    text = _text_columns(path, columns)
    return CohortPlan(spec, ident, list(plan_parquet(path, rows, columns, text)))


def _text_columns(path: Path, columns: tuple[str, ...]) -> tuple[str, ...]:
    """Columns read as Arrow dictionaries (strings: codes instead of millions of objects)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.ParquetFile(path).schema_arrow
    return tuple(
        c
        for c in columns
        if pa.types.is_string(schema.field(c).type)
        or pa.types.is_large_string(schema.field(c).type)
    )


def run_assess(
    path: Path,
    *,
    out: Path,
    errors: Path | None,
    runner: Runner,
    profile: str,
    engine: Engine = Engine.COLUMNAR,
    mapping: Path | None = None,
    id_column: str | None = None,
    partition_rows: int | None = None,
    advance: Callable[[], None] = lambda: None,
    on_plan: Callable[[int], None] = lambda n: None,
) -> BatchSummary:
    """``leptodx batch assess``: every row of ``path`` to ``out`` or to the error table."""
    check_out(out)
    get_profile(profile)  # an unknown profile is refused before any row is read
    errors = errors if errors is not None else default_errors_path(out)
    if input_kind(path) == "jsonl":
        parts: list[Part] = list(plan_lines(path, partition_rows or JSONL_PART_ROWS))
        settings = AssessSettings(profile, engine)
    else:
        plan = plan_cohort(
            path,
            mapping=mapping,
            id_column=id_column,
            rows=partition_rows or COHORT_PART_ROWS,
            fields=None,
        )
        parts = plan.parts
        settings = AssessSettings(profile, engine, plan.mapping, plan.id_column)
    on_plan(len(parts))
    metadata = {"kind": "batch assess", "input": path.name, **provenance(profile)}
    task = functools.partial(assess_partition, settings=settings)
    return _write(parts, task, runner, out, errors, output_schema(profile), metadata, advance)


def _write(
    parts: list[Part],
    task: Callable[[Part], PartitionResult],
    runner: Runner,
    out: Path,
    errors: Path,
    schema: Any,
    metadata: dict[str, Any],
    advance: Callable[[], None],
) -> BatchSummary:
    with batch_output(out, errors, schema, metadata) as output:
        for result in runner.map(task, parts):
            output.write(result.table, result.errors, result.n_rows)
            advance()
    assert output.rows_in == output.rows_out + output.rows_refused
    return BatchSummary(
        output.rows_in, output.rows_out, output.rows_refused, out, errors, runner.description
    )
