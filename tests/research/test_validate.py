"""`leptodx validate` end to end: external performance and recalibration."""

import json

import pytest
from typer.testing import CliRunner

from leptodx import stats
from leptodx.cli import app
from leptodx.cohort.io import read_table
from leptodx.cohort.mapping import default_mapping
from leptodx.cohort.quality import map_cohort
from leptodx.models.fitted import load_fitted


@pytest.fixture(scope="module")
def validated(development_file, validation_file, tmp_path_factory):
    dev = tmp_path_factory.mktemp("dev")
    out = tmp_path_factory.mktemp("val")
    runner = CliRunner()
    r = runner.invoke(
        app,
        [
            "develop",
            str(development_file),
            "--spec",
            "gao-a",
            "--out",
            str(dev),
            "--bootstrap",
            "3",
            "--quiet",
            "--no-pdf",
        ],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app,
        [
            "validate",
            str(validation_file),
            "--model",
            str(dev / "model.json"),
            "--out",
            str(out),
            "--quiet",
            "--no-pdf",
        ],
    )
    assert r.exit_code == 0, r.output
    return dev, out


def _validation_data(validation_file):
    frame = read_table(validation_file)
    data = map_cohort(frame, default_mapping(frame)).data
    return data.dropna(
        subset=[
            "skull_metastasis",
            "active_brain_metastasis",
            "progressed_extracranial_disease",
            "n_extracranial_organs",
            "n_symptoms",
            "lm",
        ]
    ).reset_index(drop=True)


def test_external_auc_and_calibration_match_direct_stats_calls(validated, validation_file) -> None:
    dev, out = validated
    data = _validation_data(validation_file)
    model = load_fitted(dev / "model.json")
    p = model.predict_proba(data)
    y = data["lm"].to_numpy(dtype=float)
    results = json.loads((out / "results.json").read_text())
    assert results["auc"]["auc"] == pytest.approx(stats.auc_ci(y, p).auc, abs=1e-12)
    assert results["calibration"]["slope"] == pytest.approx(stats.calibration(y, p).slope, abs=1e-9)


def test_logistic_recalibration_is_perfectly_calibrated_on_the_validation_data(
    validated, validation_file
) -> None:
    # by construction of logistic recalibration: slope 1 and intercept 0 on the same data
    _, out = validated
    data = _validation_data(validation_file)
    updated = load_fitted(out / "model-recalibrated-logistic.json")
    cal = stats.calibration(data["lm"].to_numpy(dtype=float), updated.predict_proba(data))
    assert cal.slope == pytest.approx(1.0, abs=1e-5)
    assert cal.intercept == pytest.approx(0.0, abs=1e-5)
    in_large = load_fitted(out / "model-recalibrated-in-the-large.json")
    cal = stats.calibration(data["lm"].to_numpy(dtype=float), in_large.predict_proba(data))
    assert cal.intercept == pytest.approx(0.0, abs=1e-5)


def test_validation_report_has_case_mix_and_updating_sections(validated) -> None:
    _, out = validated
    html = (out / "report.html").read_text()
    for needle in ("Case-mix", "Model updating", 'id="tripod"', "SYNTHETIC DATA", 'id="methods"'):
        assert needle in html


def test_bootstrap_intervals_are_written_as_the_stats_function_gives_them(
    validated, validation_file, tmp_path
) -> None:
    from leptodx.stats.performance_bootstrap import bootstrap_performance

    dev, _ = validated
    args = ["validate", str(validation_file), "--model", str(dev / "model.json")]
    options = ["--out", str(tmp_path), "--bootstrap", "40", "--seed", "3", "--quiet", "--no-pdf"]
    r = CliRunner().invoke(app, [*args, *options])
    assert r.exit_code == 0, r.output
    written = json.loads((tmp_path / "results.json").read_text())["bootstrap"]
    model = load_fitted(dev / "model.json")
    data = _validation_data(validation_file)
    direct = bootstrap_performance(
        data["lm"].to_numpy(float), model.linear_predictor(data), n_boot=40, random_state=3
    )
    assert written["lower"] == direct.lower and written["upper"] == direct.upper
    assert written["replicates"] == {"requested": 40, "failed": 0, "seed": 3}
