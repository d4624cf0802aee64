"""Plain option values converted without pydantic give Typer's own values and messages
(``leptodx.cli._params``, issue 16): each call runs once with and once without it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import leptodx.cli.root
from leptodx.cli import _app, app

ROOT = Path(__file__).parents[2]
EXAMPLE = str(ROOT / "examples" / "probable_type_iia.json")

CALLS = [
    ["assess", EXAMPLE, "--format", "json"],
    ["assess", EXAMPLE, "--format", "JSON"],  # not a choice (case-sensitive)
    ["assess", EXAMPLE, "--format", "xml"],
    ["assess", EXAMPLE, "--profile", "no-such-profile"],
    ["assess", str(ROOT / "no-such-file.json")],
    ["assess", ""],
    ["assess", EXAMPLE, "--model", str(ROOT / "examples"), "--format", "json"],
    [
        "samplesize",
        "develop",
        "--parameters",
        "many",
        "--prevalence",
        "0.3",
        "--c-statistic",
        "0.8",
    ],
    ["samplesize", "develop", "--parameters", "5", "--prevalence", "0.3", "--c-statistic", "0.8"],
    ["synth", "--n", "0"],
    ["synth", "--n", "1e3"],
]


@pytest.mark.parametrize("args", CALLS, ids=lambda a: " ".join(a[:1] + a[2:])[:60])
def test_direct_conversion_gives_typers_result(
    args: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(leptodx.cli.root, "_loaded", {})  # commands built afresh for each run
    direct = CliRunner().invoke(app, args)
    monkeypatch.setattr(leptodx.cli.root, "_loaded", {})
    monkeypatch.setattr(_app, "install", lambda params: params)
    typer_own = CliRunner().invoke(app, args)
    assert "typer._adapters" in sys.modules  # Typer's pydantic conversion did run
    assert (direct.exit_code, direct.stdout, direct.stderr) == (
        typer_own.exit_code,
        typer_own.stdout,
        typer_own.stderr,
    )
    assert not isinstance(direct.exception, AttributeError | TypeError)
