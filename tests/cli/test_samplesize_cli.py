"""`leptodx samplesize develop|validate`: JSON contract, readable text, errors naming options."""

import json

import pytest
from typer.testing import CliRunner

from leptodx.cli import app


def _run(*args):
    return CliRunner().invoke(app, ["samplesize", *map(str, args)])


def test_develop_json_has_exactly_the_documented_fields() -> None:
    result = _run(
        "develop", "--prevalence", 0.174, "--parameters", 24, "--r2cs", 0.288, "--format", "json"
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {"sample_size", "events", "epp", "shrinkage", "criteria"}
    assert payload["sample_size"] == 662
    assert [set(c) for c in payload["criteria"]] == [{"criterion", "sample_size", "shrinkage"}] * 3
    assert [c["sample_size"] for c in payload["criteria"]] == [623, 662, 221]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            [
                "--rate",
                0.065,
                "--timepoint",
                2,
                "--meanfup",
                2.07,
                "--parameters",
                30,
                "--r2cs",
                0.051,
            ],
            5143,
        ),
        (["--r2", 0.2, "--intercept", 1.9, "--sd", 0.6, "--parameters", 25], 918),
    ],
)
def test_outcome_type_follows_the_options_given(args, expected) -> None:
    result = _run("develop", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["sample_size"] == expected


def test_text_output_is_for_people() -> None:
    result = _run("develop", "--prevalence", 0.174, "--parameters", 24, "--r2cs", 0.288)
    assert result.exit_code == 0
    assert "Minimum sample size: 662 patients" in result.output
    assert "events per candidate parameter 4.80" in result.output
    for noise in ("None", "True", "False", "{", "0.90520369"):
        assert noise not in result.output


def test_validate_json_lists_every_criterion_and_the_final_size() -> None:
    result = _run(
        "validate",
        "--prevalence",
        0.018,
        "--cstatistic",
        0.8,
        "--lp-normal",
        -5,
        2.5,
        "--oe-ci-width",
        1,
        "--threshold",
        0.08,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [(c["criterion"], c["sample_size"]) for c in payload["criteria"]] == [
        ("O/E", 905),
        ("calibration slope", 4563),
        ("C-statistic", 4252),
        ("standardised net benefit", 11397),
    ]
    assert payload["sample_size"] == 11397
    assert payload["driving_criterion"] == "standardised net benefit"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["develop", "--prevalence", 1.0, "--parameters", 5, "--r2cs", 0.1],
            "--prevalence: got 1.0; expected an outcome proportion strictly between 0 and 1",
        ),
        (["develop", "--prevalence", 0, "--parameters", 5, "--r2cs", 0.1], "--prevalence: got 0.0"),
        (
            ["develop", "--prevalence", 0.1, "--parameters", 5, "--r2cs", 0.6],
            "--r2cs: got R²cs 0.6; expected a value above 0 and below its maximum 0.4780",
        ),
        (
            ["develop", "--prevalence", 0.1, "--parameters", 5, "--r2nagelkerke", 1.5],
            "--r2nagelkerke: got 1.5",
        ),
        (
            ["develop", "--prevalence", 0.1, "--parameters", 5, "--cstatistic", 0.5],
            "--cstatistic: got 0.5; expected a C-statistic above 0.5",
        ),
        (["develop", "--prevalence", 0.1, "--parameters", 5], "--r2cs/--r2nagelkerke/--cstatistic"),
        (
            ["develop", "--prevalence", 0.1, "--rate", 0.1, "--parameters", 5, "--r2cs", 0.1],
            "--prevalence",
        ),
        (
            ["develop", "--rate", 0.1, "--parameters", 5, "--r2cs", 0.1],
            "--timepoint: got None; expected a value",
        ),
        (
            ["validate", "--prevalence", 0.1, "--cstatistic", 0.45, "--lp-normal", -2, 1],
            "--cstatistic: got 0.45",
        ),
        (
            ["validate", "--prevalence", 0.1, "--cstatistic", 0.7],
            "--lp-normal/--lp-beta/--lp-cstat",
        ),
        (
            ["validate", "--prevalence", 1.1, "--cstatistic", 0.7, "--lp-beta", 1, 2],
            "--prevalence: got 1.1",
        ),
    ],
)
def test_impossible_inputs_end_with_a_message_naming_the_option(args, message) -> None:
    result = _run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
