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
from leptodx.clinical.assess import assess_record
from leptodx.domain.patient import PatientInput
from leptodx.errors import InputError
from leptodx.reference.csf import DEFAULT_PROFILE, PROFILES

assess_app = App()


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"


def load_input(path: Path) -> dict[str, Any]:
    """Read one patient record from a JSON or YAML file (clear error when unreadable)."""
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
    if not isinstance(data, dict):
        raise InputError("FILE", str(path), "a JSON/YAML object with the input fields")
    return data


@assess_app.command("assess")
def assess_command(
    file: Annotated[Path, typer.Argument(help="Patient findings (JSON or YAML).")],
    format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TEXT,
    profile: Annotated[str, typer.Option(help="CSF reference-limit profile.")] = DEFAULT_PROFILE,
) -> None:
    """EANO–ESMO level and type, CSF interpretation and next steps for one patient."""
    result = assess_record(load_input(file), profile=profile)
    if format is Format.JSON:
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
