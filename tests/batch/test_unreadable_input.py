"""Lines and files ``batch`` cannot read: each bad line is one error row (the limits of
``leptodx assess``'s reader apply per line), a file that is not what its suffix says is one
error naming it; never a traceback, never a partial output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import leptodx.batch.inputs as batch_inputs
from leptodx.cli import app

VALID = '{"patient_id": "v", "known_cancer": true, "mri": "A", "cytology": "negative"}'


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=True)


@pytest.mark.parametrize("engine", ["columnar", "per-record"])
def test_deep_latin1_oversized_and_huge_number_lines_are_error_rows(
    tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_inputs, "MAX_DOCUMENT_BYTES", 10_000)
    lines = [
        VALID.encode(),
        b"[" * 4000 + b"]" * 4000,  # deeper than the interpreter parses
        b'{"known_cancer": true, "b": ' + b"[" * 101 + b"]" * 101 + b"}",  # 102 levels
        '{"patient_id": "Müller", "known_cancer": true}'.encode("latin-1"),
        json.dumps({"known_cancer": True, "note": "x" * 20_000}).encode(),
        b'{"known_cancer": true, "age_years": 1' + b"0" * 5000 + b"}",
        VALID.encode(),
    ]
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out.parquet"
    result = invoke("batch", "assess", str(source), "--out", str(out), "--engine", engine)
    assert result.exit_code == 0, result.output
    assert pq.read_table(out)["row"].to_pylist() == [0, 6]
    errors = pd.read_csv(tmp_path / "out.errors.csv")
    messages = dict(zip(errors["row"], errors["message"], strict=True))
    assert sorted(messages) == [1, 2, 3, 4, 5]
    assert "nested at most 100 levels deep" in messages[1] and "100 levels" in messages[2]
    assert "UTF-8 text (byte 17 is 0xfc)" in messages[3]
    assert "a line of at most 10,000 bytes" in messages[4]
    assert "valid JSON" in messages[5] and "digits" in messages[5]
    assert "rows in: 7 = 2 written" in result.output and "5 refused" in result.output


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    documents=st.lists(
        st.recursive(
            st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(["known_cancer", "mri", "csf", "protein", "x"]), inner
                )
            ),
            max_leaves=12,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_json_per_line_is_written_or_refused(documents: list[Any]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "in.jsonl", Path(folder) / "out.parquet"
        source.write_text("\n".join(json.dumps(d) for d in documents) + "\n")
        result = invoke("batch", "assess", str(source), "--out", str(out), "--workers", "1")
        assert result.exit_code == 0, result.output
        written = pq.read_table(out).num_rows
        refused = len(pd.read_csv(Path(folder) / "out.errors.csv"))
        assert written + refused == len(documents)


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".xlsx"])
def test_a_file_that_is_not_its_format_is_one_error_naming_it(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / f"cohort{suffix}"
    source.write_bytes(b"PAR1\xff\xfe not a table")
    out = tmp_path / "out.parquet"
    result = invoke("batch", "assess", str(source), "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and str(source.name) in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [source.name]
