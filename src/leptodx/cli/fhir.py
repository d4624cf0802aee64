"""``leptodx fhir``: pull from a FHIR server, templates, code systems, bundle checks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leptodx.cli._app import App
from leptodx.cli._output import emit_json
from leptodx.cli.assess_run import Format, emit_assessment, load_input, model_risk
from leptodx.errors import InputError
from leptodx.interop.fhir import (
    assess_input,
    bundle_problems,
    codesystem_resources,
    findings_bundle,
    is_fhir,
)
from leptodx.interop.fhir.client import as_resources, pull_resources
from leptodx.reference.csf import DEFAULT_PROFILE

fhir_app = App(help="FHIR R4: pull a patient from a server, templates, code systems, checks.")


@fhir_app.command("pull")
def pull_command(
    server: Annotated[str, typer.Option(help="FHIR R4 base URL, e.g. https://ehr/fhir.")],
    patient: Annotated[str, typer.Option(help="Patient resource id on the server.")],
    token: Annotated[
        str | None, typer.Option(envvar="LEPTODX_FHIR_TOKEN", help="Bearer token (or env var).")
    ] = None,
    format: Annotated[
        Format, typer.Option("--format", help="text, json or fhir (an R4 Bundle).")
    ] = Format.TEXT,
    profile: Annotated[str, typer.Option(help="CSF reference-limit profile.")] = DEFAULT_PROFILE,
    model: Annotated[
        Path | None, typer.Option(help="A fitted-model file (with --predictors).")
    ] = None,
    predictors: Annotated[Path | None, typer.Option(help="Predictor values (JSON/YAML).")] = None,
    save: Annotated[
        Path | None, typer.Option(help="Also write the resources read as a Bundle to this file.")
    ] = None,
) -> None:
    """Read the patient's findings from a FHIR server, then assess them."""
    if not server.startswith(("http://", "https://")):
        raise InputError("--server", server, "an http(s) URL of a FHIR R4 base")
    resources = as_resources(pull_resources(server, patient, token=token))
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }
    result = assess_input(bundle, profile=profile, ignore_unknown=True)
    if save is not None:
        import json

        save.write_text(json.dumps(bundle, indent=2), encoding="utf-8")
    emit_assessment(result, format, risk=model_risk(model, predictors))


@fhir_app.command("template")
def template_command(
    file: Annotated[Path, typer.Argument(help="Patient findings (JSON or YAML).")],
) -> None:
    """The FHIR resources LeptoDx reads, built from an input-contract file (for EHR interfaces)."""
    data = load_input(file)
    if is_fhir(data):
        raise InputError("FILE", str(file), "an input-contract record (this is already FHIR)")
    emit_json(findings_bundle(data))


@fhir_app.command("codesystems")
def codesystems_command() -> None:
    """LeptoDx's local code systems as FHIR CodeSystem resources (a Bundle)."""
    emit_json(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"fullUrl": cs["url"], "resource": cs} for cs in codesystem_resources()],
        }
    )


@fhir_app.command("check")
def check_command(
    file: Annotated[Path, typer.Argument(help="A FHIR R4 Bundle written by LeptoDx.")],
) -> None:
    """Check a LeptoDx assessment Bundle against R4 (structure, value sets, provenance)."""
    data = load_input(file)
    problems = bundle_problems(data) if isinstance(data, dict) else ["not a Bundle"]
    for p in problems:
        typer.echo(p, err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"{file}: valid ({len(data.get('entry', []))} resources)")
