"""The JSON every CLI command prints stays byte-identical to the committed golden files.

The golden files were written from the code before the typed-result refactor (issue 16); a
change of the JSON contract is deliberate only when these files change in the same commit.
Regenerate with ``LEPTODX_UPDATE_GOLDEN=1 pytest tests/cli/test_json_golden.py`` and review the
diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leptodx.cli import app

ROOT = Path(__file__).parents[2]
GOLDEN = Path(__file__).parent / "golden"
ROC = "tests/reference_values/roc"
MODELS = "tests/reference_values/models/models.csv"
SURV = "tests/reference_values/survival"
COHORT = "tests/cli/golden/cohort.csv"
LEVEL = ["--outcome", "y"]

CASES: dict[str, list[str]] = {
    "stats-roc-single": ["stats", "roc", f"{ROC}/continuous.csv", *LEVEL, "--score", "s1"],
    "stats-roc-paired": [
        "stats", "roc", f"{ROC}/ties_small.csv", *LEVEL, "--score", "s1", "--score", "s2",
        "--level", "0.9",
    ],
    "stats-roc-unpaired": [
        "stats", "roc", f"{ROC}/sample_a.csv", *LEVEL, "--score", "s1",
        "--unpaired", f"{ROC}/sample_b.csv",
    ],
    "stats-dca": ["stats", "dca", MODELS, *LEVEL, "--prob", "p"],
    "stats-dca-bootstrap": [
        "stats", "dca", MODELS, *LEVEL, "--prob", "p", "--thresholds", "0.1,0.2,0.3",
        "--bootstrap", "20", "--seed", "3",
    ],
    "stats-proportion-wilson": ["stats", "proportion", "--events", "7", "--n", "31"],
    "stats-proportion-exact": [
        "stats", "proportion", "--events", "0", "--n", "12", "--method", "exact",
    ],
    "stats-fisher": ["stats", "fisher", "--table", "12,5,3,20"],
    "stats-fisher-empty-row": ["stats", "fisher", "--table", "0,0,3,20"],
    "stats-calibration": ["stats", "calibration", MODELS, *LEVEL, "--prob", "p"],
    "stats-logistic": ["stats", "logistic", MODELS, *LEVEL, "--predictors", "x1,x2,x3"],
    "stats-logistic-firth": [
        "stats", "logistic", MODELS, *LEVEL, "--predictors", "x1,x2", "--firth",
    ],
    "stats-lasso": [
        "stats", "lasso", MODELS, *LEVEL, "--predictors", "x1,x2,x3,x4,x5,x6",
        "--foldid", "foldid", "--nlambda", "20",
    ],
    "stats-validate": [
        "stats", "validate", MODELS, *LEVEL, "--predictors", "x1,x2,x3", "--bootstrap", "20",
    ],
    "stats-survival-groups": [
        "stats", "survival", f"{SURV}/ties_small.csv", "--time", "time", "--event", "status",
        "--group", "type",
    ],
    "stats-survival-one": [
        "stats", "survival", f"{SURV}/lung.csv", "--time", "time", "--event", "event",
    ],
    "stats-cox": [
        "stats", "cox", f"{SURV}/ties_small.csv", "--time", "time", "--event", "status",
        "--covariates", "age,sex",
    ],
    "ctdna-compare": ["ctdna", "compare", "examples/ctdna/variants.csv", "--format", "json"],
    "meta-dta": [
        "meta", "dta", "examples/meta/synthetic-multitest.csv", "--format", "json",
        "--covariate", "design",
    ],
    "samplesize-develop": [
        "samplesize", "develop", "--prevalence", "0.174", "--parameters", "24", "--r2cs",
        "0.288", "--format", "json",
    ],
    "followup-show": ["followup", "show", "examples/followup/her2-breast-lm.yaml"],
    "assess-fhir": ["assess", "examples/confirmed_type_ib.yaml", "--format", "fhir"],
    "assess-json": ["assess", "examples/probable_type_iia.json", "--format", "json"],
    "csf-table": ["csf-table", COHORT, "--by", "lm", "--format", "json"],
    "cohort-check": ["cohort", "check", COHORT, "--format", "json"],
    "compare-models": [
        "compare-models", COHORT, "--spec", "gao-a", "--eano-esmo", "--bootstrap", "10",
        "--format", "json",
    ],
}  # fmt: skip

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_STAMP = re.compile(r'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))"')


def _stable(text: str) -> str:
    """Number the run's UUIDs in order of appearance; the run's timestamps become NOW."""
    ids: dict[str, str] = {}
    text = _UUID.sub(lambda m: ids.setdefault(m.group(), f"uuid-{len(ids) + 1}"), text)
    return _STAMP.sub('"NOW"', text)


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_json_is_byte_identical_to_golden(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # relative paths: the JSON does not depend on the checkout's path
    result = CliRunner().invoke(app, CASES[name])
    assert result.exit_code in (0, 1), result.output
    golden = GOLDEN / f"{name}.json"
    output = _stable(result.stdout) if name.endswith("-fhir") else result.stdout
    if os.environ.get("LEPTODX_UPDATE_GOLDEN"):
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8")
