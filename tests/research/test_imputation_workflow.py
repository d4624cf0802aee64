"""`develop`/`validate --impute mice`: pooled results, files written, report section, errors."""

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from leptodx import stats
from leptodx.cli import app
from leptodx.cohort.io import write_table
from leptodx.cohort.synthetic import synthetic_cohort
from leptodx.models.builtin import GAO_A
from leptodx.models.fitted import load_fitted
from leptodx.stats.pooling import pool_auc, pool_estimates

INCOMPLETE = ("skull_metastasis", "n_symptoms", "progressed_extracranial_disease")


def _incomplete_cohort(n: int, seed: int):
    frame = synthetic_cohort(n, seed=seed)
    rng = np.random.default_rng(seed + 1000)  # not the generator's own stream
    lm = frame["lm"].to_numpy()
    for column in INCOMPLETE:
        frame.loc[rng.random(n) < 0.12 * (0.5 + lm), column] = np.nan
    return frame


@pytest.fixture(scope="module")
def incomplete_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mi")
    dev, val = folder / "dev.csv", folder / "val.csv"
    write_table(_incomplete_cohort(300, 21), dev)
    write_table(_incomplete_cohort(200, 22), val)
    return dev, val


def _invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def developed(incomplete_files, tmp_path_factory):
    out = tmp_path_factory.mktemp("dev-out")
    result = _invoke(
        "develop",
        incomplete_files[0],
        "--spec",
        "gao-a",
        "--out",
        out,
        "--impute",
        "mice",
        "--imputations",
        "3",
        "--bootstrap",
        "3",
        "--seed",
        "5",
        "--no-pdf",
        "--quiet",
        "--save-imputations",
        out / "imputations",
    )
    assert result.exit_code == 0, result.output
    return out


def test_pooled_coefficients_are_rubins_rules_over_the_saved_imputations(developed) -> None:
    model = load_fitted(developed / "model.json")
    fields = [p.field for p in GAO_A.predictors]
    estimates, std_errors = [], []
    for i in (1, 2, 3):
        d = pd.read_csv(developed / "imputations" / f"imputation-{i}.csv")
        fit = stats.LogisticModel().fit(d[fields].to_numpy(float), d["lm"].to_numpy(float))
        estimates.append(fit.coef_)
        std_errors.append(fit.se_)
    pooled = pool_estimates(estimates, std_errors, dfcom=300 - 6)
    np.testing.assert_allclose(model.beta, [p.estimate for p in pooled[1:]], rtol=1e-9)
    assert model.intercept == pytest.approx(pooled[0].estimate, rel=1e-9)
    se = [model.standard_errors[p.name] for p in GAO_A.predictors]
    np.testing.assert_allclose(se, [p.std_error for p in pooled[1:]], rtol=1e-9)
    terms = model.metrics["pooled"]
    assert terms["number of symptoms"]["fmi"] == pytest.approx(pooled[5].fmi, rel=1e-9)
    assert terms["number of symptoms"]["df"] == pytest.approx(pooled[5].df, rel=1e-9)


def test_fitted_model_records_the_imputation_settings(developed) -> None:
    model = load_fitted(developed / "model.json")
    settings = model.imputation
    assert settings is not None
    assert (settings["m"], settings["seed"], settings["maxit"], settings["donors"]) == (3, 5, 5, 5)
    assert settings["methods"]["skull metastasis"] == "logreg"
    assert settings["methods"]["number of symptoms"] == "pmm"
    assert settings["methods"]["active brain metastasis"] == "complete (not imputed)"
    assert "Rubin" in model.method
    description = json.loads((developed / "imputations" / "imputations.json").read_text())
    assert description["imputed_cells"]["n_symptoms"] > 0
    assert description["imputed_cells"]["active_brain_metastasis"] == 0


def test_saved_imputations_keep_observed_values(developed, incomplete_files) -> None:
    original = pd.read_csv(incomplete_files[0])
    imputed = pd.read_csv(developed / "imputations" / "imputation-1.csv")
    observed = original["n_symptoms"].notna().to_numpy()
    np.testing.assert_array_equal(imputed["n_symptoms"][observed], original["n_symptoms"][observed])
    assert imputed.notna().all().all()


