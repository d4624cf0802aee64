"""``leptodx ctdna compare``: CSF versus plasma ctDNA (JSON fields in docs/liquid-biopsy.md);
``--as-study`` exports the cohort as a study row for ``leptodx meta dta`` (docs/meta-analysis.md)."""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from leptodx.cli._app import App
from leptodx.cli._output import emit_json
from leptodx.errors import InputError
from leptodx.liquid_biopsy.compare import ComparisonResult, compare_samples
from leptodx.liquid_biopsy.io import SampleType, read_variants

STUDY_COLUMNS = ("study", "test", "tp", "fp", "fn", "tn")
ctdna_app = App(help="Liquid biopsy: CSF versus plasma ctDNA alterations (descriptive).")


class Format(StrEnum):
    JSON = "json"
    TEXT = "text"


class StudySample(StrEnum):
    CSF = "csf"
    PLASMA = "plasma"


def _study_row(
    result: ComparisonResult, name: str, diagnosis: Path | None, sample: StudySample, fmt: Format
) -> None:
    """``--as-study``: the 2×2 of ctDNA detection against the LM diagnosis (docs/meta-analysis.md)."""
    from leptodx.liquid_biopsy.study_row import read_diagnoses, study_row

    if diagnosis is None:
        raise InputError("--diagnosis", "missing", "a CSV file with patient_id and lm (yes/no)")
    sample_type = SampleType.CSF if sample is StudySample.CSF else SampleType.PLASMA
    export = study_row(result, read_diagnoses(diagnosis), name=name, sample_type=sample_type)
    if fmt is Format.JSON:
        emit_json(export.to_dict())
        return
    buffer = io.StringIO()
    row = export.to_dict()
    csv.writer(buffer, lineterminator="\n").writerows(
        [STUDY_COLUMNS, [row[c] for c in STUDY_COLUMNS]]
    )
    typer.echo(buffer.getvalue(), nl=False)
    for warning in export.warnings:
        Console(stderr=True, highlight=False).print(f"warning: {warning}", markup=False)


def parse_mapping(items: list[str]) -> dict[str, str]:
    """``["vaf=AF", "gene=Gene"]`` → ``{"vaf": "AF", "gene": "Gene"}``."""
    mapping: dict[str, str] = {}
    for item in items:
        ours, sep, theirs = item.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise InputError("--map", item, "OUR=THEIRS, e.g. --map vaf=AF")
        mapping[ours.strip()] = theirs.strip()
    return mapping


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}"


def _text(payload: dict[str, Any]) -> None:
    console = Console(highlight=False, soft_wrap=True, markup=False)
    table = Table("patient", "CSF", "plasma", "days", "CSF only", "plasma only", "shared")
    for p in payload["patients"]:

        def names(items: list[dict[str, Any]] | None) -> str:
            if items is None:
                return "(not paired)"
            return ", ".join(f"{a['gene']} {a['variant']}" for a in items) or "—"

        table.add_row(
            p["patient_id"],
            p["csf_sample"]["date"] if p["csf_sample"] else "—",
            p["plasma_sample"]["date"] if p["plasma_sample"] else "—",
            "—" if p["days_apart"] is None else str(p["days_apart"]),
            names(p["csf_only"]),
            names(p["plasma_only"]),
            ", ".join(
                f"{a['gene']} {a['variant']} (VAF CSF {_fmt(a['vaf_csf'])}, "
                f"plasma {_fmt(a['vaf_plasma'])})"
                for a in p["shared"]
            )
            if p["shared"]
            else ("(not paired)" if p["shared"] is None else "—"),
        )
    console.print(table)
    cohort = payload["cohort"]
    for name in ("csf", "plasma"):
        rate = cohort[f"detection_rate_{name}"]
        label = "CSF" if name == "csf" else "plasma"
        if rate is None:
            console.print(f"{label} detection rate: not available")
        else:
            lo, hi = rate["ci"]
            console.print(
                f"{label} detection rate: {rate['patients_detected']}/{rate['patients_tested']} "
                f"= {rate['estimate']:.3f} ({rate['level']:.0%} CI {lo:.3f}–{hi:.3f}, {rate['method']})"
            )
    paired = cohort["paired"]
    p_text = "not done" if cohort["mcnemar_p"] is None else f"p = {cohort['mcnemar_p']:.4g}"
    console.print(
        f"paired patients: {paired['n_patients']} (CSF only detected {paired['csf_only_detected']}, "
        f"plasma only {paired['plasma_only_detected']}); exact McNemar {p_text}"
    )
    matches = [(p["patient_id"], m) for p in payload["patients"] for m in p["actionable"]]
    if matches:
        console.print("Actionable-table matches (for tumour-board discussion; no drug is named):")
        evidence: dict[str, str] = {}
        for pid, m in matches:
            console.print(
                f"  {pid}: {m['gene']} {m['variant']} ({'+'.join(m['found_in'])}) -> "
                f"{m['entry']} [{m['evidence_status']}, {m['source']}]"
            )
            evidence[m["entry"]] = m["cns_lm_evidence"]
        console.print("CNS/LM evidence by entry:")
        for entry, text in evidence.items():
            console.print(f"  {entry}: {text}")
    for warning in payload["warnings"]:
        console.print(f"warning: {warning}")
    console.print("Sources:")
    for s in payload["sources"]:
        console.print(f"  [{s['key']}] {s['citation']} ({s['status']}) {s['url'] or ''}".rstrip())
    console.print(payload["notice"])


@ctdna_app.command("compare")
def compare_command(
    file: Annotated[Path, typer.Argument(help="Variant table (CSV or TSV), one row per call.")],
    format: Annotated[
        Format, typer.Option("--format", help="json (stable fields) or text.")
    ] = Format.TEXT,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="Column mapping OUR=THEIRS (repeatable), e.g. --map vaf=AF."),
    ] = None,
    level: Annotated[float, typer.Option(help="Confidence level of the Wilson CIs.")] = 0.95,
    as_study: Annotated[
        str | None,
        typer.Option("--as-study", help="Print the cohort as one study row (2×2) named NAME."),
    ] = None,
    diagnosis: Annotated[
        Path | None,
        typer.Option("--diagnosis", help="CSV patient_id,lm (yes/no): reference standard."),
    ] = None,
    sample_type: Annotated[
        StudySample, typer.Option("--sample-type", help="Index test of the study row.")
    ] = StudySample.CSF,
) -> None:
    """CSF-only, plasma-only and shared alterations per patient; cohort detection rates."""
    samples = read_variants(file, parse_mapping(mapping or []))
    result = compare_samples(samples, level=level)
    if as_study is not None:
        _study_row(result, as_study, diagnosis, sample_type, format)
        return
    payload = result.to_dict()
    if format is Format.JSON:
        emit_json(payload)
    else:
        _text(payload)
