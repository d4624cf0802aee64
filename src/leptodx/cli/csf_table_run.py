"""``leptodx csf-table`` without Typer: read a cohort, judge its CSF findings, print the table.

The command's work lives here so that the start-up fast path (:mod:`leptodx.cli.fast`) and the
Typer command (:mod:`leptodx.cli.research_develop`) run the same code; nothing here imports
Typer, and Rich only when text is printed. A Parquet cohort is read on a second thread while
the analysis modules import (:mod:`leptodx.cohort.prefetch`).
"""

from __future__ import annotations

from pathlib import Path

from leptodx.cli._output import OutputFormat


def run_csf_table(
    file: Path,
    *,
    by: str,
    mapping: Path | None = None,
    profile: str | None = None,
    out: Path | None = None,
    fmt: OutputFormat = OutputFormat.TEXT,
    drop_invalid: bool = False,
    pdf: bool = True,
) -> None:
    """Proportions of abnormal CSF findings per group of ``by``, printed as text or JSON (and a
    report written to ``out`` when given)."""
    from leptodx.cohort import prefetch

    prefetch.start(file)  # read while the analysis modules import
    from leptodx.cli._output import emit_json
    from leptodx.cohort.fields import FIELDS
    from leptodx.errors import InputError
    from leptodx.research.analysis_data import load_analysis_data
    from leptodx.research.csf_findings import abnormal_findings
    from leptodx.research.csf_table import prevalence_table

    cohort = load_analysis_data(
        file,
        needed=[],
        optional=tuple(FIELDS),
        passthrough=() if by in FIELDS else (by,),
        mapping=mapping,
        drop_invalid=drop_invalid,
    )
    if by not in cohort.data.columns:
        raise InputError("--by", by, "a mapped LeptoDx field or a column of the file")
    findings = abnormal_findings(cohort.data, profile=profile)
    table = prevalence_table(
        cohort.data[by],
        findings.flags,
        by=by,
        profile=findings.profile,
        sources=findings.sources,
        warnings=findings.warnings,
        synthetic=cohort.synthetic,
    )
    if out is not None:
        from leptodx.reports.document import write_report
        from leptodx.research.csf_report import csf_report

        write_report(csf_report(table, out, file=str(file), notes=cohort.notes), out, pdf=pdf)
    if fmt is OutputFormat.JSON:
        emit_json(table.to_dict())
        return
    from rich.console import Console
    from rich.table import Table

    from leptodx.research.csf_report import table_rows

    console = Console(highlight=False, soft_wrap=True)
    if cohort.synthetic:
        console.print("[bold]SYNTHETIC DATA[/bold]")
    rich_table = Table(title=f"Abnormal findings by {by}")
    for column in ("finding", *table.groups, "test", "p"):
        rich_table.add_column(str(column))
    for row in table_rows(table):
        rich_table.add_row(*row)
    console.print(rich_table)
    for warning in table.warnings:
        console.print(f"warning: {warning}", markup=False)
