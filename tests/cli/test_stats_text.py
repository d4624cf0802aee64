"""``--format text`` of the ``stats`` commands: aligned, rounded tables; errors name the user's
column (issue 15, CLI bullet)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leptodx.cli import app

REF = Path(__file__).parents[1] / "reference_values"
ROC = REF / "roc"
MODELS = str(REF / "models" / "models.csv")
SURV = REF / "survival" / "ties_small.csv"

TEXT_CASES = {
    "roc": ["roc", str(ROC / "ties_small.csv"), "--outcome", "y", "--score", "s1", "--score", "s2"],
    "unpaired": [
        "roc", str(ROC / "sample_a.csv"), "--outcome", "y", "--score", "s1",
        "--unpaired", str(ROC / "sample_b.csv"),
    ],
    "dca": ["dca", MODELS, "--outcome", "y", "--prob", "p", "--thresholds", "0.1,0.2"],
    "proportion": ["proportion", "--events", "7", "--n", "31"],
    "fisher": ["fisher", "--table", "12,5,3,20"],
    "calibration": ["calibration", MODELS, "--outcome", "y", "--prob", "p"],
    "logistic": ["logistic", MODELS, "--outcome", "y", "--predictors", "x1,x2"],
    "lasso": [
        "lasso", MODELS, "--outcome", "y", "--predictors", "x1,x2,x3", "--foldid", "foldid",
        "--nlambda", "20",
    ],
    "validate": ["validate", MODELS, "--outcome", "y", "--predictors", "x1", "--bootstrap", "5"],
    "survival": ["survival", str(SURV), "--time", "time", "--event", "status", "--group", "type"],
    "cox": ["cox", str(SURV), "--time", "time", "--event", "status", "--covariates", "age,sex"],
}  # fmt: skip

LONG_FLOAT = re.compile(r"\d\.\d{7,}")


def run(*args: str):
    return CliRunner().invoke(app, ["stats", *args], terminal_width=160)


@pytest.mark.parametrize("name", sorted(TEXT_CASES))
def test_text_is_a_rounded_table_without_python_values(name: str) -> None:
    result = run(*TEXT_CASES[name], "--format", "text")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "┃" in out  # a table header
    assert not LONG_FLOAT.search(out), out  # no 16-digit floats
    for python_value in ("{", "}", "None", "nan", "True", "False", "(null)"):
        assert python_value not in out, (python_value, out)


def test_paired_difference_shows_its_ci() -> None:
    out = run(*TEXT_CASES["roc"], "--format", "text").stdout
    assert re.search(r"Difference \(s1 − s2\): 0\.080 \(95% CI −0\.041 to 0\.202\)", out), out


def test_auc_row_is_rounded_to_three_decimals() -> None:
    out = run(*TEXT_CASES["roc"], "--format", "text").stdout
    assert re.search(r"│ s1\s+│\s+0\.712 │\s+0\.585 to 0\.838 │", out), out


@pytest.mark.parametrize(
    ("rows", "args", "expected"),
    [
        ("y,s\n0,0.1\n1,0.2\n2,0.3\n", ["roc", "--score", "s"], "--outcome y: got 2.0"),
        ("y,s\n0,0.1\n1,0.2\n0,\n", ["roc", "--score", "s"], "--score s: got ''"),
        ("y,s\n0,0.1\n0,0.2\n0,0.3\n", ["roc", "--score", "s"], "--outcome y: only non-events"),
        ("y,p\n0,0.1\n1,1.2\n0,0.3\n", ["calibration", "--prob", "p"], "--prob p: 1 value(s)"),
        ("y,p\n0,0.1\n1,1.2\n0,0.3\n", ["dca", "--prob", "p"], "--prob p: 1 value(s)"),
        ("y,x\n0,0.1\n0,0.2\n0,0.3\n", ["logistic", "--predictors", "x"], "--outcome y: only"),
    ],
)
def test_errors_name_the_users_column(
    tmp_path: Path, rows: str, args: list[str], expected: str
) -> None:
    path = tmp_path / "d.csv"
    path.write_text(rows)
    result = run(args[0], str(path), "--outcome", "y", *args[1:])
    assert result.exit_code == 2
    assert expected in result.stderr
    for internal in ("y_true", "y_score", "y_prob"):
        assert internal not in result.stderr
