"""Start-up cost of the CLI: ``--version`` and ``assess FILE`` import no heavy library, and
``csf-table --format json`` neither Rich, the report engine, SciPy nor Typer, ``assess FILE``
neither Typer nor pydantic (issue 16).

The module list from ``python -X importtime`` is the real guard (independent of machine load);
the CPU-time bound is generous (≈ 5× what a loaded 2-core machine needs) and only catches a
return of the eager imports (≈ 1.2 s CPU before).
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leptodx.cli import COMMANDS, app

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "probable_type_iia.json"

HEAVY = (
    "numpy",
    "pandas",
    "pyarrow",
    "scipy",
    "numba",
    "statsmodels",
    "sklearn",
    "matplotlib",
    "weasyprint",
    "jinja2",
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "httpx",
    "dask",
    "fhir",
    "glmnet",
    "lifelines",
)
NOT_FOR_VERSION = (*HEAVY, "pydantic", "rich", "yaml", "typer")


def _run(*args: str) -> tuple[set[str], float]:
    """Top-level packages the command imported, and its CPU seconds."""
    modules, cpu = _modules(*args)
    return {m.split(".")[0] for m in modules}, cpu


def _modules(*args: str) -> tuple[set[str], float]:
    """Every module the command imported, and its CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "leptodx", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    modules = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", done.stderr, re.M)
    assert modules, done.stderr[-500:]
    return set(modules), cpu


def test_version_imports_no_library() -> None:
    packages, cpu = _run("--version")
    assert not packages & set(NOT_FOR_VERSION)
    assert cpu < 1.0


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_assess_one_file_imports_no_heavy_library(fmt: str) -> None:
    modules, cpu = _modules("assess", str(EXAMPLE), "--format", fmt)
    assert not {m.split(".")[0] for m in modules} & set(HEAVY)
    # the command line is parsed without building the Typer application (leptodx.cli.fast)
    assert not any(m == "typer" or m.startswith("typer.") for m in modules)
    # ≈ 200 modules (text) and ≈ 135 (JSON, no Rich) now; one more library shows up here
    assert len(modules) < 250
    assert ("rich.console" in modules) is (fmt == "text")
    assert cpu < 2.0


@pytest.mark.parametrize("fmt", ["json", "text"])
@pytest.mark.parametrize("example", ["probable_type_iia.json", "confirmed_type_ib.yaml"])
def test_assess_imports_no_pydantic(example: str, fmt: str) -> None:
    """The input contract is checked by its own validator (``leptodx.domain.contract``):
    pydantic (≈ 0.2 s CPU to import, ≈ 0.05 s to build the models) stays off the path."""
    modules, _ = _modules("assess", str(ROOT / "examples" / example), "--format", fmt)
    assert not {m for m in modules if m.split(".")[0] in {"pydantic", "pydantic_core"}}


def test_csf_table_json_imports_neither_rich_nor_the_report_engine(tmp_path: Path) -> None:
    from leptodx.cohort.io import write_table
    from leptodx.cohort.synthetic import synthetic_cohort

    path = tmp_path / "cohort.parquet"
    write_table(synthetic_cohort(200, seed=3), path)
    modules, _ = _modules("csf-table", str(path), "--by", "lm", "--format", "json")
    packages = {m.split(".")[0] for m in modules}
    assert not packages & {"rich", "matplotlib", "jinja2", "weasyprint", "statsmodels"}
    assert not any(m.startswith("leptodx.reports") for m in modules)
    # Fisher and χ² come from leptodx.stats.contingency, not scipy.stats (≈ 0.6–1.6 s to import)
    assert not any(m == "scipy.stats" or m.startswith("scipy.stats.") for m in modules)
    # two groups: Fisher and Wilson need no SciPy; the command line no Typer; no --mapping, no
    # pydantic (the mapping file schema is read only when a mapping is given)
    assert not packages & {"scipy", "typer", "click", "pydantic"}


@pytest.mark.parametrize(("by", "fmt"), [("lm", "text"), ("primary_tumour", "json")])
def test_csf_table_text_and_chi_square_paths_import_no_scipy_stats(
    tmp_path: Path, by: str, fmt: str
) -> None:
    """Text output (Rich) and more than two groups (Pearson χ²) do not bring scipy.stats back."""
    from leptodx.cohort.io import write_table
    from leptodx.cohort.synthetic import synthetic_cohort

    path = tmp_path / "cohort.parquet"
    write_table(synthetic_cohort(200, seed=3), path)
    modules, _ = _modules("csf-table", str(path), "--by", by, "--format", fmt)
    assert "leptodx.stats.contingency" in modules
    assert not any(m == "scipy.stats" or m.startswith("scipy.stats.") for m in modules)


def test_help_lists_every_command_once_in_registry_order() -> None:
    result = CliRunner().invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    listed = re.findall(r"^│ (\S+)\s{2,}", result.output, re.M)
    commands = [name for name in listed if not name.startswith("-")]
    assert commands == list(COMMANDS)


def _all_commands(group: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    names = getattr(group, "list_commands", lambda ctx: [])(None)
    paths = [path] if path else []
    for name in names:
        paths += _all_commands(group.get_command(None, name), (*path, name))  # type: ignore[attr-defined]
    return paths


def test_no_help_shows_a_bool_placeholder() -> None:
    """Flags take no value: ``--pdf/--no-pdf`` or ``--firth``, never ``--firth <bool>``."""
    import typer

    paths = _all_commands(typer.main.get_command(app))
    assert len(paths) > 40
    for path in [(), *paths]:
        result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
        assert result.exit_code == 0, (path, result.output)
        assert "<bool>" not in result.output, path
        assert "--help" in result.output
