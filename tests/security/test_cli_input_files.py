"""Finding 14: every command that reads a file ends with exit status 2 and a one-line message
on any bytes, any nesting depth and any size — never a traceback (property tests, Hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import leptodx.input_files as cli_input
from leptodx.cli import app
from leptodx.cohort.synthetic import synthetic_cohort

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "probable_type_iia.json"
FOLLOWUP = ROOT / "examples" / "followup" / "her2-breast-lm.yaml"
F = "{file}"
PROPERTY = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, site_x_model) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("cli-inputs")
    cohort = folder / "cohort.csv"
    synthetic_cohort(60, seed=2).to_csv(cohort, index=False)
    model = folder / "model.json"
    site_x_model.sealed().save(model)
    predictors = folder / "predictors.json"
    predictors.write_text(json.dumps({"active_brain_metastasis": 1, "csf_protein": 1.0}))
    return {"cohort": cohort, "model": model, "predictors": predictors, "out": folder / "out"}


# (command with {file} where the generated file goes, suffixes that select its parser)
JSON_COMMANDS = [
    (["assess", F], (".json", ".yaml")),
    (["assess", str(EXAMPLE), "--model", F, "--predictors", "{predictors}"], (".json",)),
    (["assess", str(EXAMPLE), "--model", "{model}", "--predictors", F], (".json", ".yaml")),
    (["fhir", "check", F], (".json",)),
    (["fhir", "template", F], (".json", ".yaml")),
    (["followup", "show", F], (".yaml", ".json")),
    (["followup", "report", F, "--out", "{out}", "--no-pdf"], (".yaml",)),
    (["validate", "{cohort}", "--model", F, "--out", "{out}", "--no-pdf", "--quiet"], (".json",)),
    (
        ["batch", "score", "{cohort}", "--model", F, "--out", "{out}/s.parquet", "--quiet"],
        (".json",),
    ),
]
TABLE = (".csv", ".tsv", ".parquet", ".xlsx")
BATCH = (".jsonl", *TABLE)
TABLE_COMMANDS = [
    (["ctdna", "compare", F], (".csv", ".tsv")),
    (["meta", "dta", F], (".csv", ".tsv")),
    (["stats", "roc", F, "--outcome", "lm", "--score", "csf_protein"], TABLE),
    (["stats", "dca", F, "--outcome", "lm", "--prob", "p"], TABLE),
    (["stats", "calibration", F, "--outcome", "lm", "--prob", "p"], TABLE),
    (["stats", "logistic", F, "--outcome", "lm", "--predictors", "a,b"], TABLE),
    (["stats", "lasso", F, "--outcome", "lm"], TABLE),
    (["stats", "validate", F, "--outcome", "lm", "--predictors", "a,b", "--bootstrap", "2"], TABLE),
    (["stats", "survival", F, "--time", "t", "--event", "e"], TABLE),
    (["stats", "cox", F, "--time", "t", "--event", "e", "--covariates", "x"], TABLE),
    (["cohort", "check", F], TABLE),
    (["cohort", "check", "{cohort}", "--mapping", F], (".yaml",)),
    (["csf-table", F, "--by", "sex"], TABLE),
    (
        [
            "develop",
            F,
            "--spec",
            "gao-a",
            "--out",
            "{out}",
            "--no-pdf",
            "--quiet",
            "--bootstrap",
            "2",
        ],
        TABLE,
    ),
    (
        [
            "develop",
            "{cohort}",
            "--spec",
            F,
            "--out",
            "{out}",
            "--no-pdf",
            "--quiet",
            "--bootstrap",
            "2",
        ],
        (".yaml",),
    ),
    (["validate", F, "--model", "{model}", "--out", "{out}", "--no-pdf", "--quiet"], TABLE),
    (["compare-models", F, "--spec", "gao-a", "--bootstrap", "0"], TABLE),
    (["compare-models", "{cohort}", "--spec", F, "--bootstrap", "0"], (".yaml",)),
    (["batch", "assess", F, "--out", "{out}/a.parquet", "--quiet"], BATCH),
    (
        ["batch", "assess", "{cohort}", "--map", F, "--out", "{out}/a.parquet", "--quiet"],
        (".yaml",),
    ),
    (["batch", "score", F, "--model", "{model}", "--out", "{out}/s.parquet", "--quiet"], BATCH),
]
COMMANDS = JSON_COMMANDS + TABLE_COMMANDS


def _invoke(command: list[str], path: Path, files: dict[str, Path]):  # type: ignore[no-untyped-def]
    args = [a.format(file=path, **{k: str(v) for k, v in files.items()}) for a in command]
    return CliRunner().invoke(app, args, catch_exceptions=True)


def _assert_clean(result, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Exit 0/1 (a result) or 2 with ``error: …``; never a traceback or a usage error."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)  # fmt: skip
    assert result.exit_code in (0, 1, 2), result.exit_code
    assert "Traceback" not in result.output and "Usage:" not in result.stderr
    if result.exit_code == 2:
        assert result.stderr.startswith("error: "), result.stderr[:300]


def _name(command: list[str]) -> str:
    return " ".join(a for a in command if not a.startswith(("{", "/")))[:60]


@pytest.mark.parametrize(("command", "suffixes"), COMMANDS, ids=[_name(c) for c, _ in COMMANDS])
def test_any_bytes_exit_cleanly(
    command: list[str], suffixes: tuple[str, ...], files: dict[str, Path], tmp_path: Path
) -> None:
    @PROPERTY
    @given(data=st.binary(max_size=2048), suffix=st.sampled_from(suffixes))
    def check(data: bytes, suffix: str) -> None:
        path = tmp_path / f"input{suffix}"
        path.write_bytes(data)
        _assert_clean(_invoke(command, path, files), path)

    check()


@pytest.mark.parametrize(("command", "suffixes"), JSON_COMMANDS, ids=[_name(c) for c, _ in JSON_COMMANDS])  # fmt: skip
def test_any_json_exits_cleanly(
    command: list[str], suffixes: tuple[str, ...], files: dict[str, Path], tmp_path: Path
) -> None:
    documents = st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
        ),
        max_leaves=20,
    )

    @PROPERTY
    @given(document=documents)
    def check(document: object) -> None:
        path = tmp_path / "input.json"
        path.write_text(json.dumps(document))
        _assert_clean(_invoke(command, path, files), path)

    check()


@pytest.mark.parametrize(("command", "suffixes"), JSON_COMMANDS, ids=[_name(c) for c, _ in JSON_COMMANDS])  # fmt: skip
def test_deep_latin1_and_oversized_files_exit_2(
    command: list[str],
    suffixes: tuple[str, ...],
    files: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"patient_id": "Müller"}'.encode("latin-1"))
    deep_yaml = tmp_path / "deep.yaml"
    deep_yaml.write_text("[" * 100_000 + "]" * 100_000)
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text('a: &a ["x", "x"]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n')
    for path in (deep, latin1, deep_yaml, bomb):
        result = _invoke(command, path, files)
        _assert_clean(result, path)
        assert result.exit_code == 2, (path.name, result.stderr)
    monkeypatch.setattr(cli_input, "MAX_DOCUMENT_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"note": "x" * 2000}))
    result = _invoke(command, big, files)
    assert result.exit_code == 2 and "at most 1,000 bytes" in result.stderr
