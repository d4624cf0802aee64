"""Reading and writing cohort tables (CSV, TSV, Parquet, Excel), atomically.

Writes go to a temporary file in the target directory and are moved into place with
:func:`os.replace`, so an interrupted run (Ctrl-C) never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from leptodx.errors import InputError

TABLE_SUFFIXES = (".csv", ".tsv", ".parquet", ".xlsx")
METADATA_KEY = b"leptodx"


def is_synthetic(frame: pd.DataFrame) -> bool:
    """True when provenance metadata or an all-true ``synthetic`` column labels the data."""
    meta = frame.attrs.get("leptodx") or {}
    if meta.get("synthetic"):
        return True
    if "synthetic" in frame.columns and len(frame):
        column = frame["synthetic"].astype("string").str.lower()
        return bool(column.isin(["true", "1"]).all())
    return False


def sidecar_path(path: Path) -> Path:
    """Where provenance metadata of a CSV/TSV/Excel file is kept."""
    return path.with_name(path.name + ".leptodx.json")


def read_table(path: Path) -> pd.DataFrame:
    """Read a cohort file; its LeptoDx provenance (if any) lands in ``frame.attrs["leptodx"]``."""
    path = Path(path)
    if not path.is_file():
        raise InputError("FILE", str(path), "an existing CSV, TSV, Parquet or Excel file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            from leptodx.cohort import prefetch

            table = prefetch.take(path)
            if table is None:
                table = prefetch.read_parquet(path)
            frame = table.to_pandas(split_blocks=True)  # one block per column: no 2-D copy
            raw = (table.schema.metadata or {}).get(METADATA_KEY)
            meta = json.loads(raw) if raw else None
        else:
            if suffix in {".xlsx", ".xls"}:
                frame = pd.read_excel(path)
            else:
                frame = pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", low_memory=False)
            side = sidecar_path(path)
            meta = json.loads(side.read_text(encoding="utf-8")) if side.is_file() else None
    except Exception as exc:  # any parser failure is a problem of the user's file
        raise InputError("FILE", str(path), f"a readable {suffix or 'CSV'} file ({exc})") from None
    if meta is not None:
        frame.attrs["leptodx"] = meta
    return frame


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it onto ``path`` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def write_bytes_atomic(path: Path, writer: Callable[[Path], Any]) -> None:
    """Call ``writer(tmp_path)`` and move the result onto ``path`` atomically."""
    with atomic_path(path) as tmp:
        writer(tmp)


def write_table(frame: pd.DataFrame, path: Path, *, metadata: dict[str, Any] | None = None) -> None:
    """Write ``frame`` by extension (.csv, .tsv, .parquet, .xlsx) with provenance metadata.

    Parquet keeps the metadata in the file schema; other formats get a ``.leptodx.json`` sidecar.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError("-o/--output", str(path), f"a file ending in one of {TABLE_SUFFIXES}")
    meta = metadata if metadata is not None else frame.attrs.get("leptodx")
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        if meta is not None:
            extra = {METADATA_KEY: json.dumps(meta).encode()}
            table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
        write_bytes_atomic(path, lambda tmp: pq.write_table(table, tmp))
        return
    if suffix == ".xlsx":
        write_bytes_atomic(path, lambda tmp: frame.to_excel(tmp, index=False))
    else:
        sep = "\t" if suffix == ".tsv" else ","
        write_bytes_atomic(path, lambda tmp: frame.to_csv(tmp, index=False, sep=sep))
    if meta is not None:
        text = json.dumps(meta, indent=2)
        write_bytes_atomic(sidecar_path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))
