"""Cohort uploads: stored to a file within the size limit, then checked for rows and columns
*before* any parser reads the data — a Parquet file's row count comes from its metadata, so a
150 kB file that claims 20 million rows is refused in milliseconds (docs/security.md).
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import BinaryIO

from leptodx.errors import InputError
from leptodx.web.settings import Settings

SUFFIXES = frozenset({".csv", ".tsv", ".parquet", ".xlsx"})
EXPANSION = 20
"""A compressed upload (Parquet, Excel) may expand to at most this many times the upload limit."""


def upload_suffix(filename: str | None) -> str:
    suffix = Path(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError("file", filename, f"a cohort file ending in {', '.join(sorted(SUFFIXES))}")
    return suffix


def save_upload(
    source: BinaryIO, target: Path, *, filename: str | None, settings: Settings
) -> None:
    """Copy an upload to ``target``, then :func:`check_table` (the body limit bounds its size)."""
    with target.open("wb") as handle:
        shutil.copyfileobj(source, handle, 1024 * 1024)
    check_table(target, filename=filename, settings=settings)


def _refuse(filename: str | None, what: str) -> InputError:
    return InputError("file", filename, what)


def check_table(path: Path, *, filename: str | None, settings: Settings) -> None:
    """Refuse a table with more rows or columns than allowed, or one that would expand too far."""
    rows_cap, cols_cap = settings.max_upload_rows, settings.max_upload_columns
    expanded_cap = EXPANSION * settings.max_upload_bytes
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            meta = pq.ParquetFile(path).metadata
        except Exception:  # any pyarrow failure means the file is not usable Parquet
            raise _refuse(filename, "a readable Parquet file") from None
        rows, columns = meta.num_rows, meta.num_columns
        expanded = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    elif suffix == ".xlsx":
        try:
            with zipfile.ZipFile(path) as archive:
                expanded = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError):
            raise _refuse(filename, "a readable Excel (.xlsx) file") from None
        rows, columns = 0, 0  # bounded by the expanded size; pandas counts them when reading
    else:
        rows, columns, expanded = _text_shape(path, "\t" if suffix == ".tsv" else ",")
    if rows > rows_cap:
        raise _refuse(filename, f"at most {rows_cap:,} rows (it has {rows:,})")
    if columns > cols_cap:
        raise _refuse(filename, f"at most {cols_cap:,} columns (it has {columns:,})")
    if expanded > expanded_cap:
        raise _refuse(filename, f"data that expands to at most {expanded_cap:,} bytes")


def _text_shape(path: Path, separator: str) -> tuple[int, int, int]:
    """Data rows (lines after the header; quoted line breaks count too) and header columns."""
    lines, header = 0, b""
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            if not header:
                header = chunk.split(b"\n", 1)[0]
            lines += chunk.count(b"\n")
        size = handle.tell()
    return max(lines - 1, 0), header.count(separator.encode()) + 1, size
