"""``leptodx --version`` and ``leptodx assess FILE`` run without Typer (leptodx.cli.fast), with
exactly the Typer command's results: same stdout, stderr and exit status; anything the fast
parser does not fully understand goes to Typer (issue 16, CLI start-up)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from leptodx.cli import app, fast

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
EXAMPLE = str(EXAMPLES / "probable_type_iia.json")
TYPER = "import sys; from leptodx.cli.root import app; sys.argv[0] = 'leptodx'; app()"


def _assess_command() -> Any:
    return typer.main.get_command(app).get_command(None, "assess")  # type: ignore[attr-defined]


def test_the_fast_parser_knows_exactly_the_typer_commands_options() -> None:
    options = {
        opt: param
        for param in _assess_command().params
        for opt in (*param.opts, *param.secondary_opts)
        if opt.startswith("--")
    }
    assert set(options) - {"--help"} == {*fast.VALUE_OPTIONS, *fast.FLAGS}
    positional = [
        p for p in _assess_command().params if not getattr(p, "opts", ["-"])[0].startswith("-")
    ]
    assert [p.name for p in positional] == ["file"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["f.json"], fast.AssessCall(Path("f.json"))),
        (["f.json", "--format", "json"], fast.AssessCall(Path("f.json"), format="json")),
        (["--format=fhir", "f.json"], fast.AssessCall(Path("f.json"), format="fhir")),
        (
            ["f.json", "--format", "json", "--format", "text"],  # the last one wins, as in Click
            fast.AssessCall(Path("f.json"), format="text"),
        ),
        (["f.json", "--profile", "x"], fast.AssessCall(Path("f.json"), profile="x")),
        (
            ["f.json", "--strict-codes", "--ignore-unknown", "--strict-codes"],
            fast.AssessCall(Path("f.json"), ignore_unknown=False),
        ),
        (
            ["f.json", "--model", "m.json", "--predictors=p.yaml"],
            fast.AssessCall(Path("f.json"), model=Path("m.json"), predictors=Path("p.yaml")),
        ),
    ],
)
def test_understood_command_lines(args: list[str], expected: fast.AssessCall) -> None:
    assert fast.parse_assess(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["f.json", "--help"],
        ["f.json", "-h"],
        ["f.json", "g.json"],
        ["f.json", "--format"],
        ["f.json", "--format", "JSON"],
        ["f.json", "--format", "xml"],
        ["f.json", "--formt", "json"],
        ["f.json", "--profile", "--format"],
        ["f.json", "--strict-codes=yes"],
        ["--", "f.json"],
    ],
)
def test_anything_else_goes_to_typer(args: list[str]) -> None:
    assert fast.parse_assess(args) is None
    assert fast.run(["assess", *args]) is None


def test_other_commands_and_root_options_go_to_typer() -> None:
    assert fast.run([]) is None
    assert fast.run(["--help"]) is None
    assert fast.run(["--version", "assess"]) is None
    assert fast.run(["schema"]) is None


def _stable(text: str) -> str:
    """Output without what differs between two runs by design (FHIR ids and timestamps)."""
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", text)
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)", "<time>", text)


def _both(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], ...]:
    """The command line run by ``python -m leptodx`` (fast path) and by the Typer app."""
    return tuple(
        subprocess.run([*prefix, *args], cwd=cwd, capture_output=True, text=True)
        for prefix in ([sys.executable, "-m", "leptodx"], [sys.executable, "-c", TYPER])
    )


@pytest.fixture
def files(tmp_path: Path, site_x_model: Any) -> dict[str, str]:
    bad = tmp_path / "bad.json"
    bad.write_text('{"known_cancer": "yes"}')
    broken = tmp_path / "broken.json"
    broken.write_text('{"known_cancer": tru')
    model = tmp_path / "model.json"
    site_x_model.sealed().save(model)
    predictors = tmp_path / "p.json"
    predictors.write_text(
        json.dumps({"active_brain_metastasis": 1, "csf_protein": {"value": 0.5, "unit": "g/L"}})
    )
    return {"bad": str(bad), "broken": str(broken), "model": str(model), "p": str(predictors)}


def _lines(files: dict[str, str]) -> list[list[str]]:
    lines: list[list[str]] = []
    for example in sorted(EXAMPLES.glob("*.*")):
        for fmt in ("text", "json", "fhir"):
            lines.append(["assess", str(example), "--format", fmt])
    return [
        *lines,
        ["assess", EXAMPLE],
        ["assess", EXAMPLE, "--format=json", "--profile", "no-such-profile"],
        ["assess", EXAMPLE, "--model", files["model"], "--predictors", files["p"]],
        ["assess", EXAMPLE, "--model", files["model"]],
        ["assess", files["bad"]],
        ["assess", files["broken"], "--format", "json"],
        ["assess", "no/such/file.json"],
        ["--version"],
    ]


def test_fast_and_typer_runs_print_the_same(files: dict[str, str], tmp_path: Path) -> None:
    lines = _lines(files)
    statuses = {}
    for line in lines:
        assert line == ["--version"] or fast.parse_assess(line[1:]) is not None, line
        quick, typer_run = _both(line, tmp_path)
        statuses[tuple(line)] = quick.returncode
        assert quick.returncode == typer_run.returncode, (line, quick.stderr, typer_run.stderr)
        assert _stable(quick.stdout) == _stable(typer_run.stdout), line
        assert quick.stderr == typer_run.stderr, line
    bad_input = [statuses[tuple(line)] for line in lines[-4:-1]]
    assert bad_input == [2, 2, 2]  # bad value, broken JSON, missing file: exit status 2


def test_what_goes_to_typer_still_gets_typers_help_and_errors(tmp_path: Path) -> None:
    helped = subprocess.run(
        [sys.executable, "-m", "leptodx", "assess", "--help"], capture_output=True, text=True
    )
    assert helped.returncode == 0 and "--strict-codes" in helped.stdout
    wrong = subprocess.run(
        [sys.executable, "-m", "leptodx", "assess", EXAMPLE, "--format", "xml"],
        capture_output=True,
        text=True,
    )
    assert wrong.returncode == 2 and "xml" in wrong.stderr and "Traceback" not in wrong.stderr


def _csf_table_command() -> Any:
    return typer.main.get_command(app).get_command(None, "csf-table")  # type: ignore[attr-defined]


def test_the_fast_parser_knows_exactly_the_csf_table_options() -> None:
    params = _csf_table_command().params
    options = {opt for param in params for opt in (*param.opts, *param.secondary_opts)}
    expected = {*fast.CSF_TABLE_VALUE_OPTIONS, *fast.CSF_TABLE_FLAGS}
    assert {opt for opt in options if opt.startswith("--")} - {"--help"} == expected
    assert [p.name for p in params if not p.opts[0].startswith("-")] == ["file"]
    defaults = {p.name: p.default for p in params}
    call = fast.parse_csf_table(["f.parquet", "--by", "lm"])
    assert call == fast.CsfTableCall(Path("f.parquet"), "lm")
    assert (call.drop_invalid, call.pdf, call.format) == (
        defaults["drop_invalid"],
        defaults["pdf"],
        defaults["fmt"],
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["f.parquet", "--by=lm"], fast.CsfTableCall(Path("f.parquet"), "lm")),
        (
            ["--by", "sex", "f.csv", "--format", "json", "--no-pdf", "--out", "r"],
            fast.CsfTableCall(Path("f.csv"), "sex", out=Path("r"), format="json", pdf=False),
        ),
        (
            ["f.csv", "--by", "lm", "--no-pdf", "--pdf", "--drop-invalid", "--mapping", "m.yaml"],
            fast.CsfTableCall(Path("f.csv"), "lm", mapping=Path("m.yaml"), drop_invalid=True),
        ),
        (
            ["f.csv", "--by", "lm", "--by", "sex", "--profile", "Holub-2007"],
            fast.CsfTableCall(Path("f.csv"), "sex", profile="Holub-2007"),
        ),
    ],
)
def test_understood_csf_table_lines(args: list[str], expected: fast.CsfTableCall) -> None:
    assert fast.parse_csf_table(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        ["f.csv"],  # --by is required: Typer says so
        ["f.csv", "--by"],
        ["f.csv", "--by", "lm", "--format", "xml"],
        ["f.csv", "--by", "lm", "--pdf=no"],
        ["f.csv", "g.csv", "--by", "lm"],
        ["f.csv", "--by", "lm", "--help"],
        ["f.csv", "--by", "lm", "--drop"],
    ],
)
def test_other_csf_table_lines_go_to_typer(args: list[str]) -> None:
    assert fast.parse_csf_table(args) is None
    assert fast.run(["csf-table", *args]) is None


def test_csf_table_fast_and_typer_runs_print_the_same(tmp_path: Path) -> None:
    from leptodx.cohort.io import write_table
    from leptodx.cohort.synthetic import synthetic_cohort

    cohort = tmp_path / "c.parquet"
    frame = synthetic_cohort(300, seed=4)
    write_table(frame, cohort)
    invalid = tmp_path / "invalid.csv"
    frame.loc[3, "age_years"] = 250.0  # out of the plausible range: the row is invalid
    write_table(frame, invalid)
    lines = [
        ["csf-table", str(cohort), "--by", "lm", "--format", "json"],
        ["csf-table", str(cohort), "--by", "lm"],
        ["csf-table", str(cohort), "--by", "sex", "--profile", "Holub-2007", "--format=json"],
        ["csf-table", str(invalid), "--by", "lm", "--format", "json"],
        ["csf-table", str(invalid), "--by", "lm", "--format", "json", "--drop-invalid"],
        ["csf-table", str(cohort), "--by", "no_such_column"],
        ["csf-table", str(cohort), "--by", "lm", "--profile", "no-such-profile"],
        ["csf-table", str(tmp_path / "absent.parquet"), "--by", "lm"],
    ]
    statuses = []
    for line in lines:
        assert fast.parse_csf_table(line[1:]) is not None, line
        quick, typer_run = _both(line, tmp_path)
        statuses.append(quick.returncode)
        assert quick.returncode == typer_run.returncode, (line, quick.stderr, typer_run.stderr)
        assert quick.stdout == typer_run.stdout, line
        assert quick.stderr == typer_run.stderr, line
    assert statuses == [0, 0, 0, 2, 0, 2, 2, 2]
    assert "Traceback" not in "".join(_both(lines[-1], tmp_path)[0].stderr)
