"""`leptodx develop` end to end; numbers cross-checked with direct leptodx.stats calls."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from leptodx import stats
from leptodx.cli import app
from leptodx.cohort.io import read_table
from leptodx.cohort.mapping import default_mapping
from leptodx.cohort.quality import map_cohort
from leptodx.models.builtin import GAO_A
from leptodx.models.fitted import load_fitted


@pytest.fixture(scope="module")
def developed(development_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(
        app,
        [
            "develop",
            str(development_file),
            "--spec",
            "gao-a",
            "--out",
            str(out),
            "--bootstrap",
            "5",
            "--seed",
            "3",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def _analysis(development_file):
    frame = read_table(development_file)
    data = map_cohort(frame, default_mapping(frame)).data
    data = data.dropna(subset=[*GAO_A.fields, "lm"]).reset_index(drop=True)
    return data, GAO_A.design_matrix(data), data["lm"].to_numpy(dtype=float)


def test_coefficients_and_auc_match_a_direct_stats_fit(developed, development_file) -> None:
    _, X, y = _analysis(development_file)
    direct = stats.LogisticModel().fit(X, y, feature_names=[p.name for p in GAO_A.predictors])
    model = load_fitted(developed / "model.json")
    # LogisticModel.coef_ holds the intercept first
    np.testing.assert_allclose(model.beta, direct.coef_[1:], rtol=1e-9)
    assert model.intercept == pytest.approx(direct.coef_[0], rel=1e-9)
    expected = stats.auc_ci(y, direct.predict_proba(X))
    assert model.metrics["apparent"]["auc"] == pytest.approx(expected.auc, abs=1e-12)


def test_fitted_model_file_reproduces_its_training_metrics(developed, development_file) -> None:
    data, _, y = _analysis(development_file)
    model = load_fitted(developed / "model.json")
    again = stats.auc_ci(y, model.predict_proba(data))
    assert again.auc == pytest.approx(model.metrics["apparent"]["auc"], abs=1e-12)
    assert list(again.ci) == pytest.approx(model.metrics["apparent"]["auc_ci"], abs=1e-12)
    assert model.training.n == len(y) and model.training.synthetic


def test_single_test_comparison_is_the_paired_delong_test(developed, development_file) -> None:
    data, _, y = _analysis(development_file)
    model = load_fitted(developed / "model.json")
    results = json.loads((developed / "results.json").read_text())
    mri = next(c for c in results["comparisons"] if c["test"] == "first MRI")
    direct = stats.compare_auc(y, model.predict_proba(data), data["first_mri_positive"].to_numpy())
    assert mri["p_value"] == pytest.approx(direct.p_value, abs=1e-12)
    assert mri["difference"] == pytest.approx(direct.difference, abs=1e-12)


def test_report_has_required_sections_figures_and_synthetic_banner(developed) -> None:
    html = (developed / "report.html").read_text()
    for needle in (
        'id="methods"',
        'id="tripod"',
        "SYNTHETIC DATA",
        "Nomogram",
        "Calibration",
        "Decision curve",
        "ROC curves",
        "B = 5",
        "NOT AVAILABLE",
    ):
        assert needle in html, needle
    assert (developed / "report.pdf").read_bytes()[:5] == b"%PDF-"
    for key in ("roc", "calibration", "decision_curve", "forest", "nomogram"):
        assert (developed / "figures" / f"{key}.png").exists()
        assert (developed / "figures" / f"{key}.svg").exists()


def test_lasso_records_the_selected_predictors(development_file, tmp_path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "develop",
            str(development_file),
            "--spec",
            "gao-b",
            "--out",
            str(tmp_path),
            "--lasso",
            "--bootstrap",
            "3",
            "--seed",
            "1",
            "--quiet",
            "--no-pdf",
        ],
    )
    assert result.exit_code == 0, result.output
    model = load_fitted(tmp_path / "model.json")
    selected = json.loads((tmp_path / "results.json").read_text())["selected"]
    assert set(selected) <= set(model.coefficients)
    assert all(model.coefficients[n] == 0 for n in model.coefficients if n not in selected)
    assert "LASSO" in model.method


def test_invalid_rows_stop_develop_unless_dropped(tmp_path) -> None:
    from leptodx.cohort.io import write_table
    from leptodx.cohort.synthetic import synthetic_cohort

    frame = synthetic_cohort(200, seed=5)
    frame.loc[6, "n_symptoms"] = -3
    path = tmp_path / "bad.csv"
    write_table(frame, path)
    args = [
        "develop",
        str(path),
        "--spec",
        "gao-a",
        "--out",
        str(tmp_path / "o"),
        "--bootstrap",
        "2",
        "--quiet",
        "--no-pdf",
    ]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2 and "(7)" in refused.output
    assert not (tmp_path / "o" / "model.json").exists()
    dropped = CliRunner().invoke(app, [*args, "--drop-invalid"])
    assert dropped.exit_code == 0, dropped.output
    assert "1 invalid rows dropped" in (tmp_path / "o" / "report.html").read_text()


def test_bootstrap_optimism_equals_the_engine_with_the_same_seed(developed, development_file):
    _, X, y = _analysis(development_file)
    direct = stats.bootstrap_validate(stats.logistic_procedure(), X, y, n_boot=5, random_state=3)
    model = load_fitted(developed / "model.json")
    for key in ("auc", "slope", "intercept", "brier"):
        assert model.metrics["bootstrap"]["corrected"][key] == pytest.approx(
            direct.corrected[key], abs=1e-8
        )
