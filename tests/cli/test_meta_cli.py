"""``leptodx meta dta``: JSON contract, text, report files, exit status 1 and 2."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leptodx.cli import app

ROOT = Path(__file__).parents[2]
PUBLISHED = str(ROOT / "examples" / "meta" / "csf-ctc-published.csv")
SYNTHETIC = str(ROOT / "examples" / "meta" / "synthetic-multitest.csv")
REFERENCE = ROOT / "tests" / "reference_values" / "meta"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["meta", "dta", *args])


def test_json_output_per_test() -> None:
    result = invoke(SYNTHETIC, "--format", "json", "--covariate", "design")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["synthetic"] is True
    assert [t["test"] for t in out["tests"]] == ["CSF ctDNA", "cytology", "MRI"]
    for test in out["tests"]:
        assert {
            "test",
            "k",
            "sensitivity",
            "specificity",
            "tau2_sensitivity",
            "tau2_fpr",
            "rho",
            "dor",
            "lr_positive",
            "lr_negative",
            "auc_sroc",
            "converged",
        } <= set(test)
    assert out["comparison_by_test"]["reference"] == "CSF ctDNA"
    assert len(out["comparison_by_covariate"]["by_test"]) == 3


def test_text_output_reads_like_a_summary() -> None:
    result = invoke(PUBLISHED)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "CSF CTC: 3 studies, 58 with and 117 without the condition" in text
    assert "Sensitivity" in text and "95 % CI" in text
    assert "not identifiable" in text  # ρ with zero between-study variances
    for python_value in ("None", "True", "False", "nan", "{'"):
        assert python_value not in text


def test_bad_count_exits_2_naming_study_and_column(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("study,tp,fp,fn,tn\nA,5,1,1,9\nB,5,-2,1,9\nC,4,1,1,9\n")
    result = invoke(str(path))
    assert result.exit_code == 2
    assert "study 'B' (row 3), column fp: got '-2'" in result.output
    assert "Traceback" not in result.output


def test_too_few_studies_exits_2_offering_univariate(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("study,tp,fp,fn,tn\nA,5,1,1,9\nB,6,2,1,9\n")
    result = invoke(str(path))
    assert result.exit_code == 2
    assert "--method univariate" in result.output
    ok = invoke(str(path), "--method", "univariate", "--format", "json")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["tests"][0]["converged"] is True


def test_non_convergence_exits_1_and_prints_no_estimate() -> None:
    result = invoke(
        str(REFERENCE / "perfect_sensitivity.csv"), "--method", "glmm", "--format", "json"
    )
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["tests"][0]["converged"] is False
    assert out["tests"][0]["sensitivity"] is None
    assert "not converged: index test" in result.stderr
    text = invoke(str(REFERENCE / "perfect_sensitivity.csv"), "--method", "glmm")
    assert "did not converge" in text.stdout and "no pooled estimate" in text.stdout


def test_correction_control_none_with_zero_cells_exits_2() -> None:
    result = invoke(PUBLISHED, "--correction-control", "none")
    assert result.exit_code == 2
    assert "study 'Neurology 2013 (rare-cell capture)', column fn: got 0" in result.output


def test_report_writes_html_pdf_figures_and_json(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = invoke(SYNTHETIC, "--report", str(out), "--covariate", "year")
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text()
    assert "SYNTHETIC DATA" in html
    assert "Comparison of index tests" in html and "Meta-regression on year" in html
    for key in ("forest-csf-ctdna", "sroc-cytology", "sroc-tests"):
        assert f'id="fig-{key}"' in html
        assert (out / "figures" / f"{key}.svg").is_file()
    assert json.loads((out / "meta-analysis.json").read_text())["tests"][0]["test"] == "CSF ctDNA"
    assert (out / "report.pdf").read_bytes()[:4] == b"%PDF"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Diagnostic-accuracy meta-analysis" in text


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_published_example_report_lists_where_counts_come_from(tmp_path: Path, fmt: str) -> None:
    result = invoke(PUBLISHED, "--report", str(tmp_path), "--no-pdf", "--format", fmt)
    assert result.exit_code == 0, result.output
    html = (tmp_path / "report.html").read_text()
    assert "where the counts come from" in html
    assert "DERIVED from VERIFIED abstract" in html
    assert not (tmp_path / "report.pdf").exists()
