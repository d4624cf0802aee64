"""`leptodx synth` and `leptodx cohort check` end to end."""

import json

import pandas as pd
from typer.testing import CliRunner

from leptodx.cli import app
from leptodx.cohort.io import read_table


def test_synth_writes_a_labelled_synthetic_parquet_file(tmp_path) -> None:
    out = tmp_path / "c.parquet"
    result = CliRunner().invoke(app, ["synth", "--n", "150", "--seed", "9", "-o", str(out)])
    assert result.exit_code == 0, result.output
    frame = read_table(out)
    assert len(frame) == 150 and frame["synthetic"].all()
    assert frame.attrs["leptodx"]["seed"] == 9
    assert not list(tmp_path.glob(".c.*"))  # no temporary file left behind


def test_synth_refuses_an_unknown_extension(tmp_path) -> None:
    result = CliRunner().invoke(app, ["synth", "--n", "5", "-o", str(tmp_path / "c.sav")])
    assert result.exit_code == 2
    assert "c.sav" in result.output and not (tmp_path / "c.sav").exists()


def test_cohort_check_json_lists_bad_rows_and_exits_1(tmp_path) -> None:
    data = tmp_path / "site.csv"
    pd.DataFrame(
        {
            "Dx": [1, 0, 1],
            "Prot": [45.0, 80.0, 60.0],
            "Sex": ["F", "M", "?"],
        }
    ).to_csv(data, index=False)
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "fields:\n  lm: Dx\n  csf_protein: {column: Prot, unit: mg/dL}\n"
        "  sex: {column: Sex, categories: {F: female, M: male}}\n"
    )
    result = CliRunner().invoke(
        app, ["cohort", "check", str(data), "--mapping", str(mapping), "--format", "json"]
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["n_rows"] == 3 and report["invalid_rows"] == [3]
    sex = next(c for c in report["columns"] if c["field"] == "sex")
    assert sex["problems"][0]["kind"] == "unknown_category"


def test_cohort_check_text_on_a_clean_synthetic_file_exits_0(tmp_path) -> None:
    out = tmp_path / "c.csv"
    CliRunner().invoke(app, ["synth", "--n", "80", "-o", str(out)])
    result = CliRunner().invoke(app, ["cohort", "check", str(out)])
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC DATA" in result.stdout and "invalid rows: 0" in result.stdout


def test_cohort_check_on_a_missing_file_is_one_clear_error(tmp_path) -> None:
    result = CliRunner().invoke(app, ["cohort", "check", str(tmp_path / "none.csv")])
    assert result.exit_code == 2 and "none.csv" in result.output
