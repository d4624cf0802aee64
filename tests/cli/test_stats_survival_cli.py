"""``leptodx stats survival | cox``: JSON contract against R survival 3.5.3, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from leptodx.cli import app

REF_DIR = Path(__file__).parents[1] / "reference_values" / "survival"
REF = json.loads((REF_DIR / "survival_reference.json").read_text())
SMALL = str(REF_DIR / "ties_small.csv")
LUNG = str(REF_DIR / "lung.csv")
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["stats", *args])


def test_survival_by_group_reports_r_medians_cis_and_logrank() -> None:
    result = invoke("survival", SMALL, "--time", "time", "--event", "status", "--group", "type")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {"groups", "logrank"} <= set(out)
    assert [set(g) for g in out["groups"]] == [{"name", "n", "events", "median", "median_ci"}] * 5
    for mine, ref in zip(out["groups"], REF["small"]["km_type"], strict=True):
        assert (mine["name"], mine["n"], mine["events"]) == (ref["name"], ref["n"], ref["events"])
        assert mine["median"] == ref["median"]  # null where R gives NA
        assert mine["median_ci"] == [ref["median_lower"], ref["median_upper"]]
    lr = REF["small"]["logrank_type"]
    assert out["logrank"]["df"] == lr["df"]
    assert out["logrank"]["chisq"] == pytest.approx(lr["chisq"], rel=1e-6)
    assert out["logrank"]["p_value"] == pytest.approx(lr["p"], rel=1e-6)
    assert any("'ID'" in w and "undefined" in w for w in out["warnings"])


def test_survival_without_group_gives_one_curve_and_no_logrank() -> None:
    result = invoke("survival", LUNG, "--time", "time", "--event", "event")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    ref = REF["lung"]["km_all"][0]
    assert out["logrank"] is None
    assert out["groups"] == [
        {
            "name": "all",
            "n": ref["n"],
            "events": ref["events"],
            "median": ref["median"],
            "median_ci": [ref["median_lower"], ref["median_upper"]],
        }
    ]


def test_survival_text_format_prints_a_table() -> None:
    result = invoke(
        "survival", LUNG, "--time", "time", "--event", "event", "--group", "sex_label",
        "--format", "text",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "female" in result.output and "log-rank" in result.output


@pytest.fixture
def lung_complete(tmp_path: Path) -> str:
    path = tmp_path / "lung_cc.csv"
    pd.read_csv(LUNG).dropna(subset=["ph_ecog"]).to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize(
    "spec",
    [
        ["--covariates", "age", "--covariates", "sex_label", "--covariates", "ph_ecog"],
        ["--covariates", "age,sex_label,ph_ecog"],
        ["--covariates", "age sex_label ph_ecog"],
        ["--covariates", "age", "sex_label", "ph_ecog"],
    ],
)
def test_cox_matches_coxph_whatever_the_covariate_syntax(
    lung_complete: str, spec: list[str]
) -> None:
    result = invoke("cox", lung_complete, "--time", "time", "--event", "event", *spec)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    ref = REF["lung"]["cox"]
    assert (out["n"], out["events"], out["ties"]) == (ref["n"], ref["events"], "efron")
    assert out["reference_levels"] == {"sex_label": "female"}
    assert [c["term"] for c in out["coefficients"]] == ref["terms"]
    for key in ("coef", "hazard_ratio", "ci_lower", "ci_upper", "p_value"):
        assert [c[key] for c in out["coefficients"]] == pytest.approx(ref[key], rel=1e-6), key


def test_cox_categorical_type_uses_the_first_sorted_level_as_reference() -> None:
    result = invoke(
        "cox", SMALL, "--time", "time", "--event", "status", "--covariates", "type", "--format",
        "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    ref = REF["small"]["cox_type"]
    assert out["reference_levels"] == {"type": "IA"}
    assert [c["term"] for c in out["coefficients"]] == ref["terms"]
    assert [c["hazard_ratio"] for c in out["coefficients"]] == pytest.approx(
        ref["hazard_ratio"], rel=1e-6
    )


@pytest.fixture
def bad_file(tmp_path: Path) -> str:
    path = tmp_path / "bad.csv"
    pd.DataFrame(
        {
            "t": [5, 3, -1, 8],
            "e": [1, 2, 0, 1],
            "ok_e": [1, 0, 0, 1],
            "ok_t": [5, 3, 1, 8],
            "g": ["IA", None, "IB", "IB"],
            "k": [1, 1, 1, 1],
            "x": [0.5, None, 1.0, 2.0],
        }
    ).to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["survival", "{f}", "--time", "tt", "--event", "e"], "--time: got 'tt'; expected a column"),
        (["survival", "{f}", "--time", "t", "--event", "ok_e"], "--time t: got -1.0; expected follow-up times ≥ 0 (row 3)"),
        (["survival", "{f}", "--time", "ok_t", "--event", "e"], "--event e: got 2.0; expected 1 = event, 0 = censored (row 2)"),
        (["survival", "{f}", "--time", "ok_t", "--event", "ok_e", "--group", "g"], "--group g: got ''; expected a value in every row (row 2 is empty)"),
        (["survival", "{f}", "--time", "ok_t", "--event", "ok_e", "--group", "gg"], "--group: got 'gg'"),
        (["survival", "{f}", "--time", "ok_t", "--event", "ok_e", "--level", "2"], "level: got 2.0"),
        (["cox", "{f}", "--time", "ok_t", "--event", "ok_e", "--covariates", "x"], "--covariates x: got ''; expected a value in every row (row 2 is empty)"),
        (["cox", "{f}", "--time", "ok_t", "--event", "ok_e", "--covariates", "zz"], "--covariates: got 'zz'; expected a column"),
        (["cox", "{f}", "--time", "ok_t", "--event", "ok_e", "--covariates", "k"], "covariate 'k': every value is 1"),
        (["cox", "{f}", "--time", "ok_t", "--event", "ok_e", "--covariates", "k,k"], "--covariates: got 'k'; expected each covariate named once"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_naming_option_value_and_expectation(
    bad_file: str, args: list[str], message: str
) -> None:
    result = invoke(*(a.format(f=bad_file) for a in args))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_survival_writes_the_kaplan_meier_figure_with_numbers_at_risk(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from leptodx.cli import app

    lung = Path(__file__).resolve().parents[1] / "reference_values" / "survival" / "lung.csv"
    plot = tmp_path / "km.svg"
    out = CliRunner().invoke(
        app,
        [
            "stats",
            "survival",
            str(lung),
            "--time",
            "time",
            "--event",
            "event",
            "--group",
            "sex_label",
            "--plot",
            str(plot),
        ],
    )
    assert out.exit_code == 0, out.output
    svg = plot.read_text()
    assert "Number at risk" in svg or "at risk" in svg
    assert "female" in svg and "male" in svg
    bad = CliRunner().invoke(
        app,
        [
            "stats",
            "survival",
            str(lung),
            "--time",
            "time",
            "--event",
            "event",
            "--plot",
            str(tmp_path / "km.pdf"),
        ],
    )
    assert bad.exit_code == 2 and "--plot" in bad.output
