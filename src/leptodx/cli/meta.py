"""``leptodx meta dta``: diagnostic-accuracy meta-analysis (JSON fields in docs/meta-analysis.md).

Exit status 0 when every requested fit converged, 1 when one did not (the output says which and
shows no estimate for it), 2 for bad input.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from leptodx.cli._app import App
from leptodx.cli._output import emit_json

meta_app = App(help="Evidence synthesis: diagnostic-accuracy meta-analysis of study 2×2 tables.")


class Format(StrEnum):
    JSON = "json"
    TEXT = "text"


class MethodChoice(StrEnum):
    REITSMA = "reitsma"
    GLMM = "glmm"
    UNIVARIATE = "univariate"


class ControlChoice(StrEnum):
    ALL = "all"
    SINGLE = "single"
    NONE = "none"


def _text(payload: dict[str, Any]) -> None:
    from leptodx.meta.text import ci_label, summary_rows

    console = Console(highlight=False, soft_wrap=True, markup=False)
    level = payload["level"]
    if payload["synthetic"]:
        console.print("SYNTHETIC DATA — results illustrate the method only")
    console.print(f"Method: {payload['method_description']}; {ci_label(level)}s")
    console.print(f"Continuity correction: {payload['continuity_correction']['description']}")
    for test in payload["tests"]:
        table = Table(
            title=f"{test['test']}: {test['k']} studies, "
            f"{test['n_diseased']} with and {test['n_non_diseased']} without the condition"
        )
        table.add_column("measure")
        table.add_column("pooled")
        for label, value in summary_rows(test, level):
            table.add_row(label, value)
        console.print(table)
    for key, title in (("comparison_by_test", "Comparison of tests"),):
        reg = payload[key]
        if reg is not None:
            _print_regression(console, reg, title, level)
    cov = payload["comparison_by_covariate"]
    if cov is not None:
        for reg in cov["by_test"]:
            _print_regression(
                console, reg, f"Meta-regression on {cov['covariate']} within {reg['test']}", level
            )
    for warning in payload["warnings"]:
        console.print(f"warning: {warning}")
    console.print(payload["notice"])


def _print_regression(console: Console, reg: dict[str, Any], title: str, level: float) -> None:
    from leptodx.meta.text import difference

    if not reg["converged"]:
        console.print(f"{title}: did not converge ({reg['message']}); no contrast reported")
        return
    ref = f" (reference: {reg['reference']})" if reg["reference"] else ""
    table = Table(title=f"{title}{ref}, k = {reg['k']}")
    for name in (
        "term",
        "difference in logit sensitivity",
        "difference in logit specificity",
        "joint Wald p",
    ):
        table.add_column(name)
    for c in reg["contrasts"]:
        table.add_row(
            c["term"],
            difference(c["difference_logit_sensitivity"], level),
            difference(c["difference_logit_specificity"], level),
            f"{c['wald']['p_value']:.3g}",
        )
    console.print(table)


@meta_app.command("dta")
def dta(
    studies: Annotated[
        Path,
        typer.Argument(help="Studies table (CSV/TSV): study, tp, fp, fn, tn[, test, covariates]."),
    ],
    test_column: Annotated[
        str | None,
        typer.Option(
            "--test-column", help="Column naming the index test (default: test, if present)."
        ),
    ] = None,
    method: Annotated[
        MethodChoice,
        typer.Option(
            "--method", help="reitsma (bivariate REML), glmm (exact binomial) or univariate."
        ),
    ] = MethodChoice.REITSMA,
    fmt: Annotated[
        Format, typer.Option("--format", help="text or json (stable fields).")
    ] = Format.TEXT,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write report.html, report.pdf, figures and JSON here."),
    ] = None,
    covariate: Annotated[
        str | None,
        typer.Option("--covariate", help="Study covariate for a meta-regression within each test."),
    ] = None,
    reference_test: Annotated[
        str | None,
        typer.Option(
            "--reference-test", help="Reference test of the comparison (default: first in file)."
        ),
    ] = None,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Analyse only this test (repeatable).")
    ] = None,
    correction: Annotated[
        float, typer.Option("--correction", help="Continuity correction added to cells.")
    ] = 0.5,
    correction_control: Annotated[
        ControlChoice,
        typer.Option(
            "--correction-control", help="all (mada default), single (studies with a zero) or none."
        ),
    ] = ControlChoice.ALL,
    level: Annotated[
        float, typer.Option("--level", help="Confidence level of intervals and regions.")
    ] = 0.95,
    nagq: Annotated[
        int,
        typer.Option("--nagq", help="GLMM quadrature nodes per dimension (1 = Laplace, as glmer)."),
    ] = 1,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write report.pdf.")] = True,
) -> None:
    """Pool sensitivity and specificity per index test; compare tests; SROC figures."""
    from leptodx.meta import ContinuityCorrection, CorrectionControl, MetaOptions, Method, analyse
    from leptodx.meta.io import read_studies

    table = read_studies(studies, test_column=test_column)
    options = MetaOptions(
        method=Method(method.value),
        correction=ContinuityCorrection(correction, CorrectionControl(correction_control.value)),
        level=level,
        covariate=covariate,
        reference_test=reference_test,
        n_quadrature=nagq,
        tests=tuple(only) if only else None,
    )
    result = analyse(table, options)
    payload = result.as_dict()
    if report is not None:
        from leptodx.meta.report import write_meta_report

        paths = write_meta_report(result, report, pdf=pdf)
        Console(stderr=True, highlight=False).print(
            "wrote " + ", ".join(str(p) for p in paths.values()), markup=False
        )
    if fmt is Format.JSON:
        emit_json(payload)
    else:
        _text(payload)
    failed = [t["test"] for t in payload["tests"] if not t["converged"]]
    regressions = [payload["comparison_by_test"]] + (
        payload["comparison_by_covariate"]["by_test"] if payload["comparison_by_covariate"] else []
    )
    failed += [
        f"meta-regression on {r['variable']}"
        for r in regressions
        if r is not None and not r["converged"]
    ]
    if failed:
        Console(stderr=True, highlight=False).print(
            f"not converged: {', '.join(failed)} (no estimate reported; exit status 1)",
            markup=False,
        )
        raise typer.Exit(1)
