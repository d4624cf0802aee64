"""`validate --spec pan2018` and `compare-models`: numbers by independent oracles, errors, files."""

import json

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from statsmodels.stats.proportion import proportion_confint
from typer.testing import CliRunner

from leptodx import stats
from leptodx.cli import app
from leptodx.cohort.io import read_table
from leptodx.cohort.mapping import default_mapping
from leptodx.cohort.quality import map_cohort
from leptodx.research.csf_findings import lab_statuses

# Table 3 points through the LeptoDx mapping, written out by hand (slow oracle)
HISTORY = {1: 1, 0: 0}
CLINICAL = {"typical": 2, "other": 1, "normal": 0}
IMAGING = {"A": 4, "B": 4, "C": 4, "D-hydrocephalus": 1, "D-normal": 0}
CYTOLOGY = {"positive": 5, "equivocal": 3, "negative": 0}


def _oracle_scores(path):
    frame = read_table(path)
    data = map_cohort(frame, default_mapping(frame)).data
    lab = lab_statuses(data, None).statuses
    stage1, stage2 = [], []
    for i, row in data.reset_index(drop=True).iterrows():
        parts = [
            HISTORY.get(row["known_cancer"]),
            CLINICAL.get(row["clinical_signs"]),
            IMAGING.get(row["mri"]),
        ]
        s1 = np.nan if None in parts else float(sum(parts))
        protein, glucose = lab["protein"][i], lab["glucose"][i]
        biochemistry = None
        if protein is not None or glucose is not None:
            biochemistry = int(protein == "high" or glucose == "low")
        cytology = CYTOLOGY.get(row["cytology"])
        s2 = (
            np.nan
            if np.isnan(s1) or cytology is None or biochemistry is None
            else s1 + cytology + biochemistry
        )
        stage1.append(s1)
        stage2.append(s2)
    return data["lm"].to_numpy(float), np.array(stage1), np.array(stage2)


