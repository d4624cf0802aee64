"""The two outputs of a batch job, written atomically: a Parquet table and an error table.

Both go to temporary files next to their targets and are moved into place only when the whole job
has succeeded, so a failed or cancelled job leaves neither a partial file nor a changed old one.
The table is one file written by the client in row order, or (``--parts``) a directory of one
file per partition written by the workers themselves, with no serial step.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from leptodx.batch.assess_partition import PartitionResult
from leptodx.batch.inputs import Part
from leptodx.batch.transport import task_name
from leptodx.cohort.io import METADATA_KEY, atomic_path
from leptodx.errors import InputError

ERROR_COLUMNS = ("row", "field", "message")


def default_errors_path(out: Path) -> Path:
    """``results.parquet`` → ``results.errors.csv`` beside it."""
    return out.with_name(f"{out.stem}.errors.csv")


def check_out(out: Path) -> None:
    """The output must be a Parquet file name."""
    if out.suffix.lower() != ".parquet":
        raise InputError("--out", str(out), "a file name ending in .parquet")


@dataclass
class BatchOutput:
    """Appends partitions in order and counts what went where."""

    writer: pq.ParquetWriter | None
    errors: Any
    rows_in: int = 0
    rows_out: int = 0
    rows_refused: int = 0

    def write(self, result: PartitionResult) -> None:
        if result.table.num_rows and self.writer is not None:
            self.writer.write_table(result.table)
        for row in sorted(result.errors):
            self.errors.writerow(row)
        self.rows_in += result.n_rows
        self.rows_out += result.rows_out
        self.rows_refused += len(result.errors)


@contextlib.contextmanager
def batch_output(
    out: Path, errors: Path, schema: pa.Schema, metadata: dict[str, Any]
) -> Iterator[BatchOutput]:
    """Write ``out`` and ``errors``; both appear only if the block finishes without error."""
    schema = with_provenance(schema, metadata)
    with atomic_path(errors) as errors_tmp, atomic_path(out) as out_tmp:
        writer = pq.ParquetWriter(out_tmp, schema, write_statistics=plain_columns(schema))
        try:
            with _error_table(errors_tmp) as table:
                yield BatchOutput(writer, table)
        finally:
            writer.close()


def with_provenance(schema: pa.Schema, metadata: dict[str, Any]) -> pa.Schema:
    return schema.with_metadata({METADATA_KEY: json.dumps(metadata).encode()})


def plain_columns(schema: pa.Schema) -> list[str]:
    """Columns worth statistics: numbers and flags help readers skip row groups; the coded text
    columns' statistics cost half the writing time and help nobody."""
    return [f.name for f in schema if not pa.types.is_dictionary(f.type)]


@contextlib.contextmanager
def _error_table(path: Path) -> Iterator[Any]:
    with path.open("w", newline="", encoding="utf-8") as handle:
        table = csv.writer(handle)
        table.writerow(ERROR_COLUMNS)
        yield table


@dataclass(frozen=True)
class PartWriter:
    """Runs a partition task on a worker and writes its rows to ``directory`` itself."""

    task: Callable[[Part], PartitionResult]
    directory: str
    schema: pa.Schema

    @property
    def __name__(self) -> str:
        """The task's name, which Dask shows on the dashboard and in task keys."""
        return task_name(self.task)

    def __call__(self, part: Part) -> PartitionResult:
        result = self.task(part)
        target = Path(self.directory) / f"part-{part.first_row:012d}.parquet"
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
        table = result.table.cast(self.schema)
        pq.write_table(table, tmp, write_statistics=plain_columns(self.schema))
        os.replace(tmp, target)  # a retried task replaces the part of a lost worker
        return PartitionResult(table.slice(0, 0), result.errors, result.n_rows, table.num_rows)


@contextlib.contextmanager
def parts_output(
    out: Path, errors: Path, schema: pa.Schema, metadata: dict[str, Any]
) -> Iterator[tuple[BatchOutput, Path, pa.Schema]]:
    """A directory ``out`` of part files the workers write; it and ``errors`` appear only if the
    block finishes without error (a previous ``out`` is replaced only then)."""
    schema = with_provenance(schema, metadata)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        with atomic_path(errors) as errors_tmp, _error_table(errors_tmp) as table:
            yield BatchOutput(None, table), staging, schema
            for stray in staging.glob(".*"):  # a lost worker's unfinished part
                stray.unlink()
            pq.write_metadata(schema, staging / "_common_metadata")
            _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, out: Path) -> None:
    """Move ``staging`` onto ``out``; an old ``out`` (file or directory) is removed after."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex}")
        os.replace(out, old)
    os.replace(staging, out)
    if old is not None:
        shutil.rmtree(old) if old.is_dir() else old.unlink()
