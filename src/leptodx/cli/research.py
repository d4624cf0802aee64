"""Research workflow commands: ``synth``, ``cohort check``, ``develop``, ``validate``, ``csf-table``,
``compare-models``.

Commands are attached to the root application by :func:`register`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leptodx.cli._app import App
from leptodx.cli._output import OutputFormat as Format
from leptodx.cli._output import emit_json

cohort_app = App(help="Cohort files: column/unit mapping and data-quality checks.")


def synth(
    n: Annotated[int, typer.Option("--n", min=1, help="Number of synthetic patients.")] = 500,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same cohort).")] = 1,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Output file: .parquet, .csv, .tsv or .xlsx.")
    ] = Path("synthetic-cohort.parquet"),
) -> None:
    """Write a SYNTHETIC LM-suspicion cohort (simulation assumptions, not patients)."""
    from leptodx.cohort.io import write_table
    from leptodx.cohort.synthetic import SYNTHETIC_NOTICE, synthetic_cohort

    frame = synthetic_cohort(n, seed=seed)
    write_table(frame, output)
    from rich.console import Console

    Console(stderr=True, highlight=False).print(
        f"wrote {n} rows to {output}\n{SYNTHETIC_NOTICE}", markup=False
    )


@cohort_app.command("check")
def check(
    file: Annotated[Path, typer.Argument(help="Cohort file (CSV, TSV, Parquet, Excel).")],
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="YAML mapping of columns and units.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.TEXT,
) -> None:
    """Data-quality report per mapped column; exit status 1 when some rows are invalid."""
    from leptodx.cohort.io import is_synthetic, read_table
    from leptodx.cohort.mapping import default_mapping, load_mapping
    from leptodx.cohort.quality import map_cohort

    frame = read_table(file)
    spec = load_mapping(mapping) if mapping is not None else default_mapping(frame)
    mapped = map_cohort(frame, spec)
    report = mapped.report()
    report["file"] = str(file)
    report["synthetic"] = is_synthetic(frame)
    if fmt is Format.JSON:
        emit_json(report)
    else:
        _print_report(report)
    if report["n_invalid_rows"]:
        raise typer.Exit(1)


def _print_report(report: dict[str, object]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    if report["synthetic"]:
        console.print("[bold]SYNTHETIC DATA[/bold]")
    table = Table(title=f"Data quality: {report['file']} ({report['n_rows']} rows)")
    for name in ("field", "column", "type", "unit", "missing", "problems"):
        table.add_column(name)
    columns = report["columns"]
    assert isinstance(columns, list)
    for col in columns:
        problems = "; ".join(
            f"{p['kind']} ×{p['count']} (rows {', '.join(map(str, p['rows'][:8]))}"
            f"{'…' if p['count'] > 8 else ''}): {p['detail']}"
            for p in col["problems"]
        )
        table.add_row(
            col["field"],
            col["column"],
            f"{col['kind']} ({col['dtype']})",
            col["canonical_unit"] or "",
            str(col["missing"]),
            problems or "ok",
        )
    console.print(table)
    console.print(
        f"invalid rows: {report['n_invalid_rows']} "
        "(never dropped silently; fix the file or use --drop-invalid)"
    )


def _register(app: App) -> None:
    """Attach the research commands to :data:`research_app` (mounted by the root)."""
    from leptodx.cli.research_compare import compare_models
    from leptodx.cli.research_develop import csf_table, develop, validate

    app.command("synth")(synth)
    app.command("develop")(develop)
    app.command("validate")(validate)
    app.command("csf-table")(csf_table)
    app.command("compare-models")(compare_models)


research_app = App()
_register(research_app)
