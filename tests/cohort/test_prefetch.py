"""A Parquet cohort read on a second thread (issue 16) is used only while it is still the file
on disk, and any failure is reported exactly as without the background read."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from leptodx.cohort import prefetch
from leptodx.cohort.io import read_table, write_table
from leptodx.errors import InputError


def _cohort(path, n: int, synthetic: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"age": [40.0 + i for i in range(n)], "sex": pd.Categorical(["F", "M"] * (n // 2))}
    )
    write_table(frame, path, metadata={"synthetic": synthetic})
    return frame


def test_the_background_read_gives_the_same_frame_and_metadata(tmp_path) -> None:
    path = tmp_path / "c.parquet"
    _cohort(path, 10, synthetic=True)
    expected = read_table(path)
    prefetch.start(path)
    got = read_table(path)
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs == expected.attrs == {"leptodx": {"synthetic": True}}
    assert prefetch.take(path) is None  # taken once


def test_a_file_changed_after_the_read_began_is_read_again(tmp_path) -> None:
    path = tmp_path / "c.parquet"
    _cohort(path, 10)
    prefetch.start(path)
    newer = _cohort(path, 20)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    got = read_table(path)
    assert len(got) == 20
    pd.testing.assert_series_equal(got["age"], newer["age"])


def test_an_unreadable_file_is_the_same_error_with_or_without_the_background_read(
    tmp_path,
) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 not really a parquet file")
    with pytest.raises(InputError) as plain:
        read_table(path)
    prefetch.start(path)
    with pytest.raises(InputError) as background:
        read_table(path)
    assert str(background.value) == str(plain.value)
    assert "readable .parquet" in str(plain.value)


def test_other_files_and_missing_files_start_nothing(tmp_path) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text("a\n1\n")
    prefetch.start(csv)
    prefetch.start(tmp_path / "absent.parquet")
    assert prefetch.take(csv) is None
    assert prefetch.take(tmp_path / "absent.parquet") is None


def test_starting_the_read_imports_neither_pandas_nor_pyarrow_dataset(tmp_path) -> None:
    """The point of the thread: the read must not wait for pandas (``pyarrow.dataset`` would
    import it)."""
    path = tmp_path / "c.parquet"
    _cohort(path, 4)
    code = (
        "import sys; from leptodx.cohort import prefetch; "
        f"prefetch.start({str(path)!r}); prefetch._pending and "
        "next(iter(prefetch._pending.values())).join(); "
        "print(sorted(m for m in ('pandas', 'pyarrow.dataset') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
