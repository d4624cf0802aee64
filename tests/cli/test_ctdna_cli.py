"""``leptodx ctdna compare``: JSON contract, text output and bad input (exit status 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leptodx.cli import app

ROOT = Path(__file__).parents[2]
EXAMPLE = str(ROOT / "examples" / "ctdna" / "variants.csv")
REF = json.loads(
    (
        ROOT / "tests" / "reference_values" / "liquid_biopsy" / "liquid_biopsy_reference.json"
    ).read_text()
)
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["ctdna", "compare", *args])


def test_json_contract() -> None:
    result = invoke(EXAMPLE, "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) >= {"patients", "cohort", "sources", "warnings", "notice"}
    p01 = next(p for p in out["patients"] if p["patient_id"] == "P01")
    for key in ("csf_only", "plasma_only", "shared"):
        assert isinstance(p01[key], list)
    assert {k: p01["shared"][0][k] for k in ("gene", "variant", "vaf_csf", "vaf_plasma")} == {
        "gene": "EGFR",
        "variant": "p.L858R",
        "vaf_csf": 0.41,
        "vaf_plasma": 0.02,
    }
    cohort = out["cohort"]
    assert cohort["detection_rate_csf"]["estimate"] == pytest.approx(6 / 7)
    assert cohort["detection_rate_csf"]["ci"] == pytest.approx(REF["rates"][0]["wilson"])
    assert cohort["detection_rate_plasma"]["ci"] == pytest.approx(REF["rates"][1]["wilson"])
    assert cohort["mcnemar_p"] == pytest.approx(REF["mcnemar"][0]["exact_p"])
    labels = {m["label"] for p in out["patients"] for m in p["actionable"]}
    assert labels == {"for tumour-board discussion"}
    kras = [m for p in out["patients"] for m in p["actionable"] if m["entry"] == "KRAS G12C"]
    assert kras[0]["cns_lm_evidence"] == "no CNS/LM evidence in the reference pack"
    assert kras[0]["evidence_status"] == "not_available"
    assert any("CLIA" in w for w in out["warnings"])
    assert "supportive evidence only" in out["notice"]
    assert "does not recommend" in out["notice"]
    assert {s["key"] for s in out["sources"]} >= {"NL-LM-2020", "deBernardi-ed"}
    assert "Wijaya" not in result.output


def test_unpaired_patient_has_null_sets() -> None:
    out = json.loads(invoke(EXAMPLE, "--format", "json").output)
    p07 = next(p for p in out["patients"] if p["patient_id"] == "P07")
    assert p07["csf_only"] is None and p07["paired"] is False
    assert p07["unpaired_alterations"][0]["variant"] == "p.H1047R"


def test_text_output() -> None:
    result = invoke(EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "CSF detection rate: 6/7" in result.output
    assert "for tumour-board discussion" in result.output
    assert "[NL-LM-2020]" in result.output


def test_map_option(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text(
        "pid,fluid,date,gene,hgvs,AF\nP1,CSF,2026-01-01,EGFR,L858R,0.2\n"
        "P1,plasma,2026-01-01,EGFR,p.Leu858Arg,0.01\n"
    )
    result = invoke(
        str(path),
        "--format",
        "json",
        "--map",
        "patient_id=pid",
        "--map",
        "sample_type=fluid",
        "--map",
        "sample_date=date",
        "--map",
        "variant=hgvs",
        "--map",
        "vaf=AF",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["patients"][0]["shared"][0]["variant"] == "p.L858R"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("P1,serum,2026-01-01,EGFR,L858R,0.2\n", "sample_type (row 2): got 'serum'"),
        ("P1,CSF,2026-01-01,EGFR,L858R,42\n", "vaf (row 2): got '42'"),
        ("P1,CSF,2026-01-01,EGFR,Leu858,0.2\n", "variant (row 2): got 'Leu858'"),
    ],
)
def test_bad_input_exits_2_with_one_message(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "v.csv"
    path.write_text("patient_id,sample_type,sample_date,gene,variant,vaf\n" + body)
    result = invoke(str(path), "--format", "json")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_map_and_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text(
        "patient_id,sample_type,sample_date,gene,variant\nP1,CSF,2026-01-01,EGFR,L858R\n"
    )
    result = invoke(str(path))
    assert result.exit_code == 2 and "column vaf" in result.output
    result = invoke(str(path), "--map", "vaf")
    assert result.exit_code == 2 and "--map: got 'vaf'" in result.output


def test_level_option_and_bad_level() -> None:
    result = invoke(EXAMPLE, "--level", "0.9")
    assert result.exit_code == 0 and "90% CI" in result.output
    assert invoke(EXAMPLE, "--level", "1.5").exit_code == 2
