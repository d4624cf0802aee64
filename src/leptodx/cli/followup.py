"""``leptodx followup``: a patient's follow-up file → response history, timeline figure, report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leptodx.cli._app import App
from leptodx.cli._output import emit_json
from leptodx.cli.assess_run import load_input
from leptodx.followup.events import parse_timeline
from leptodx.followup.summary import summarise_followup
from leptodx.reference.response import DEFAULT_RESPONSE_PROFILE

followup_app = App(
    help="Follow-up: treatment timeline, CSF/ctDNA trends, RANO/LANO response history."
)


@followup_app.command("show")
def show_command(
    file: Annotated[Path, typer.Argument(help="Follow-up events (JSON or YAML).")],
    profile: Annotated[
        str, typer.Option(help="Response profile (measurable-nodule boundary).")
    ] = DEFAULT_RESPONSE_PROFILE,
) -> None:
    """Events in date order, response history with the changes between visits, trends (JSON)."""
    emit_json(summarise_followup(parse_timeline(load_input(file)), profile=profile).to_dict())


@followup_app.command("report")
def report_command(
    file: Annotated[Path, typer.Argument(help="Follow-up events (JSON or YAML).")],
    out: Annotated[Path, typer.Option(help="Output directory.")],
    profile: Annotated[str, typer.Option(help="Response profile.")] = DEFAULT_RESPONSE_PROFILE,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write a PDF.")] = True,
) -> None:
    """Timeline figure (PNG + SVG) and an HTML/PDF follow-up report."""
    from leptodx.reports.followup import write_followup_report

    paths = write_followup_report(parse_timeline(load_input(file)), out, profile=profile, pdf=pdf)
    for kind, path in paths.items():
        typer.echo(f"{kind}: {path}")
