"""``leptodx`` command line: one sub-application per area, mounted here.

Areas register their commands in their own module (``leptodx.cli.<area>``); this module only
mounts them, so adding an area is one import and one ``add_typer`` line.
"""

from __future__ import annotations

import typer

from leptodx import __version__
from leptodx.cli import (
    research,
    samplesize_validate,  # noqa: F401 - registers its command on samplesize_app
    stats_models,  # noqa: F401 - registers its commands on stats_app
    stats_roc,  # noqa: F401 - registers its commands on stats_app
    stats_survival,  # noqa: F401 - registers its commands on stats_app
)
from leptodx.cli._app import App
from leptodx.cli.assess import assess_app
from leptodx.cli.batch import batch_app
from leptodx.cli.ctdna import ctdna_app
from leptodx.cli.fhir import fhir_app
from leptodx.cli.followup import followup_app
from leptodx.cli.meta import meta_app
from leptodx.cli.samplesize import samplesize_app
from leptodx.cli.service import audit_app, db_app, service_app, tokens_app, users_app
from leptodx.cli.stats import stats_app

app = App(help="LeptoDx: leptomeningeal metastasis decision support and model research.")
app.add_typer(stats_app, name="stats")
app.add_typer(assess_app)
app.add_typer(batch_app, name="batch")
app.add_typer(ctdna_app, name="ctdna")
app.add_typer(fhir_app, name="fhir")
app.add_typer(samplesize_app, name="samplesize")
app.add_typer(followup_app, name="followup")
app.add_typer(meta_app, name="meta")
app.add_typer(service_app)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(audit_app, name="audit")
research.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"leptodx {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """LeptoDx supports clinical decisions; it never makes them."""


def main() -> None:
    """Console-script entry point."""
    app()
