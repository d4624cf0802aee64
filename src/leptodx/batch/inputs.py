"""Input files cut into partitions that a worker can load on its own.

JSON Lines are cut at line boundaries into byte ranges; a Parquet file into runs of whole row
groups (read only the columns the mapping names); CSV, TSV and Excel files are read once and cut
in memory. Every partition knows the 0-based number of its first row, so row numbers in the
output and the error table are those of the input file whichever worker read it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leptodx.errors import InputError
from leptodx.input_files import MAX_DEPTH, MAX_DOCUMENT_BYTES, within_depth

ErrorRow = tuple[int, str, str]
"""(0-based row, field, message)."""
UNREADABLE = object()
"""What :func:`decode_line` returns for a line that is not one JSON value."""

JSONL_SUFFIXES = (".jsonl", ".ndjson")
SLICE_ROWS = 1 << 16
"""Rows evaluated at once inside a cohort partition (bounds a task's working memory)."""
COHORT_SUFFIXES = (".parquet", ".csv", ".tsv", ".xlsx")
_BLOCK = 1 << 24


@dataclass(frozen=True)
class LinesPart:
    """Lines ``first_row …`` of a JSON Lines file: bytes ``start`` to ``stop``."""

    path: str
    start: int
    stop: int
    first_row: int

    def lines(self) -> list[bytes]:
        with open(self.path, "rb") as handle:
            handle.seek(self.start)
            data = handle.read(self.stop - self.start)
        lines = data.split(b"\n")
        if lines and lines[-1] == b"" and data.endswith(b"\n"):
            lines.pop()
        return [line.removesuffix(b"\r") for line in lines]


@dataclass(frozen=True)
class ParquetPart:
    """Whole row groups of a Parquet file, only the named columns."""

    path: str
    row_groups: tuple[int, ...]
    columns: tuple[str, ...]
    first_row: int
    dictionaries: tuple[str, ...] = ()

    def frame(self) -> pd.DataFrame:
        return self._table().to_pandas()

    def _table(self) -> Any:
        import pyarrow.parquet as pq

        with _parquet_errors(self.path):
            source = pq.ParquetFile(self.path, read_dictionary=list(self.dictionaries))
            return source.read_row_groups(list(self.row_groups), columns=list(self.columns))

    def slices(self, rows: int) -> Iterator[tuple[int, pd.DataFrame]]:
        """(first row, frame) of consecutive slices of at most ``rows`` rows, decoded as they
        are needed: a task holds one slice of the input, and the columnar engine's
        intermediates scale with the slice, not with the row groups."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        first = self.first_row
        with _parquet_errors(self.path):
            source = pq.ParquetFile(self.path, read_dictionary=list(self.dictionaries))
            batches = source.iter_batches(
                rows, row_groups=list(self.row_groups), columns=list(self.columns)
            )
            for batch in batches:
                frame = pa.Table.from_batches([batch]).to_pandas()
                del batch
                yield first, frame
                first += len(frame)


@dataclass(frozen=True)
class FramePart:
    """Rows of a table already in memory (CSV, TSV, Excel)."""

    data: pd.DataFrame
    first_row: int

    def frame(self) -> pd.DataFrame:
        return self.data

    def slices(self, rows: int) -> Iterator[tuple[int, pd.DataFrame]]:
        """(first row, frame) of consecutive slices of at most ``rows`` rows."""
        for start in range(0, len(self.data), rows):
            yield self.first_row + start, self.data.iloc[start : start + rows]


CohortPart = ParquetPart | FramePart
Part = LinesPart | CohortPart


def input_kind(path: Path) -> str:
    """``"jsonl"`` or ``"cohort"`` by the file's suffix (an unknown suffix is an input error)."""
    if not path.is_file():
        raise InputError("INPUT", str(path), "an existing JSON Lines or cohort file")
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in COHORT_SUFFIXES:
        return "cohort"
    allowed = ", ".join((*JSONL_SUFFIXES, *COHORT_SUFFIXES))
    raise InputError("INPUT", str(path), f"a file ending in one of {allowed}")


def decode_line(line: bytes, row: int, errors: list[ErrorRow]) -> Any:
    """The line's JSON value, or :data:`UNREADABLE` with the reason added to ``errors``.

    The limits of ``leptodx assess``'s reader (:mod:`leptodx.input_files`) apply to each line:
    UTF-8, at most ``MAX_DOCUMENT_BYTES`` and ``MAX_DEPTH`` levels of nesting.
    """
    shown = line[:60].decode("utf-8", "replace")
    if len(line) > MAX_DOCUMENT_BYTES:
        expected = f"a line of at most {MAX_DOCUMENT_BYTES:,} bytes (it has {len(line):,})"
    else:
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            expected = f"one JSON object per line, valid JSON (column {exc.colno}: {exc.msg})"
        except UnicodeDecodeError as exc:
            expected = f"UTF-8 text (byte {exc.start} is 0x{line[exc.start]:02x})"
        except RecursionError:
            expected = f"a JSON object nested at most {MAX_DEPTH} levels deep"
        except ValueError as exc:  # numbers beyond Python's limits
            expected = f"one JSON object per line, valid JSON ({str(exc)[:200]})"
        else:
            if within_depth(data):
                return data
            expected = f"a JSON object nested at most {MAX_DEPTH} levels deep"
    error = InputError("(input)", shown, expected)
    errors.append((row, error.field, str(error)))
    return UNREADABLE


@contextlib.contextmanager
def _parquet_errors(path: str | Path) -> Iterator[None]:
    """A file pyarrow cannot read as Parquet becomes an :class:`InputError` naming it."""
    import pyarrow as pa

    try:
        yield
    except (pa.ArrowException, OSError) as exc:
        reason = str(exc)[:300]
        raise InputError("INPUT", str(path), f"a readable Parquet file ({reason})") from None


def plan_lines(path: Path, rows_per_part: int) -> list[LinesPart]:
    """Byte ranges of ``rows_per_part`` lines each (the last line may lack its newline)."""
    parts: list[LinesPart] = []
    start, offset, row, lines_in_part = 0, 0, 0, 0
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == ord("\n")) + offset + 1
            while lines_in_part + ends.size >= rows_per_part:
                take = rows_per_part - lines_in_part
                stop = int(ends[take - 1])
                parts.append(LinesPart(str(path), start, stop, row))
                row += rows_per_part
                start, ends, lines_in_part = stop, ends[take:], 0
            lines_in_part += ends.size
            offset += len(block)
    if offset > start:
        parts.append(LinesPart(str(path), start, offset, row))
    return parts