def test_results_and_report_describe_the_missing_data(developed) -> None:
    results = json.loads((developed / "results.json").read_text())
    missing = {v["field"]: v for v in results["missing_data"]["variables"]}
    assert missing["n_symptoms"]["n_missing"] > 0
    assert missing["active_brain_metastasis"]["n_missing"] == 0
    assert results["complete_case"]["n"] < 300
    assert sum(p["count"] for p in results["missing_data"]["patterns"]) == 300
    html = (developed / "report.html").read_text()
    assert "Missing data" in html
    assert "Complete-case versus multiple imputation" in html
    assert "Multiple imputation by chained equations (m = 3" in html
    assert "imputation repeated inside every resample" in html


def test_same_seed_reproduces_the_model(developed, incomplete_files, tmp_path) -> None:
    result = _invoke(
        "develop",
        incomplete_files[0],
        "--spec",
        "gao-a",
        "--out",
        tmp_path,
        "--impute",
        "mice",
        "--imputations",
        "3",
        "--bootstrap",
        "3",
        "--seed",
        "5",
        "--no-pdf",
        "--quiet",
    )
    assert result.exit_code == 0, result.output
    a, b = load_fitted(developed / "model.json"), load_fitted(tmp_path / "model.json")
    assert a.coefficients == b.coefficients


def test_validate_with_imputation_pools_the_auc_on_the_logit_scale(
    developed, incomplete_files, tmp_path
) -> None:
    result = _invoke(
        "validate",
        incomplete_files[1],
        "--model",
        developed / "model.json",
        "--out",
        tmp_path,
        "--impute",
        "mice",
        "--imputations",
        "3",
        "--no-pdf",
        "--quiet",
        "--save-imputations",
        tmp_path / "imp",
    )
    assert result.exit_code == 0, result.output
    model = load_fitted(developed / "model.json")
    fields = [p.field for p in GAO_A.predictors]
    aucs, ses = [], []
    for i in (1, 2, 3):
        d = pd.read_csv(tmp_path / "imp" / f"imputation-{i}.csv")
        risk = 1 / (1 + np.exp(-(model.intercept + d[fields].to_numpy(float) @ model.beta)))
        a = stats.auc_ci(d["lm"].to_numpy(float), risk)
        aucs.append(a.auc)
        ses.append(a.se)
    auc, ci, _ = pool_auc(aucs, ses)
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["auc"]["auc"] == pytest.approx(auc, rel=1e-12)
    np.testing.assert_allclose(results["auc"]["ci"], ci, rtol=1e-12)
    assert results["imputation"]["m"] == 3
    html = (tmp_path / "report.html").read_text()
    assert "Missing data" in html
    assert "Complete-case versus multiple imputation" in html


def test_complete_case_report_fills_tripod_item_9(incomplete_files, tmp_path) -> None:
    result = _invoke(
        "develop",
        incomplete_files[0],
        "--spec",
        "gao-a",
        "--out",
        tmp_path,
        "--bootstrap",
        "2",
        "--no-pdf",
        "--quiet",
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "report.html").read_text()
    assert "Complete-case analysis:" in html
    assert "Missingness patterns" in html


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--impute", "mice", "--imputations", "1"], "--imputations: got 1; expected at least 2"),
        (["--imputations", "5"], "--imputations: got 5; expected to be used with --impute mice"),
        (["--impute", "amelia"], "--impute: got 'amelia'; expected one of: mice"),
        (
            ["--save-imputations", "x"],
            "--save-imputations: got 'x'; expected to be used with --impute",
        ),
    ],
)
def test_impossible_imputation_requests_name_the_option(
    incomplete_files, tmp_path, extra, message
) -> None:
    result = _invoke("develop", incomplete_files[0], "--spec", "gao-a", "--out", tmp_path, *extra)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "model.json").exists()


def test_predictor_missing_in_every_row_is_refused_naming_impute(tmp_path) -> None:
    frame = synthetic_cohort(120, seed=3)
    frame["n_symptoms"] = np.nan
    path = tmp_path / "c.csv"
    write_table(frame, path)
    result = _invoke(
        "develop", path, "--spec", "gao-a", "--out", tmp_path / "o", "--impute", "mice"
    )
    assert result.exit_code == 2
    assert "--impute" in result.output
    assert "'number of symptoms' (n_symptoms) is missing in every row" in result.output
