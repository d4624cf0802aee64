"""``leptodx ctdna compare``: CSF versus plasma ctDNA (JSON fields in docs/liquid-biopsy.md);
``--as-study`` exports the cohort as a study row for ``leptodx meta dta`` (docs/meta-analysis.md)."""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from leptodx.cli._app import App
from leptodx.cli._output import emit_json
from leptodx.errors import InputError
from leptodx.liquid_biopsy.compare import ComparedAlteration, ComparisonResult, compare_samples
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
    s = export.study
    csv.writer(buffer, lineterminator="\n").writerows(
        [STUDY_COLUMNS, [s.name, s.test, s.tp, s.fp, s.fn, s.tn]]
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


def _names(items: list[ComparedAlteration] | None) -> str:
    if items is None:
        return "(not paired)"
    return ", ".join(a.alteration.label for a in items) or "—"


def _shared(items: list[ComparedAlteration] | None) -> str:
    if not items:
        return "(not paired)" if items is None else "—"
    return ", ".join(
        f"{a.alteration.label} (VAF CSF {_fmt(a.vaf_csf)}, plasma {_fmt(a.vaf_plasma)})"
        for a in items
    )


def _text(result: ComparisonResult) -> None:
    from leptodx.liquid_biopsy.compare import NOTICE

    console = Console(highlight=False, soft_wrap=True, markup=False)
    table = Table("patient", "CSF", "plasma", "days", "CSF only", "plasma only", "shared")
    for p in result.patients:
        table.add_row(
            p.patient_id,
            p.csf.sample_date.isoformat() if p.csf else "—",
            p.plasma.sample_date.isoformat() if p.plasma else "—",
            "—" if p.days_apart is None else str(p.days_apart),
            _names(p.csf_only),
            _names(p.plasma_only),
            _shared(p.shared),
        )
    console.print(table)
    cohort = result.cohort
    for label, rate in (
        ("CSF", cohort.detection_rate_csf),
        ("plasma", cohort.detection_rate_plasma),
    ):
        if rate is None:
            console.print(f"{label} detection rate: not available")
        else:
            lo, hi = rate.ci
            console.print(
                f"{label} detection rate: {rate.events}/{rate.n} "
                f"= {rate.estimate:.3f} ({rate.level:.0%} CI {lo:.3f}–{hi:.3f}, {rate.method})"
            )
    p_text = "not done" if cohort.mcnemar is None else f"p = {cohort.mcnemar.p_value:.4g}"
    console.print(
        f"paired patients: {cohort.n_paired} (CSF only detected {cohort.csf_only_detected}, "
        f"plasma only {cohort.plasma_only_detected}); exact McNemar {p_text}"
    )
    matches = [(p.patient_id, m) for p in result.patients for m in p.actionable]
    if matches:
        console.print("Actionable-table matches (for tumour-board discussion; no drug is named):")
        evidence: dict[str, str] = {}
        for pid, m in matches:
            found_in = "+".join(st.value for st in m.sample_types)
            console.print(
                f"  {pid}: {m.alteration.label} ({found_in}) -> "
                f"{m.entry.key} [{m.entry.status.value}, {m.entry.source.key}]"
            )
            evidence[m.entry.key] = m.entry.evidence
        console.print("CNS/LM evidence by entry:")
        for entry, text in evidence.items():
            console.print(f"  {entry}: {text}")
    for warning in result.warnings:
        console.print(f"warning: {warning}")
    console.print("Sources:")
    for src in result.sources:
        console.print(f"  [{src.key}] {src.citation} ({src.status.value}) {src.url or ''}".rstrip())
    console.print(NOTICE)


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
    if format is Format.JSON:
        emit_json(result.to_dict())
    else:
        _text(result)
