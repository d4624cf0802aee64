"""``leptodx stats roc | dca | proportion | fisher``: JSON contract and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from leptodx.cli import app
from leptodx.stats import auc_ci, compare_auc, decision_curve

REF_DIR = Path(__file__).parents[1] / "reference_values" / "roc"
DATA = str(REF_DIR / "ties_small.csv")
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["stats", *args])


def test_roc_with_two_scores_reports_each_auc_and_the_paired_comparison() -> None:
    result = invoke(
        "roc", DATA, "--outcome", "y", "--score", "s1", "--score", "s2", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    d = pd.read_csv(DATA)
    assert (out["n"], out["n_events"]) == (len(d), int(d.y.sum()))
    assert out["scores"][0]["auc"] == pytest.approx(auc_ci(d.y, d.s1).auc)
    assert out["scores"][1]["ci"] == pytest.approx(list(auc_ci(d.y, d.s2).ci))
    assert out["comparison"]["p_value"] == pytest.approx(compare_auc(d.y, d.s1, d.s2).p_value)
    assert set(out["comparison"]) >= {"difference", "ci", "z", "p_value"}


def test_roc_unpaired_compares_two_files() -> None:
    result = invoke(
        "roc",
        str(REF_DIR / "sample_a.csv"),
        "--outcome",
        "y",
        "--score",
        "s1",
        "--unpaired",
        str(REF_DIR / "sample_b.csv"),
    )
    assert result.exit_code == 0, result.output
    ref = json.loads((REF_DIR / "roc_reference.json").read_text())["unpaired"]
    assert json.loads(result.output)["comparison"]["p_value"] == pytest.approx(ref["p"], rel=1e-8)


def test_dca_reports_net_benefit_and_interventions_avoided(tmp_path: Path) -> None:
    d = pd.read_csv(REF_DIR / "continuous.csv")
    d["p"] = 1 / (1 + 2.718281828 ** (-(d.s1 - 1.5)))
    path = tmp_path / "d.csv"
    d.to_csv(path, index=False)
    result = invoke(
        "dca", str(path), "--outcome", "y", "--prob", "p", "--thresholds", "0.05:0.5:0.05"
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert len(out["thresholds"]) == 10 and out["thresholds"][-1] == pytest.approx(0.5)
    expected = decision_curve(d.y, {"p": d.p}, out["thresholds"])
    assert out["net_benefit"]["p"] == pytest.approx(list(expected.net_benefit["p"]))
    assert set(out["net_benefit"]) == {"p", "all", "none"}
    assert out["interventions_avoided_per_100"]["p"] == pytest.approx(
        list(expected.interventions_avoided_per_100["p"])
    )


def test_proportion_and_fisher_commands() -> None:
    out = json.loads(invoke("proportion", "--events", "7", "--n", "31").output)
    assert out["ci"][0] < 7 / 31 < out["ci"][1]
    fisher = json.loads(invoke("fisher", "--table", "12,5,3,20").output)
    ref = json.loads((REF_DIR / "roc_reference.json").read_text())["tables"][0]
    assert fisher["fisher_p_value"] == pytest.approx(ref["fisher_p"], rel=1e-8)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["roc", DATA, "--outcome", "yy", "--score", "s1"],
            "--outcome: got 'yy'; expected a column",
        ),
        (["roc", DATA, "--outcome", "s1", "--score", "s2"], "0/1 coding, 1 = event"),
        (["dca", DATA, "--outcome", "y", "--prob", "s1"], "outside [0, 1]"),
        (
            ["dca", DATA, "--outcome", "y", "--prob", "y", "--thresholds", "a:b"],
            "--thresholds: got 'a:b'",
        ),
        (["fisher", "--table", "1,2,3"], "--table: got '1,2,3'"),
        (["proportion", "--events", "9", "--n", "4"], "0 ≤ events ≤ n"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
