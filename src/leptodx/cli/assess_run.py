"""``leptodx assess`` without Typer: read one patient, assess, print (text, JSON or FHIR).

The command's work lives here so that the start-up fast path (:mod:`leptodx.cli.fast`) and the
Typer command (:mod:`leptodx.cli.assess`) run the same code; nothing here imports Typer, and Rich
only when text is printed.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leptodx.cli._output import emit_json
from leptodx.errors import InputError
from leptodx.input_files import load_document
from leptodx.interop.detect import is_fhir

if TYPE_CHECKING:
    from rich.panel import Panel


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"
    FHIR = "fhir"


def load_input(path: Path) -> Any:
    """Read one patient record (or FHIR resources) from a JSON or YAML file."""
    data = load_document(path)
    if not isinstance(data, dict) and not is_fhir(data):
        raise InputError(
            "FILE", str(path), "a JSON/YAML object with the input fields, or a FHIR R4 Bundle"
        )
    return data


def run_assess(
    file: Path,
    format: Format,
    *,
    profile: str,
    ignore_unknown: bool,
    model: Path | None,
    predictors: Path | None,
) -> None:
    """EANO–ESMO level and type, CSF interpretation and next steps for one patient."""
    data = load_input(file)
    if is_fhir(data):
        from leptodx.interop.fhir import assess_input  # FHIR reading only for FHIR input

        result = assess_input(data, profile=profile, ignore_unknown=ignore_unknown)
    else:
        from leptodx.clinical.assess import assess_record

        result = assess_record(data, profile=profile)
    emit_assessment(result, format, risk=model_risk(model, predictors))


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
        from leptodx.interop.fhir import assessment_bundle

        emit_json(assessment_bundle(result, subject=subject, prediction=risk))
    elif format is Format.JSON:
        emit_json(result)
    else:
        from rich.console import Console

        Console(soft_wrap=False).print(render_text(result))


def render_text(result: dict[str, Any]) -> Panel:
    """A readable Rich panel of the JSON contract (wording from :mod:`leptodx.presentation`)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from leptodx.presentation.assessment import present

    v = present(result)
    style = "yellow" if v.caution else "green"
    parts: list[Any] = [
        Text(v.headline, style="bold"),
        Text(f"{v.certainty} ({v.certainty_source})", style=style),
        "",
        Text("Findings", style="bold"),
        *(Text(f"• {line}") for line in v.findings),
        Text(f"• Rule: {v.rule}"),
    ]
    if v.next_steps:
        parts += ["", Text("Next steps to consider", style="bold")]
        parts += [Text(f"• {s.text} ") + Text(f"({s.source})", style="dim") for s in v.next_steps]
    if v.csf_rows:
        table = Table(
            "analyte", "entered", "canonical", "limit", "status", title=f"CSF ({v.csf_profile})"
        )
        for row in v.csf_rows:
            table.add_row(row.analyte, row.entered, row.canonical, row.limit, row.status)
        parts += ["", table]
        parts += [Text(line) for line in (v.qalb, v.glucose_ratio) if line]
    parts += [Text(line) for line in v.csf_summary]
    if result.get("model_risk"):
        r = result["model_risk"]
        parts += ["", Text(f"Model risk ({r['model']}): {r['probability']:.1%}", style="bold")]
        drivers = sorted(r["contributions"], key=lambda c: -abs(c["contribution"]))
        parts += [Text(f"• {c['predictor']}: {c['contribution']:+.3f}") for c in drivers]
    if result.get("fhir_import"):
        used = Table("field", "from", "date", "value", title="Taken from FHIR")
        for c in result["fhir_import"]["used"]:
            value = f"{c['value']} {c['unit'] or ''}".strip()
            older = f" (newer than {len(c['superseded'])})" if c["superseded"] else ""
            used.add_row(c["field"], c["resource"] + older, c["date"] or "—", value)
        parts += ["", used]
        if result["fhir_import"]["ignored"]:
            parts.append(
                Text(f"Ignored: {'; '.join(result['fhir_import']['ignored'])}", style="dim")
            )
    if v.warnings:
        parts += ["", Text("Warnings", style="bold yellow"), *(Text(f"• {w}") for w in v.warnings)]
    if v.missing:
        parts.append(Text(v.missing, style="dim"))
    parts += ["", Text("Sources", style="bold")]
    parts += [
        Text(f"• {s.key} ({s.status}): {s.citation} — source: {s.reference}") for s in v.sources
    ]
    parts += ["", Text(v.notice, style="italic"), Text(v.footer, style="dim")]
    return Panel(Group(*parts), title="LeptoDx assessment", expand=False)
