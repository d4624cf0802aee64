"""Whole batch jobs: plan the partitions, run them where asked, write the outputs atomically."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

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
from leptodx.batch.output import (
    PartWriter,
    batch_output,
    check_out,
    default_errors_path,
    parts_output,
)
from leptodx.batch.score_partition import (
    ScoreSettings,
    model_metadata,
    score_partition,
    score_schema,
)
from leptodx.batch.transport import Packed, unpack
from leptodx.clinical.csf import get_profile
from leptodx.cohort.mapping import CohortMapping, default_mapping, load_mapping
from leptodx.models.fitted import FittedModel
from leptodx.scale.runner import Runner

JSONL_PART_ROWS = 1 << 16
"""Lines per JSON Lines partition (each record is a Python object while it is read)."""
COHORT_PART_ROWS = 1 << 20
"""Rows per cohort partition (whole Parquet row groups; pyarrow writes 2²⁰ rows per group)."""
ID_COLUMN = "patient_id"
CONTRACT_FIELDS = frozenset(
    {"age_years", "sex", "primary_tumour", "known_cancer", "clinical_signs", "mri", "cytology"}
    | {"biopsy", "csf_protein", "csf_glucose", "serum_glucose", "csf_lactate", "csf_leukocytes"}
    | {"csf_albumin", "serum_albumin"}
)
"""Cohort fields that are fields of the assess input contract."""


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
class Plan:
    """How an input is read: partitions and, for a cohort file, mapping and id column."""

    parts: list[Part]
    mapping: CohortMapping | None = None
    id_column: str | None = None


def plan_input(
    path: Path,
    *,
    mapping: Path | None,
    id_column: str | None,
    partition_rows: int | None,
    fields: frozenset[str],
    required: tuple[str, ...],
    purpose: str,
) -> Plan:
    """Partitions of a JSON Lines or cohort file; for a cohort only the mapped ``fields``."""
    if input_kind(path) == "jsonl":
        return Plan(list(plan_lines(path, partition_rows or JSONL_PART_ROWS)))
    rows = partition_rows or COHORT_PART_ROWS
    frame = None
    if path.suffix.lower() == ".parquet":
        names = parquet_columns(path)
    else:
        from leptodx.cohort.io import read_table

        frame = read_table(path)
        names = [str(c) for c in frame.columns]
    full = (
        load_mapping(mapping)
        if mapping is not None
        else default_mapping(pd.DataFrame(columns=names))
    )
    spec = CohortMapping(fields={k: v for k, v in full.fields.items() if k in fields})
    ident = id_column if id_column is not None else (ID_COLUMN if ID_COLUMN in names else None)
    check_mapping(names, spec, ident, required=required, purpose=purpose)
    if frame is not None:
        return Plan(list(plan_frame(frame, rows)), spec, ident)
    needed = {ident} if ident else set()
    for f in spec.fields.values():
        needed |= {f.column} | ({f.unit_column} if f.unit_column else set())
    columns = tuple(n for n in names if n in needed)
    return Plan(list(plan_parquet(path, rows, columns, _text_columns(path, columns))), spec, ident)


def _text_columns(path: Path, columns: tuple[str, ...]) -> tuple[str, ...]:
    """Columns read as Arrow dictionaries (strings: codes instead of millions of objects)."""
    import pyarrow.parquet as pq

    schema = pq.ParquetFile(path).schema_arrow
    text = (pa.string(), pa.large_string())
    return tuple(c for c in columns if schema.field(c).type in text)


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
    in_parts: bool = False,
    advance: Callable[[], None] = lambda: None,
    on_plan: Callable[[int], None] = lambda n: None,
) -> BatchSummary:
    """``leptodx batch assess``: every row of ``path`` to ``out`` or to the error table."""
    check_out(out)
    get_profile(profile)  # an unknown profile is refused before any row is read
    plan = plan_input(
        path,
        mapping=mapping,
        id_column=id_column,
        partition_rows=partition_rows,
        fields=CONTRACT_FIELDS,
        required=("known_cancer",),
        purpose="assess",
    )
    settings = AssessSettings(profile, engine, plan.mapping, plan.id_column)
    metadata = {"kind": "batch assess", "input": path.name, **provenance(profile)}
    task = functools.partial(assess_partition, settings=settings)
    on_plan(len(plan.parts))
    schema = output_schema(profile)
    return _write(
        plan.parts, task, runner, out, errors, schema, metadata, advance, in_parts=in_parts
    )


def run_score(
    path: Path,
    *,
    model: FittedModel,
    out: Path,
    errors: Path | None,
    runner: Runner,
    engine: Engine = Engine.COLUMNAR,
    mapping: Path | None = None,
    id_column: str | None = None,
    partition_rows: int | None = None,
    in_parts: bool = False,
    advance: Callable[[], None] = lambda: None,
    on_plan: Callable[[int], None] = lambda n: None,
) -> BatchSummary:
    """``leptodx batch score``: the model's risk for every row of ``path``, or the reason not."""
    check_out(out)
    fields = tuple(dict.fromkeys(model.spec.fields))
    plan = plan_input(
        path,
        mapping=mapping,
        id_column=id_column,
        partition_rows=partition_rows,
        fields=frozenset(fields),
        required=fields,
        purpose=f"model {model.spec.name!r}",
    )
    settings = ScoreSettings(model, engine, plan.mapping, plan.id_column)
    metadata = {"input": path.name, **model_metadata(model)}
    task = functools.partial(score_partition, settings=settings)
    on_plan(len(plan.parts))
    schema = score_schema(model)
    return _write(
        plan.parts, task, runner, out, errors, schema, metadata, advance, in_parts=in_parts
    )


def _write(
    parts: list[Part],
    task: Callable[[Part], PartitionResult],
    runner: Runner,
    out: Path,
    errors: Path | None,
    schema: pa.Schema,
    metadata: dict[str, Any],
    advance: Callable[[], None],
    *,
    in_parts: bool,
) -> BatchSummary:
    errors = errors if errors is not None else default_errors_path(out)
    if in_parts:
        with parts_output(out, errors, schema, metadata) as (output, staging, full):
            for result in runner.map(PartWriter(task, str(staging), full), parts):
                output.write(result)
                advance()
    else:
        results = (
            map(unpack, runner.map(Packed(task), parts))
            if runner.remote
            else runner.map(task, parts)
        )
        with batch_output(out, errors, schema, metadata) as output:
            for result in results:
                output.write(result)
                del result  # the table is not kept while the next one arrives
                advance()
    assert output.rows_in == output.rows_out + output.rows_refused
    return BatchSummary(
        output.rows_in, output.rows_out, output.rows_refused, out, errors, runner.description
    )
