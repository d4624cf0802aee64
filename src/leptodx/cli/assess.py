"""``leptodx assess``, ``leptodx schema`` and ``leptodx profiles``: one patient from a file."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table

from leptodx.cli._app import App
from leptodx.cli._output import emit_json
from leptodx.domain.patient import PatientInput
from leptodx.errors import InputError
from leptodx.interop.fhir import assess_input, assessment_bundle, is_fhir
from leptodx.reference.csf import DEFAULT_PROFILE, PROFILES

assess_app = App()


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"
    FHIR = "fhir"


def load_input(path: Path) -> Any:
    """Read one patient record (or FHIR resources) from a JSON or YAML file."""
    if not path.is_file():
        raise InputError("FILE", str(path), "an existing JSON or YAML file")
    text = path.read_text(encoding="utf-8")
    try:
        data = (
            yaml.safe_load(text) if path.suffix.lower() in {".yaml", ".yml"} else json.loads(text)
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            "FILE", str(path), f"valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError("FILE", str(path), f"valid YAML ({exc})") from None
    if not isinstance(data, dict) and not is_fhir(data):
        raise InputError(
            "FILE", str(path), "a JSON/YAML object with the input fields, or a FHIR R4 Bundle"
        )
    return data


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
            "--ignore-unknown", help="FHIR input: list Observations with unknown codes as ignored."
        ),
    ] = False,
    model: Annotated[
        Path | None, typer.Option(help="A fitted-model file: adds the model risk.")
    ] = None,
    predictors: Annotated[
        Path | None,
        typer.Option(help="JSON/YAML with the model's predictor values (with --model)."),
    ] = None,
) -> None:
    """EANO–ESMO level and type, CSF interpretation and next steps for one patient."""
    emit_assessment(
        assess_input(load_input(file), profile=profile, ignore_unknown=ignore_unknown),
        format,
        risk=model_risk(model, predictors),
    )


def model_risk(model: Path | None, predictors: Path | None) -> dict[str, Any] | None:
    """The fitted model's prediction for the predictor file (both options or neither)."""
    if model is None and predictors is None:
        return None
    if model is None or predictors is None:
        raise InputError("--model/--predictors", str(model or predictors), "both options together")
    from leptodx.models.fitted import load_fitted

    return load_fitted(model).predict(load_input(predictors)).to_dict()


def emit_assessment(result: dict[str, Any], format: Format, *, risk: dict[str, Any] | None) -> None:
    """Print an assessment as text, the JSON contract or a FHIR R4 Bundle."""
    if risk is not None:
        result["model_risk"] = risk
    if format is Format.FHIR:
        subject = None
        if result.get("fhir_import") and result.get("patient_id"):
            subject = f"Patient/{result['patient_id']}"
        emit_json(assessment_bundle(result, subject=subject, prediction=risk))
    elif format is Format.JSON:
        emit_json(result)
    else:
        Console(soft_wrap=False).print(render_text(result))


@assess_app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the input contract."""
    emit_json(PatientInput.model_json_schema())


@assess_app.command("profiles")
def profiles_command() -> None:
    """List the CSF reference-limit profiles (the default is marked)."""
    table = Table("profile", "description")
    for name, prof in PROFILES.items():
        table.add_row(name + (" (default)" if name == DEFAULT_PROFILE else ""), prof.description)
    Console().print(table)


_LEVEL_WORDS = {
    "confirmed": "Confirmed LM",
    "probable": "Probable LM",
    "possible": "Possible LM",
    "lack_of_evidence": "Lack of evidence for LM",
}


def render_text(result: dict[str, Any]) -> Panel:
    """A readable Rich panel of the JSON contract."""
    ee = result["eano_esmo"]
    if ee["level"]:
        head = f"[bold]{_LEVEL_WORDS[ee['level']]}[/bold]" + (
            f" — type {ee['type']}" if ee["type"] else ""
        )
    else:
        head = (
            f"[bold]No EANO–ESMO level[/bold] ({ee['outcome'].replace('_', ' ')}): {ee['reason']}"
        )
    if ee["reconstructed"]:
        head += f"\n[yellow]Reconstructed rule: {', '.join(ee['reconstructed_cells'])}[/yellow]"
    parts: list[Any] = [head, "", "[bold]Rationale[/bold]", *(f"• {r}" for r in ee["rationale"])]
    if ee["next_steps"]:
        parts += ["", "[bold]Next steps[/bold]"]
        parts += [f"• {s['text']} [dim]({', '.join(s['sources'])})[/dim]" for s in ee["next_steps"]]
    csf = result["csf"]
    if csf["analytes"]:
        table = Table(
            "analyte", "entered", "canonical", "limit", "status", title=f"CSF ({csf['profile']})"
        )
        for a in csf["analytes"]:
            table.add_row(
                a["name"],
                f"{a['value']:g} {a['unit']}",
                f"{a['canonical_value']:.4g} {a['canonical_unit']}",
                a["limit"] or a["basis"],
                a["status"] or "—",
            )
        parts += ["", table]
        if csf["qalb"]:
            q = csf["qalb"]
            limit = f"{q['limit']:.2f}" if q["limit"] is not None else "n/a"
            parts.append(
                f"QAlb {q['value']:.2f} ×10⁻³ (limit {limit}, {q['limit_text']}); "
                f"barrier dysfunction: {q['barrier_dysfunction']}"
            )
        if csf["glucose_ratio"]:
            parts.append(
                f"CSF/serum glucose ratio {csf['glucose_ratio']['value']:.2f} "
                f"({csf['glucose_ratio']['limit_text']})"
            )
        parts.append(csf["summary"])
    if result.get("model_risk"):
        r = result["model_risk"]
        parts += ["", f"[bold]Model risk[/bold] ({r['model']}): {r['probability']:.1%}"]
        drivers = sorted(r["contributions"], key=lambda c: -abs(c["contribution"]))
        parts += [f"• {c['predictor']}: {c['contribution']:+.3f}" for c in drivers]
    if result.get("fhir_import"):
        used = Table("field", "from", "date", "value", title="Taken from FHIR (most recent)")
        for c in result["fhir_import"]["used"]:
            value = f"{c['value']} {c['unit'] or ''}".strip()
            older = f" (newer than {len(c['superseded'])})" if c["superseded"] else ""
            used.add_row(c["field"], c["resource"] + older, c["date"] or "—", value)
        parts += ["", used]
        if result["fhir_import"]["ignored"]:
            parts.append(f"[dim]Ignored: {'; '.join(result['fhir_import']['ignored'])}[/dim]")
    if result["warnings"]:
        parts += [
            "",
            "[bold yellow]Warnings[/bold yellow]",
            *(f"• {w}" for w in result["warnings"]),
        ]
    if result["missing"]:
        parts.append(f"[dim]Not given: {', '.join(result['missing'])}[/dim]")
    parts += ["", "[bold]Sources[/bold]"]
    parts += [f"• {s['key']} ({s['status']}): {s['citation']}" for s in result["sources"]]
    parts += [
        "",
        f"[italic]{result['notice']}[/italic]",
        f"[dim]{ee['ruleset_version']} · LeptoDx {result['software_version']}[/dim]",
    ]
    return Panel(Group(*parts), title="LeptoDx assessment", expand=False)
