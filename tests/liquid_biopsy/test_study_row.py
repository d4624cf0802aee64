"""``ctdna compare --as-study``: a centre's series as a study row of a meta-analysis."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leptodx.cli import app
from leptodx.errors import InputError
from leptodx.liquid_biopsy.compare import compare_samples
from leptodx.liquid_biopsy.io import SampleType, read_variants
from leptodx.liquid_biopsy.study_row import read_diagnoses, study_row
from leptodx.meta import Study, StudyTable, analyse

ROOT = Path(__file__).parents[2]
VARIANTS = ROOT / "examples" / "ctdna" / "variants.csv"
DIAGNOSIS = ROOT / "examples" / "ctdna" / "diagnosis.csv"
runner = CliRunner()


def export(sample_type: SampleType):
    result = compare_samples(read_variants(VARIANTS))
    return study_row(result, read_diagnoses(DIAGNOSIS), name="Centre X", sample_type=sample_type)


def test_csf_detection_against_diagnosis() -> None:
    # Index CSF samples: P01-P05 and P07 detected, P06 none; LM in P01, P02, P03, P05.
    row = export(SampleType.CSF)
    s = row.study
    assert (s.tp, s.fp, s.fn, s.tn) == (4, 2, 0, 1)
    assert s.test == "CSF ctDNA"
    assert row.not_tested == ()


def test_plasma_row_leaves_out_patients_without_plasma() -> None:
    # Index plasma samples: P01, P03, P05 detected; P02, P04 (latest), P06 none; P07 has no plasma.
    row = export(SampleType.PLASMA)
    s = row.study
    assert (s.tp, s.fp, s.fn, s.tn) == (3, 0, 1, 2)
    assert row.not_tested == ("P07",)
    assert "P07" in row.warnings[0]


def test_patient_without_diagnosis_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("patient_id,lm\nP01,yes\n")
    result = compare_samples(read_variants(VARIANTS))
    with pytest.raises(InputError, match=r"--diagnosis: got 'P02, P03.*every patient"):
        study_row(result, read_diagnoses(path), name="X")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("patient_id,lm\nP01,maybe\n", r"row 2, column lm: got 'maybe'; expected yes or no"),
        ("patient_id,diagnosis\nP01,yes\n", r"column lm: got 'missing'"),
        (
            "patient_id,lm\nP01,yes\nP01,no\n",
            r"row 3, column patient_id: got 'P01'; expected each patient once",
        ),
    ],
)
def test_bad_diagnosis_file(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "d.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=match):
        read_diagnoses(path)


def test_series_without_non_diseased_patients_cannot_be_a_study(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("patient_id,lm\n" + "".join(f"P0{i},yes\n" for i in range(1, 8)))
    result = compare_samples(read_variants(VARIANTS))
    with pytest.raises(InputError, match=r"study 'X', columns fp and tn"):
        study_row(result, read_diagnoses(path), name="X")


def test_cli_prints_a_row_that_meta_dta_reads(tmp_path: Path) -> None:
    args = [
        "ctdna",
        "compare",
        str(VARIANTS),
        "--as-study",
        "Centre X",
        "--diagnosis",
        str(DIAGNOSIS),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows == [
        {"study": "Centre X", "test": "CSF ctDNA", "tp": "4", "fp": "2", "fn": "0", "tn": "1"}
    ]
    published = [Study(f"S{i}", 20 + i, 3, 4, 40 + i, test="CSF ctDNA") for i in range(3)]
    own = Study("Centre X", 4, 2, 0, 1, test="CSF ctDNA")
    assert analyse(StudyTable((*published, own))).tests[0].k == 4
    out = json.loads(
        runner.invoke(app, [*args, "--format", "json", "--sample-type", "plasma"]).stdout
    )
    assert (out["tp"], out["fp"], out["fn"], out["tn"]) == (3, 0, 1, 2)
    assert out["patients_not_tested"] == ["P07"]
    assert "supportive evidence only" in out["notice"]


def test_cli_as_study_needs_a_diagnosis_file() -> None:
    result = runner.invoke(app, ["ctdna", "compare", str(VARIANTS), "--as-study", "X"])
    assert result.exit_code == 2
    assert "--diagnosis" in result.output