@pytest.fixture(scope="module")
def pan_results(development_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("pan")
    result = CliRunner().invoke(
        app,
        [
            "validate",
            str(development_file),
            "--spec",
            "pan2018",
            "--out",
            str(out),
            "--no-pdf",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    return out, json.loads((out / "results.json").read_text())


def test_pan_auc_and_cut_offs_match_independent_oracles(pan_results, development_file) -> None:
    _, results = pan_results
    y, stage1, stage2 = _oracle_scores(development_file)
    for stage, scores in ((1, stage1), (2, stage2)):
        have = ~np.isnan(scores)
        got = next(s for s in results["stages"] if s["stage"] == stage)
        assert got["n"] == int(have.sum())
        assert got["auc"] == pytest.approx(roc_auc_score(y[have], scores[have]), abs=1e-12)
        direct = stats.auc_ci(y[have], scores[have])
        assert got["auc_ci"] == pytest.approx(list(direct.ci), abs=1e-12)
        for cut in got["cut_offs"]:
            at_least = int(cut["rule"].split(">=")[1])
            positive = scores[have] >= at_least
            events = y[have] == 1
            tp, n1 = int((positive & events).sum()), int(events.sum())
            tn, n0 = int((~positive & ~events).sum()), int((~events).sum())
            assert cut["sensitivity"] == pytest.approx(tp / n1)
            assert cut["specificity"] == pytest.approx(tn / n0)
            assert cut["sensitivity_ci"] == pytest.approx(
                list(proportion_confint(tp, n1, method="wilson")), abs=1e-12
            )
            assert cut["specificity_ci"] == pytest.approx(
                list(proportion_confint(tn, n0, method="wilson")), abs=1e-12
            )
    assert [c["rule"] for s in results["stages"] for c in s["cut_offs"]] == [
        "score >= 3",
        "score >= 4",
        "score >= 5",
    ]


def test_pan_results_mark_the_mapping_reconstructed(pan_results) -> None:
    out, results = pan_results
    assert results["reconstructed"] is True
    assert results["score"]["sources"][1]["status"] == "reconstructed"
    html = (out / "report.html").read_text()
    assert "Mapping of LeptoDx inputs to the score (RECONSTRUCTED)" in html
    assert "NOT AVAILABLE" in html
    assert (out / "figures" / "decision_curve_stage2.png").exists()


def test_validate_needs_exactly_one_of_model_and_spec(development_file, tmp_path) -> None:
    runner = CliRunner()
    neither = runner.invoke(app, ["validate", str(development_file), "--out", str(tmp_path)])
    assert neither.exit_code == 2
    assert "exactly one of --model FILE or --spec pan2018" in neither.output
    unknown = runner.invoke(
        app, ["validate", str(development_file), "--out", str(tmp_path), "--spec", "gao-a"]
    )
    assert unknown.exit_code == 2
    assert "--spec: got 'gao-a'; expected a published points score: pan2018" in unknown.output


def test_develop_refuses_a_points_score(development_file, tmp_path) -> None:
    result = CliRunner().invoke(
        app, ["develop", str(development_file), "--spec", "pan2018", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "pan2018 is a published points score" in result.output


@pytest.fixture(scope="module")
def comparison(development_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp")
    result = CliRunner().invoke(
        app,
        [
            "compare-models",
            str(development_file),
            "--spec",
            "gao-b",
            "--spec",
            "pan2018",
            "--eano-esmo",
            "--bootstrap",
            "5",
            "--out",
            str(out),
            "--no-pdf",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    return out, json.loads(result.stdout)


def test_compare_models_uses_the_same_patients_and_paired_delong(
    comparison, development_file
) -> None:
    _, results = comparison
    y, _, stage2 = _oracle_scores(development_file)
    frame = read_table(development_file)
    data = map_cohort(frame, default_mapping(frame)).data.reset_index(drop=True)
    gao_b = (
        data[
            [
                "skull_metastasis",
                "active_brain_metastasis",
                "progressed_extracranial_disease",
                "n_extracranial_organs",
                "n_symptoms",
                "csf_protein",
                "csf_glucose",
            ]
        ]
        .notna()
        .all(axis=1)
        .to_numpy()
    )
    common = gao_b & ~np.isnan(stage2)
    assert results["n"] == int(common.sum())
    assert results["n_events"] == int(y[common].sum())
    names = [t["name"] for t in results["tests"]]
    assert names == ["gao-b refit", "pan2018 score", "EANO–ESMO level"]
    pan = results["tests"][1]
    assert pan["auc"] == pytest.approx(roc_auc_score(y[common], stage2[common]), abs=1e-12)
    assert len(results["comparisons"]) == 3
    pair = next(
        p
        for p in results["comparisons"]
        if p["test_1"] == "gao-b refit" and p["test_2"] == "pan2018 score"
    )
    assert pair["auc_2"] == pytest.approx(pan["auc"], abs=1e-12)
    assert 0 <= pair["p_value"] <= 1
    assert (
        sum(c["with_outcome"] + c["without_outcome"] for c in results["eano_esmo_categories"])
        == results["n"]
    )
    curves = set(results["decision_curve"]["net_benefit"])
    assert {
        "gao-b refit",
        "pan2018 ≥ 4",
        "pan2018 ≥ 5",
        "EANO–ESMO ≥ probable",
        "EANO–ESMO confirmed",
        "all",
        "none",
    } == curves


def test_compare_models_writes_one_decision_curve_figure(comparison) -> None:
    out, results = comparison
    assert (out / "figures" / "decision_curve.png").exists()
    assert "Paired DeLong tests" in (out / "report.html").read_text()
    assert results["tests"][0]["optimism_corrected_auc"] is not None


def test_compare_models_needs_two_tests(development_file) -> None:
    result = CliRunner().invoke(app, ["compare-models", str(development_file), "--spec", "gao-b"])
    assert result.exit_code == 2
    assert "at least two tests to compare" in result.output
