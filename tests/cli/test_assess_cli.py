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
        "rule_status",
        "rule_risk",
        "rule_text",
        "inputs",
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
    # (41 / 18.016) / 5.6 = 0.40638…, reported to the ratio's 3 significant digits
    assert out["csf"]["glucose_ratio"]["value"] == 0.406
    assert {"warnings", "sources", "software_version"} <= set(out)


@pytest.mark.parametrize(
    ("example", "level"),
    [
        ("confirmed_type_ib.yaml", "confirmed"),
        ("probable_type_iia.json", "probable"),
        ("possible_type_iid_reconstructed.json", "possible"),
        ("lack_of_evidence.json", "lack_of_evidence"),
        ("out_of_scope_haematological.json", None),
        ("not_classifiable_no_known_cancer.json", None),
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
    assert "Probable leptomeningeal metastasis — type IIA" in result.output
    assert "Verified rule" in result.output
    assert "Decision support, not a diagnosis" in result.output


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_text_output_of_every_example_reads_as_prose(example: str, assert_readable) -> None:
    result = run("assess", str(EXAMPLES / example))
    assert result.exit_code == 0, result.output
    assert_readable(result.output)


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
            r"csf\.protein\.value: got '-3 g/L'; expected a plausible value between 0 and",
        ),
        ({**BASE, "age_years": 230}, r"age_years: got 230; expected less than or equal to 120"),
        (
            {k: v for k, v in BASE.items() if k != "known_cancer"},
            r"known_cancer: got None; expected a value: this field is required",
        ),
        # strict contract (finding 12): no coercion of text or numbers, a boolean is not a number
        ({**BASE, "known_cancer": "yes"}, r"known_cancer: got 'yes'; expected true or false"),
        ({**BASE, "known_cancer": 1}, r"known_cancer: got 1; expected true or false"),
        ({**BASE, "age_years": "58"}, r"age_years: got '58'; expected a number \(a JSON number"),
        (
            {**BASE, "csf": {"protein": {"value": True, "unit": "g/L"}}},
            r"csf\.protein\.value: got True; expected a number",
        ),
        ({**BASE, "csf": {"lp_number": 2.0}}, r"csf\.lp_number: got 2\.0; expected a whole number"),
        (
            {**BASE, "primary_tumour": "brest"},
            r"primary_tumour: got 'brest'; expected one of: breast, lung",
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
    assert set(schema["required"]) == {"known_cancer"}


def _choices(node: dict) -> dict[str, str]:
    options = next(branch["oneOf"] for branch in node.get("anyOf", [node]) if "oneOf" in branch)
    return {o["const"]: o["title"] for o in options}


def test_schema_lists_the_allowed_codes_with_their_labels() -> None:
    """Finding 12: primary_tumour and symptoms are fixed lists, published as such."""
    from leptodx.domain.patient import PRIMARY_TUMOURS
    from leptodx.reference.symptoms import SYMPTOMS

    props = json.loads(run("schema").output)["properties"]
    primaries = _choices(props["primary_tumour"])
    assert list(primaries) == list(PRIMARY_TUMOURS)
    assert primaries["unknown_primary"] == "cancer of unknown primary"
    symptoms = _choices(props["symptoms"]["items"])
    assert list(symptoms) == list(SYMPTOMS) and symptoms["nausea_vomiting"] == "nausea and vomiting"
    assert _choices(props["mri"])["D-normal"].startswith("type D, equivocal or no leptomeningeal")
    assert props["known_cancer"] == {"title": "Known Cancer", "type": "boolean"}
