"""HTML/PDF report of a meta-analysis (built on :mod:`leptodx.reports.document`)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from leptodx.cohort.io import write_bytes_atomic
from leptodx.jsonsafe import json_safe
from leptodx.meta import figures as mf
from leptodx.meta.analysis import REFERENCES, MetaAnalysis
from leptodx.meta.fitting import METHOD_TEXT, Method
from leptodx.meta.results import TestResult
from leptodx.meta.text import ci_label, difference, summary_rows
from leptodx.reports.document import (
    ReportDocument,
    ReportFigure,
    ReportTable,
    Section,
    write_report,
)
from leptodx.research._report_parts import figure


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "test"


def methods_paragraph(analysis: MetaAnalysis) -> str:
    o = analysis.options
    parts = [
        f"Data: {analysis.source or 'studies table'}"
        + (" (SYNTHETIC DATA)" if analysis.synthetic else "")
        + ", one row per study and index test (2×2 counts against the reference standard).",
        f"Pooling: {METHOD_TEXT[o.method]}"
        + (
            f", {'Laplace approximation' if o.n_quadrature == 1 else f'adaptive Gauss–Hermite quadrature with {o.n_quadrature} nodes per dimension'}"
            if o.method is Method.GLMM
            else ""
        )
        + ", with an unstructured between-study covariance of logit sensitivity and logit false-positive rate.",
        f"Continuity correction for the logit-based models: {o.correction.describe()} (as mada::reitsma); the GLMM uses the exact binomial likelihood without correction.",
        f"Intervals are {ci_label(o.level)}s (Wald on the logit or log scale); study-level intervals are Wilson score intervals of the uncorrected counts.",
        "Diagnostic odds ratio and likelihood ratios are those of the summary point (delta method). The HSROC curve follows from the bivariate parameters (Harbord et al. 2007); its AUC is integrated over false-positive rates 0–1. Confidence and prediction regions are χ²(2) ellipses of the summary point's covariance and of that covariance plus the between-study covariance, drawn in logit space.",
        "Univariate random-effects pooling (REML) of each logit with I² is shown beside the bivariate result.",
    ]
    if analysis.by_test is not None:
        parts.append(
            "Index tests are compared by bivariate meta-regression on the test (shared between-study covariance), giving differences in logit sensitivity and logit specificity with Wald tests."
        )
    if o.covariate is not None:
        parts.append(
            f"Within each test, a bivariate meta-regression on the study covariate '{o.covariate}' (numeric covariates centred at their mean)."
        )
    parts.append(
        "Estimates agree with R metafor::rma.mv (REML) and lme4::glmer (Laplace) on the reference reviews in tests/reference_values/meta."
    )
    return " ".join(parts)


def _study_table(result: TestResult) -> tuple[ReportTable, ...]:
    level_rows = []
    for r in result.studies:
        s = r.study
        level_rows.append(
            (
                s.name,
                str(s.tp),
                str(s.fp),
                str(s.fn),
                str(s.tn),
                f"{100 * r.sensitivity.estimate:.1f} ({100 * r.sensitivity.ci_lower:.1f}–{100 * r.sensitivity.ci_upper:.1f})",
                f"{100 * r.specificity.estimate:.1f} ({100 * r.specificity.ci_lower:.1f}–{100 * r.specificity.ci_upper:.1f})",
            )
        )
    tables = [
        ReportTable(
            f"{result.test}: studies",
            (
                "Study",
                "TP",
                "FP",
                "FN",
                "TN",
                "Sensitivity % (Wilson CI)",
                "Specificity % (Wilson CI)",
            ),
            tuple(level_rows),
        )
    ]
    cited = [r.study for r in result.studies if r.study.covariates.get("source")]
    if cited:
        tables.append(
            ReportTable(
                f"{result.test}: where the counts come from",
                ("Study", "Status", "Source"),
                tuple(
                    (s.name, s.covariates.get("status", "—"), s.covariates["source"]) for s in cited
                ),
                note="DERIVED: counts reconstructed from the published number of patients, sensitivity and specificity (they reproduce every published percentage when rounded).",
            )
        )
    return tuple(tables)


def _test_section(result: TestResult, payload: dict[str, Any], level: float, out: Path) -> Section:
    rows = [
        mf.ForestRow(
            r.study.name,
            r.sensitivity,
            r.specificity,
            f"{r.study.tp}/{r.study.n_diseased}",
            f"{r.study.tn}/{r.study.n_non_diseased}",
        )
        for r in result.studies
    ]
    pooled = result.pooled
    label = "Pooled (univariate)" if result.fit is None else "Pooled (bivariate)"
    key = _slug(result.test)
    left, _ = mf.plot_paired_forest(rows, pooled, pooled_label=label, ci_label=ci_label(level))
    figs: list[ReportFigure] = [
        figure(
            left,
            out,
            f"forest-{key}",
            f"{result.test}: paired forest plot",
            f"Sensitivity and specificity of each study with {ci_label(level)} (Wilson); diamond: pooled estimate and its CI; right margin: events/patients.",
        )
    ]
    if result.fit is not None:
        ax = mf.plot_sroc([mf.sroc_layer(result, level)], level=level)
        figs.append(
            figure(
                ax,
                out,
                f"sroc-{key}",
                f"{result.test}: SROC plane",
                "Studies (circle area proportional to the number of patients), summary point, its confidence region (solid ellipse), the prediction region for a new study (dashed) and the HSROC curve (solid over the observed false-positive rates, dotted beyond). A missing curve or region means it is not defined for this fit (see warnings).",
            )
        )
    summary = ReportTable(
        f"{result.test}: pooled accuracy",
        ("Measure", "Estimate"),
        tuple(summary_rows(payload, level)),
    )
    return Section(
        f"{result.test} ({result.k} studies)", (), (*_study_table(result), summary), tuple(figs)
    )


def _regression_table(reg: dict[str, Any], title: str, level: float) -> ReportTable:
    if not reg["converged"]:
        return ReportTable(
            title, ("Result",), ((f"did not converge: {reg['message']}; no contrast reported",),)
        )
    rows = tuple(
        (
            c["term"],
            difference(c["difference_logit_sensitivity"], level),
            difference(c["difference_logit_specificity"], level),
            f"{c['wald']['chi2']:.2f} (p {c['wald']['p_value']:.3g})",
        )
        for c in reg["contrasts"]
    )
    ref = f"reference: {reg['reference']}; " if reg["reference"] else ""
    return ReportTable(
        title,
        (
            "Term",
            "Difference in logit sensitivity",
            "Difference in logit specificity",
            "Joint Wald χ² (2 df)",
        ),
        rows,
        note=f"{ref}k = {reg['k']}; positive differences mean higher sensitivity or specificity than the reference (per unit for numeric covariates).",
    )


def meta_report(analysis: MetaAnalysis, out: Path) -> ReportDocument:
    """Render the figures into ``out/figures`` and assemble the report."""
    payload = analysis.as_dict()
    level = analysis.options.level
    sections = [
        _test_section(result, test_payload, level, out)
        for result, test_payload in zip(analysis.tests, payload["tests"], strict=True)
    ]
    if payload["comparison_by_test"] is not None:
        layers = [mf.sroc_layer(r, level) for r in analysis.tests if r.fit is not None]
        figs: tuple[ReportFigure, ...] = ()
        if len(layers) > 1:
            ax = mf.plot_sroc(layers, level=level, show_prediction=False)
            figs = (
                figure(
                    ax,
                    out,
                    "sroc-tests",
                    "Index tests on one SROC plane",
                    "Each test's studies, summary point, confidence region and HSROC curve (prediction regions omitted for legibility).",
                ),
            )
        sections.append(
            Section(
                "Comparison of index tests",
                (),
                (
                    _regression_table(
                        payload["comparison_by_test"],
                        "Bivariate meta-regression on the index test",
                        level,
                    ),
                ),
                figs,
            )
        )
    cov = payload["comparison_by_covariate"]
    if cov is not None:
        tables = tuple(
            _regression_table(reg, f"{reg['test']}: meta-regression on {cov['covariate']}", level)
            for reg in cov["by_test"]
        )
        sections.append(Section(f"Meta-regression on {cov['covariate']}", (), tables))
    return ReportDocument(
        title="Diagnostic-accuracy meta-analysis",
        subtitle=f"{analysis.source or 'studies table'} · {', '.join(r.test for r in analysis.tests)}",
        methods=methods_paragraph(analysis),
        sections=tuple(sections),
        synthetic=analysis.synthetic,
        warnings=tuple(analysis.warnings),
        sources=REFERENCES,
    )


def write_meta_report(
    analysis: MetaAnalysis, out_dir: Path, *, pdf: bool = True
) -> dict[str, Path]:
    """Write ``report.html`` (``report.pdf``), ``figures/`` and ``meta-analysis.json``."""
    out_dir = Path(out_dir)
    (out_dir / "figures").mkdir(parents=True, exist_ok=True)
    paths = write_report(meta_report(analysis, out_dir), out_dir, pdf=pdf)
    text = json.dumps(json_safe(analysis.as_dict()), indent=2, ensure_ascii=False, allow_nan=False)
    paths["json"] = out_dir / "meta-analysis.json"
    write_bytes_atomic(paths["json"], lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return paths
