"""``leptodx compare-models``: model refits, published scores and the EANO–ESMO level compared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from leptodx.cli.research_develop import DropOpt, FileArg, MappingOpt


def compare_models(
    file: FileArg,
    spec: Annotated[
        list[str] | None,
        typer.Option(
            "--spec", help="gao-a, gao-b, a YAML spec (refitted) or pan2018 (as published); repeat."
        ),
    ] = None,
    eano_esmo: Annotated[
        bool, typer.Option("--eano-esmo", help="Add the EANO–ESMO level as an ordinal test.")
    ] = False,
    outcome: Annotated[str, typer.Option("--outcome", help="Outcome field (1 = LM).")] = "lm",
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write results.json, report and figures here.")
    ] = None,
    n_boot: Annotated[
        int,
        typer.Option(
            "--bootstrap",
            min=0,
            help="Resamples for the refit's optimism-corrected AUC (0 = none).",
        ),
    ] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap.")] = 1,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    mapping: MappingOpt = None,
    drop_invalid: DropOpt = False,
    pdf: Annotated[
        bool, typer.Option("--pdf/--no-pdf", help="With --out: also write report.pdf.")
    ] = True,
) -> None:
    """Compare refitted models, published scores and the EANO–ESMO level on the same patients."""
    from leptodx.cli._output import emit_json
    from leptodx.errors import InputError
    from leptodx.jsonsafe import json_safe
    from leptodx.models.builtin import resolve_any
    from leptodx.research.compare_models import run_compare

    if fmt not in ("text", "json"):
        raise InputError("--format", fmt, "text or json")
    specs = [resolve_any(name) for name in (spec or [])]
    comparison = run_compare(
        file,
        specs,
        eano_esmo=eano_esmo,
        outcome=outcome,
        mapping=mapping,
        drop_invalid=drop_invalid,
        n_boot=n_boot,
        seed=seed,
    )
    if out is not None:
        from leptodx.cohort.io import write_bytes_atomic
        from leptodx.reports.document import write_report
        from leptodx.research.compare_report import compare_report

        text = json.dumps(json_safe(comparison.to_dict()), indent=2)
        write_bytes_atomic(out / "results.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))
        write_report(compare_report(comparison, out), out, pdf=pdf)
    if fmt == "json":
        emit_json(comparison.to_dict())
        return
    _print(comparison)


def _print(c) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.table import Table

    from leptodx.research.compare_report import (
        categories_table,
        cut_off_table,
        pairs_table,
        tests_table,
    )

    console = Console(highlight=False, soft_wrap=True)
    if c.cohort.synthetic:
        console.print("[bold]SYNTHETIC DATA[/bold]")
    console.print(
        f"{c.y.size} patients with every compared test, {int(c.y.sum())} with the outcome",
        markup=False,
    )
    for table in (tests_table(c), pairs_table(c), cut_off_table(c), categories_table(c)):
        if table is None:
            continue
        rich_table = Table(title=table.title)
        for column in table.columns:
            rich_table.add_column(column)
        for row in table.rows:
            rich_table.add_row(*row)
        console.print(rich_table)
    for warning in c.warnings:
        console.print(f"warning: {warning}", markup=False)
