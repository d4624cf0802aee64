"""``leptodx batch assess`` / ``batch score`` in this process: rows reconciled, messages as
``leptodx assess`` prints them, both engines equal, outputs written atomically."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from leptodx.batch import jobs
from leptodx.cli import app
from leptodx.cohort.io import write_table
from leptodx.cohort.synthetic import synthetic_cohort

runner = CliRunner()

VALID = {
    "patient_id": "a",
    "known_cancer": True,
    "clinical_signs": "typical",
    "mri": "A",
    "cytology": "negative",
    "csf": {"protein": {"value": 98, "unit": "mg/dL"}, "leukocytes": {"value": 12, "unit": "/µL"}},
}
BAD_LINES = {
    1: '{"known_cancer": "yes"}',  # not a boolean
    2: "",  # blank line
    3: '{"known_cancer": true, "mri": "E"}',  # unknown category
    4: '{"known_cancer": true, "csf": {"protein": {"value": 98, "unit": "mg/kg"}}}',
    5: '{"known_cancer": true, "serum": {"albumin": {"value": 4.1, "unit": "g/L"}}}',  # impossible
    6: "{not json",
    7: '{"known_cancer": true, "sexe": "female"}',
    8: "[1, 2]",
}


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def assess_message(tmp_path: Path, line: str) -> str:
    """What ``leptodx assess`` prints for the record on one line."""
    path = tmp_path / "one.json"
    path.write_text(line)
    result = invoke("assess", str(path))
    assert result.exit_code == 2
    return result.output.strip().removeprefix("error: ").replace("\n", " ")


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    lines = [json.dumps(VALID)] + [BAD_LINES[i] for i in sorted(BAD_LINES)] + [json.dumps(VALID)]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_every_row_is_written_or_refused_with_the_assess_message(jsonl: Path, tmp_path) -> None:
    out = tmp_path / "out.parquet"
    result = invoke("batch", "assess", str(jsonl), "--out", str(out), "--partition-rows", "3")
    assert result.exit_code == 0, result.output
    table = pq.read_table(out).to_pandas()
    errors = pd.read_csv(tmp_path / "out.errors.csv", keep_default_na=False)
    assert table["row"].tolist() == [0, 9]
    assert errors["row"].tolist() == sorted(BAD_LINES)
    assert "rows in: 10 = 2 written" in result.output and "8 refused" in result.output
    for row, field, message in errors.itertuples(index=False):
        line = BAD_LINES[row]
        if row in (2, 6, 8):  # not a JSON object: assess reports the file, batch the line
            assert field == "(input)"
            assert ("valid JSON" if row != 8 else "a JSON/YAML object") in message
            continue
        assert message == assess_message(tmp_path, line)
    assert errors.loc[errors["row"] == 5, "message"].item().endswith("(was it 4.1 g/dL?)")


def test_an_assessed_row_carries_the_assess_result_and_provenance(jsonl, tmp_path) -> None:
    out = tmp_path / "out.parquet"
    assert invoke("batch", "assess", str(jsonl), "--out", str(out), "--quiet").exit_code == 0
    row = pq.read_table(out).to_pylist()[0]
    path = tmp_path / "valid.json"
    path.write_text(json.dumps(VALID))
    single = json.loads(invoke("assess", str(path), "--format", "json").output)
    ee = single["eano_esmo"]
    assert (row["outcome"], row["level"], row["type"]) == (ee["outcome"], ee["level"], ee["type"])
    assert (row["rule_status"], row["rule_risk"]) == (ee["rule_status"], ee["rule_risk"])
    protein = next(a for a in single["csf"]["analytes"] if a["name"] == "protein")
    assert row["csf_protein_status"] == protein["status"] == "high"
    assert row["csf_protein_value"] == protein["canonical_value"] == 980.0
    assert row["patient_id"] == "a" and row["profile"] == "S1-2020"
    assert row["software_version"] == single["software_version"]
    meta = json.loads(pq.read_schema(out).metadata[b"leptodx"])
    assert meta["ruleset_version"] == ee["ruleset_version"]


def test_both_engines_give_the_same_file(jsonl: Path, tmp_path) -> None:
    for engine in ("columnar", "per-record"):
        args = ("--out", str(tmp_path / f"{engine}.parquet"), "--engine", engine, "--quiet")
        assert invoke("batch", "assess", str(jsonl), *args).exit_code == 0
    assert_same_tables(tmp_path / "columnar.parquet", tmp_path / "per-record.parquet")
    for engine in ("columnar", "per-record"):
        errors = (tmp_path / f"{engine}.errors.csv").read_text()
        assert errors == (tmp_path / "columnar.errors.csv").read_text()


def assert_same_tables(a: Path, b: Path) -> None:
    left, right = pq.read_table(a), pq.read_table(b)
    assert left.schema.equals(right.schema)
    assert left.to_pylist() == right.to_pylist()


MAPPING = """
fields:
  known_cancer: {column: Cancer, categories: {ja: 1, nein: 0}}
  mri: {column: MRI, categories: {D: D-normal}}
  cytology: Cytology
  primary_tumour: Primary
  clinical_signs: Signs
  age_years: Age
  csf_protein: {column: Protein, unit: mg/dL}
  csf_albumin: {column: AlbCSF, unit_column: AlbUnit}
  serum_albumin: {column: AlbSerum, unit: g/L}