def plan_parquet(
    path: Path, rows_per_part: int, columns: tuple[str, ...], dictionaries: tuple[str, ...]
) -> list[ParquetPart]:
    """Runs of consecutive row groups of about ``rows_per_part`` rows (at least one group)."""
    import pyarrow.parquet as pq

    with _parquet_errors(path):
        meta = pq.ParquetFile(path).metadata
    parts: list[ParquetPart] = []
    groups: list[int] = []
    first, rows = 0, 0
    for g in range(meta.num_row_groups):
        n = meta.row_group(g).num_rows
        if groups and rows + n > rows_per_part:
            parts.append(ParquetPart(str(path), tuple(groups), columns, first, dictionaries))
            first, rows, groups = first + rows, 0, []
        groups.append(g)
        rows += n
    if groups:
        parts.append(ParquetPart(str(path), tuple(groups), columns, first, dictionaries))
    return parts


def parquet_columns(path: Path) -> list[str]:
    """Column names of a Parquet file (its schema only)."""
    import pyarrow.parquet as pq

    with _parquet_errors(path):
        return list(pq.ParquetFile(path).schema_arrow.names)


def plan_frame(frame: pd.DataFrame, rows_per_part: int) -> list[FramePart]:
    """Slices of a table in memory."""
    return [
        FramePart(frame.iloc[i : i + rows_per_part].reset_index(drop=True), i)
        for i in range(0, len(frame), rows_per_part)
    ]
