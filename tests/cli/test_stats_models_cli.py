"""``leptodx stats calibration | logistic | lasso | validate``: JSON fields and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leptodx.cli import app

REF_DIR = Path(__file__).parents[1] / "reference_values" / "models"
DATA = str(REF_DIR / "models.csv")
REF = json.loads((REF_DIR / "models_reference.json").read_text())


def invoke(*args: str):
    return CliRunner().invoke(app, ["stats", *args])


def test_calibration_fields() -> None:
    out = json.loads(invoke("calibration", DATA, "--outcome", "y", "--prob", "p").output)
    for key in (
        "intercept",
        "intercept_ci",
        "slope",
        "slope_ci",
        "brier",
        "scaled_brier",
        "oe_ratio",
        "ici",
        "e50",
        "e90",
        "emax",
    ):
        assert key in out
    assert out["slope"] == pytest.approx(REF["calibration"]["slope"], rel=1e-8)


def test_logistic_fields_match_r() -> None:
    out = json.loads(
        invoke("logistic", DATA, "--outcome", "y", "--predictors", "x1,x2,x3,x4,x5,x6").output
    )
    coefs = out["coefficients"]
    assert list(coefs) == ["(Intercept)", "x1", "x2", "x3", "x4", "x5", "x6"]
    assert coefs["x4"]["estimate"] == pytest.approx(REF["logistic"]["estimate"][4], rel=1e-8)
    assert set(coefs["x1"]) == {"estimate", "se", "z", "p_value", "ci"}


def test_lasso_with_foldid_column_matches_cv_glmnet() -> None:
    result = invoke(
        "lasso",
        DATA,
        "--outcome",
        "y",
        "--predictors",
        "x1,x2,x3,x4,x5,x6",
        "--foldid",
        "foldid",
        "--alpha",
        "1",
    )
    out = json.loads(result.output)
    assert out["lambda_min"] == pytest.approx(REF["cv_lasso"]["lambda_min"], rel=1e-10)
    assert list(out["coefficients"]["lambda_1se"].values()) == pytest.approx(
        REF["cv_lasso"]["coef_1se"], abs=1e-6
    )


def test_validate_fields() -> None:
    out = json.loads(
        invoke(
            "validate",
            DATA,
            "--outcome",
            "y",
            "--predictors",
            "x1,x2",
            "--bootstrap",
            "20",
            "--seed",
            "4",
        ).output
    )
    assert (
        set(out["apparent"])
        == set(out["optimism"])
        == set(out["corrected"])
        == {"auc", "slope", "intercept", "brier"}
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["logistic", DATA, "--outcome", "y", "--predictors", "x1,nope"],
            "--predictors: got 'nope'",
        ),
        (["calibration", DATA, "--outcome", "y", "--prob", "x1"], "outside [0, 1]"),
        (["lasso", DATA, "--outcome", "x1"], "0/1 coding, 1 = event"),
    ],
)
def test_bad_input_exits_2(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2 and message in result.stderr