"""


@pytest.fixture
def cohort(tmp_path: Path) -> tuple[Path, Path]:
    frame = pd.DataFrame(
        {
            "MRN": ["m1", "m2", "m3", "m4", "m5", "m6", "m7"],
            "Cancer": ["ja", "nein", "ja", "vielleicht", "ja", "ja", None],
            "MRI": ["A", "D", "B", "A", "E", None, "A"],
            "Cytology": ["negative", "negative", "positive", "negative", "negative", None, "x"],
            "Primary": ["breast", None, "lymphoma", "lung", "lung", "lung", "lung"],
            "Signs": ["typical", "other", None, "typical", "typical", "normal", "typical"],
            "Age": [58, 71, "abc", 40, 130, 16, 50],
            "Protein": [98.0, 40.0, None, 55.0, 60.0, 45.0, 45.0],
            "AlbCSF": [520.0, 300.0, 350.0, 200.0, 200.0, 15.0, 10.0],
            "AlbUnit": ["mg/L", "mg/L", "g/L", "mg/L", "mg/L", "mg/dL", "mg/L"],
            "AlbSerum": [38.0, 40.0, 35.0, 40.0, 40.0, 42.0, 40.0],
        }
    )
    path = tmp_path / "cohort.csv"
    frame.to_csv(path, index=False)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING)
    return path, mapping


def test_a_mapped_cohort_file_is_assessed_with_both_engines_alike(cohort, tmp_path) -> None:
    path, mapping = cohort
    for engine in ("columnar", "per-record"):
        args = ("--map", str(mapping), "--id", "MRN", "--engine", engine, "--quiet")
        result = invoke(
            "batch", "assess", str(path), "--out", str(tmp_path / f"{engine}.parquet"), *args
        )
        assert result.exit_code == 0, result.output
    assert_same_tables(tmp_path / "columnar.parquet", tmp_path / "per-record.parquet")
    rows = pq.read_table(tmp_path / "columnar.parquet").to_pylist()
    errors = pd.read_csv(tmp_path / "columnar.errors.csv")
    assert [r["patient_id"] for r in rows] == ["m1", "m2", "m6"]
    assert errors["row"].tolist() == [2, 3, 4, 6]
    by_row = dict(zip(errors["row"], errors["message"], strict=True))
    assert by_row[2].startswith("age_years: got 'abc'")
    assert by_row[3].startswith("known_cancer: got 'vielleicht'")
    assert by_row[4].startswith("age_years: got 130.0")  # the first problem, as assess reports it
    assert by_row[6].startswith("known_cancer: got None; expected a value")
    first, second, third = rows
    assert first["csf_protein_value"] == 980.0 and first["csf_protein_status"] == "high"
    assert second["type"] is None and second["decision_cell"] == "EE-4 row 9"  # no known cancer
    assert third["qalb"] == round(150.0 / 42.0, 2) and third["csf_albumin_value"] == 150.0


def test_a_failed_job_leaves_no_partial_output(jsonl: Path, tmp_path, monkeypatch) -> None:
    out = tmp_path / "out.parquet"
    out.write_bytes(b"previous result")
    calls = {"n": 0}
    real = jobs.assess_partition

    def fail_on_second(part, settings):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker lost")
        return real(part, settings)

    monkeypatch.setattr(jobs, "assess_partition", fail_on_second)
    result = invoke(
        "batch", "assess", str(jsonl), "--out", str(out), "--partition-rows", "2", "--workers", "1"
    )
    assert result.exit_code != 0
    assert out.read_bytes() == b"previous result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet", "records.jsonl"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--profile", "S2"), "profile: got 'S2'"),
        (("--engine", "gpu"), "--engine: got 'gpu'"),
    ],
)
def test_bad_options_are_refused_before_any_row_is_read(jsonl, tmp_path, args, needle) -> None:
    result = invoke("batch", "assess", str(jsonl), "--out", str(tmp_path / "o.parquet"), *args)
    assert result.exit_code == 2 and needle in result.output
    assert not (tmp_path / "o.parquet").exists()


def test_output_must_be_parquet_and_input_must_exist(jsonl, tmp_path) -> None:
    result = invoke("batch", "assess", str(jsonl), "--out", str(tmp_path / "o.csv"))
    assert result.exit_code == 2 and "ending in .parquet" in result.output
    result = invoke(
        "batch", "assess", str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "o.parquet")
    )
    assert result.exit_code == 2 and "INPUT" in result.output


@pytest.fixture
def model_file(tmp_path: Path, site_x_model) -> Path:
    path = tmp_path / "model.json"
    site_x_model.save(path)
    return path


def test_scores_equal_assess_model_and_refusals_carry_its_message(model_file, tmp_path) -> None:
    records = [
        {"patient_id": "p1", "active_brain_metastasis": 1, "csf_protein": 0.8},
        {"active_brain_metastasis": 0, "csf_protein": {"value": 120, "unit": "mg/dL"}},
        {"active_brain_metastasis": 1},
        {"active_brain_metastasis": 1, "csf_protein": {"value": 1, "unit": "mg/kg"}},
        {"active_brain_metastasis": 1, "csf_protein": 9.0},  # outside the training range
    ]
    path = tmp_path / "predictors.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records))
    for engine in ("columnar", "per-record"):
        args = ("--model", str(model_file), "--out", str(tmp_path / f"{engine}.parquet"))
        result = invoke("batch", "score", str(path), *args, "--engine", engine)
        assert result.exit_code == 0, result.output
    assert_same_tables(tmp_path / "columnar.parquet", tmp_path / "per-record.parquet")
    rows = pq.read_table(tmp_path / "columnar.parquet").to_pylist()
    assert [r["row"] for r in rows] == [0, 1, 4]
    for row in rows:
        single = tmp_path / "one.json"
        single.write_text(json.dumps(records[row["row"]]))
        case = tmp_path / "case.json"
        case.write_text(json.dumps({"known_cancer": True}))
        expected = json.loads(
            invoke(
                "assess",
                str(case),
                "--format",
                "json",
                "--model",
                str(model_file),
                "--predictors",
                str(single),
            ).output
        )["model_risk"]
        assert row["probability"] == expected["probability"]
        assert row["linear_predictor"] == expected["linear_predictor"]
        for c in expected["contributions"]:
            assert row[f"contribution_{c['predictor']}"] == c["contribution"]
            assert row[f"value_{c['predictor']}"] == c["value"]
        assert row["outside_training_protein"] is bool(expected["warnings"])
    errors = pd.read_csv(tmp_path / "columnar.errors.csv")
    assert errors["row"].tolist() == [2, 3]
    assert errors["message"][0] == "csf_protein: got None; expected a value for predictor 'protein'"
    assert errors["field"][1] == "csf_protein.unit"


def test_a_cohort_file_is_scored_as_develop_reads_it(model_file, tmp_path) -> None:
    frame = synthetic_cohort(300, seed=4)
    path = tmp_path / "cohort.parquet"
    write_table(frame, path)
    for engine in ("columnar", "per-record"):
        out = tmp_path / f"{engine}.parquet"
        result = invoke(
            "batch",
            "score",
            str(path),
            "--model",
            str(model_file),
            "--out",
            str(out),
            "--engine",
            engine,
        )
        assert result.exit_code == 0, result.output
    assert_same_tables(tmp_path / "columnar.parquet", tmp_path / "per-record.parquet")
    rows = pq.read_table(tmp_path / "columnar.parquet").to_pandas()
    errors = pd.read_csv(tmp_path / "columnar.errors.csv")
    assert len(rows) + len(errors) == 300
    assert set(errors["row"]) == set(frame.index[frame["csf_protein"].isna()])
    first = frame.loc[rows["row"][0]]
    grams = first["csf_protein"] / (1000.0 if first["csf_protein_unit"] == "mg/L" else 100.0)
    lp = -1.0 + 0.5 * first["active_brain_metastasis"] + 2.0 * grams
    assert math.isclose(rows["linear_predictor"][0], lp, rel_tol=1e-12)


def test_parts_make_a_directory_that_reads_back_as_the_same_table(jsonl, tmp_path) -> None:
    single, parts = tmp_path / "single.parquet", tmp_path / "parts.parquet"
    parts.write_text("an old file in the way")
    common = ("--partition-rows", "3", "--quiet")
    assert invoke("batch", "assess", str(jsonl), "--out", str(single), *common).exit_code == 0
    result = invoke("batch", "assess", str(jsonl), "--out", str(parts), "--parts", *common)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in parts.iterdir()) == [
        "_common_metadata",
        "part-000000000000.parquet",
        "part-000000000003.parquet",
        "part-000000000006.parquet",
        "part-000000000009.parquet",
    ]
    assert pq.read_table(parts).to_pylist() == pq.read_table(single).to_pylist()
    errors = (tmp_path / "parts.errors.csv").read_text()
    assert errors == (tmp_path / "single.errors.csv").read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_failed_parts_job_leaves_the_old_output(jsonl, tmp_path, monkeypatch) -> None:
    out = tmp_path / "out.parquet"
    out.write_bytes(b"previous result")
    real = jobs.assess_partition

    def fail_late(part, settings):
        if part.first_row >= 6:
            raise RuntimeError("worker lost")
        return real(part, settings)

    monkeypatch.setattr(jobs, "assess_partition", fail_late)
    args = ("--out", str(out), "--parts", "--partition-rows", "3", "--workers", "1")
    assert invoke("batch", "assess", str(jsonl), *args).exit_code != 0
    assert out.read_bytes() == b"previous result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet", "records.jsonl"]
