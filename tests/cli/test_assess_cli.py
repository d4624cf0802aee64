"""``leptodx assess``: the JSON contract on the shipped examples and every bad-input case."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leptodx.cli import app

EXAMPLES = Path(__file__).parents[2] / "examples"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def write(tmp_path: Path, data: dict | str, name: str = "p.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


BASE = {"known_cancer": True, "clinical_signs": "typical", "mri": "A", "cytology": "negative"}


def test_run_example_prints_the_json_contract() -> None:
    result = run("assess", str(EXAMPLES / "probable_type_iia.json"), "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    ee = out["eano_esmo"]
    for key in (
        "applicable",
        "level",
        "type",
        "guideline",
        "rationale",
        "reconstructed",
        "next_steps",
    ):
        assert key in ee
    assert (ee["level"], ee["type"]) == ("probable", "IIA")
    analyte = out["csf"]["analytes"][0]
    assert set(analyte) >= {
        "name",
        "value",
        "unit",
        "canonical_value",
        "canonical_unit",
        "limit",
        "status",
        "source",
    }
    assert set(out["csf"]["qalb"]) >= {"value", "limit", "barrier_dysfunction"}
    assert out["csf"]["glucose_ratio"]["value"] == pytest.approx((41 / 18.016) / 5.6)
    assert {"warnings", "sources", "software_version"} <= set(out)


@pytest.mark.parametrize(
    ("example", "level"),
    [
        ("confirmed_type_ib.yaml", "confirmed"),
        ("probable_type_iia.json", "probable"),
        ("possible_type_iid_reconstructed.json", "possible"),
        ("lack_of_evidence.json", "lack_of_evidence"),
        ("out_of_scope_haematological.json", None),
        ("incomplete_mri_not_done.json", None),
    ],
)
def test_examples_cover_each_level(example: str, level: str | None) -> None:
    result = run("assess", str(EXAMPLES / example), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["eano_esmo"]["level"] == level


def test_text_output_is_a_readable_panel_with_the_notice() -> None:
    result = run("assess", str(EXAMPLES / "probable_type_iia.json"))
    assert result.exit_code == 0
    assert "Probable LM" in result.output and "Decision support, not a diagnosis" in result.output


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {**BASE, "cytology": "positiv"},
            r"cytology: got 'positiv'; expected 'positive', 'equivocal'",
        ),
        (
            {**BASE, "csf": {"protein": {"value": 3, "unit": "mg/kg"}}},
            r"csf\.protein\.unit: got 'mg/kg'; expected a mass concentration unit: one of g/L, mg/L",
        ),
        (
            {**BASE, "csf": {"protein": {"value": -3, "unit": "g/L"}}},
            r"csf\.protein\.value: got '-3\.0 g/L'; expected a plausible value between 0 and",
        ),
        ({**BASE, "age_years": 230}, r"age_years: got 230; expected less than or equal to 120"),
        (
            {k: v for k, v in BASE.items() if k != "mri"},
            r"mri: got None; expected a value: this field is required",
        ),
        ({**BASE, "cytolgy": "negative"}, r"cytolgy: got 'negative'; expected no such field"),
    ],
)
def test_bad_input_exits_2_with_one_clear_message(tmp_path: Path, data: dict, message: str) -> None:
    result = run("assess", write(tmp_path, data), "--format", "json")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert re.search(message, result.stderr), result.stderr


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    result = run("assess", write(tmp_path, '{"known_cancer": true,, }'))
    assert result.exit_code == 2
    assert "valid JSON (line 1, column 23" in result.stderr


def test_unknown_profile_exits_2(tmp_path: Path) -> None:
    result = run("assess", write(tmp_path, BASE), "--profile", "nope")
    assert result.exit_code == 2 and "S1-2020" in result.stderr


def test_schema_publishes_the_required_fields() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert set(schema["required"]) == {"known_cancer", "clinical_signs", "mri", "cytology"}
