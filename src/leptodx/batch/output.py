"""The two outputs of a batch job, written atomically: a Parquet table and an error table.

Both go to temporary files next to their targets and are moved into place only when the whole job
has succeeded, so a failed or cancelled job leaves neither a partial file nor a changed old one.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from leptodx.batch.assess_partition import ErrorRow
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

    writer: pq.ParquetWriter
    errors: Any
    rows_in: int = 0
    rows_out: int = 0
    rows_refused: int = 0

    def write(self, table: pa.Table, errors: list[ErrorRow], n_rows: int) -> None:
        if table.num_rows:
            self.writer.write_table(table)
        for row in sorted(errors):
            self.errors.writerow(row)
        self.rows_in += n_rows
        self.rows_out += table.num_rows
        self.rows_refused += len(errors)


@contextlib.contextmanager
def batch_output(
    out: Path, errors: Path, schema: pa.Schema, metadata: dict[str, Any]
) -> Iterator[BatchOutput]:
    """Write ``out`` and ``errors``; both appear only if the block finishes without error."""
    schema = schema.with_metadata({METADATA_KEY: json.dumps(metadata).encode()})
    with atomic_path(errors) as errors_tmp, atomic_path(out) as out_tmp:
        # statistics of numbers and flags help readers skip row groups; those of the coded
        # text columns cost half the writing time and help nobody
        plain = [f.name for f in schema if not pa.types.is_dictionary(f.type)]
        writer = pq.ParquetWriter(out_tmp, schema, write_statistics=plain)
        try:
            with errors_tmp.open("w", newline="", encoding="utf-8") as handle:
                table = csv.writer(handle)
                table.writerow(ERROR_COLUMNS)
                yield BatchOutput(writer, table)
        finally:
            writer.close()
