"""Reading a Parquet cohort on a second thread while a command imports its libraries.

A command that analyses a large cohort spends its first half-second importing pandas and its
own modules, with the interpreter lock held and a second core idle; Arrow reads a Parquet file
without the lock. :func:`start` begins the read after importing what the read needs (so the
thread imports nothing; and not ``pyarrow.dataset``, which loads pandas), and
:func:`leptodx.cohort.io.read_table` takes the result if the file is still the one that was read
(same path, size and modification time); otherwise, or when the read failed, it reads the file
itself, so its errors are reported exactly as without a prefetch
(docs/decisions/research-csf-table-speed.md).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

_Key = tuple[str, int, int]
_pending: dict[_Key, _Read] = {}
_lock = threading.Lock()


class _Read(threading.Thread):
    def __init__(self, path: Path) -> None:
        super().__init__(name="read-parquet", daemon=True)
        self.path = path
        self.table: pa.Table | None = None

    def run(self) -> None:
        try:
            self.table = read_parquet(self.path)
        except Exception:  # the foreground read reports it
            self.table = None


def read_parquet(path: Path) -> pa.Table:
    """A single Parquet file as an Arrow table, with its schema metadata.

    ``ParquetFile.read`` rather than ``pyarrow.parquet.read_table``: the latter goes through
    ``pyarrow.dataset``, whose import loads pandas (≈ 0.3 s) before any byte is read.
    """
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as file:
        return file.read()


def _key(path: Path) -> _Key | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def start(path: Path) -> None:
    """Begin reading ``path`` in the background when it is a Parquet file (else do nothing)."""
    path = Path(path)
    if path.suffix.lower() != ".parquet" or (key := _key(path)) is None:
        return
    import pyarrow.parquet  # noqa: F401  (here: the thread must not import while the caller does)

    read = _Read(path)
    with _lock:
        _pending[key] = read
    read.start()


def take(path: Path) -> pa.Table | None:
    """The table read in the background for ``path`` if the file has not changed since, else None."""
    key = _key(Path(path))
    with _lock:
        read = _pending.pop(key, None) if key is not None else None
    if read is None:
        return None
    read.join()
    return read.table
