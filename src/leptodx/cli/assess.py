"""``leptodx assess``, ``leptodx schema`` and ``leptodx profiles``: one patient from a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leptodx.cli._app import App
from leptodx.cli._output import emit_json
from leptodx.cli.assess_run import Format, run_assess
from leptodx.reference.csf import DEFAULT_PROFILE, PROFILES

assess_app = App()


@assess_app.command("assess")
def assess_command(
    file: Annotated[
        Path, typer.Argument(help="Patient findings (JSON or YAML), or a FHIR R4 Bundle.")
    ],
    format: Annotated[
        Format, typer.Option("--format", help="text, json or fhir (an R4 Bundle).")
    ] = Format.TEXT,
    profile: Annotated[str, typer.Option(help="CSF reference-limit profile.")] = DEFAULT_PROFILE,
    ignore_unknown: Annotated[
        bool,
        typer.Option(
            "--ignore-unknown/--strict-codes",
            help="FHIR input: list Observations with codes LeptoDx does not read as ignored "
            "(default), or refuse them (--strict-codes, for interface testing).",
        ),
    ] = True,
    model: Annotated[
        Path | None, typer.Option(help="A fitted-model file: adds the model risk.")
    ] = None,
    predictors: Annotated[
        Path | None,
        typer.Option(help="JSON/YAML with the model's predictor values (with --model)."),
    ] = None,
) -> None:
    """EANO–ESMO level and type, CSF interpretation and next steps for one patient."""
    run_assess(
        file,
        format,
        profile=profile,
        ignore_unknown=ignore_unknown,
        model=model,
        predictors=predictors,
    )


@assess_app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the input contract (allowed codes with their labels)."""
    from leptodx.presentation.schema import input_schema

    emit_json(input_schema())


@assess_app.command("profiles")
def profiles_command() -> None:
    """List the CSF reference-limit profiles (the default is marked)."""
    from rich.console import Console
    from rich.table import Table

    table = Table("profile", "description")
    for name, prof in PROFILES.items():
        table.add_row(name + (" (default)" if name == DEFAULT_PROFILE else ""), prof.description)
    Console().print(table)
