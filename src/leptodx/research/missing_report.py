"""The reports' missing-data section and TRIPOD item 9, written from what was actually done."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from leptodx.reports.document import ReportTable, Section
from leptodx.research._format import ci, num
from leptodx.research.missing_data import MissingSummary

MAX_PATTERNS = 12


def missing_tables(missing: MissingSummary, labels: dict[str, str]) -> tuple[ReportTable, ...]:
    """Percentage missing per variable and the missingness patterns (``md.pattern`` style)."""
    per_variable = ReportTable(
        "Missing values per variable",
        ("Variable", "Missing", "%"),
        tuple(
            (labels.get(v.field, v.field), f"{v.n_missing} of {missing.n}", f"{v.percent:.1f}")
            for v in missing.variables
        ),
    )
    shown = missing.patterns[:MAX_PATTERNS]
    rows = tuple(
        (
            str(p.count),
            ", ".join(
                labels.get(f, f) for f, o in zip(missing.fields, p.observed, strict=True) if not o
            )
            or "none (complete)",
            str(p.n_missing),
        )
        for p in shown
    )
    note = (
        f"{len(missing.patterns) - len(shown)} rarer patterns not shown."
        if len(missing.patterns) > len(shown)
        else ""
    )
    patterns = ReportTable(
        "Missingness patterns", ("Patients", "Missing variables", "Number missing"), rows, note
    )
    return per_variable, patterns


def tripod_item_9(
    missing: MissingSummary | None, imputation: dict[str, Any] | None, n_excluded: int
) -> str:
    """TRIPOD 9 ("how missing data were handled"), from the run itself."""
    if missing is None:
        return "Complete-case analysis."
    if imputation is None:
        return (
            f"Complete-case analysis: {n_excluded} rows with a missing value in an analysis "
            f"variable were excluded ({missing.n_complete} of {missing.n} complete); missing "
            "values per variable and patterns in the Missing data section."
        )
    return (
        f"Multiple imputation by chained equations (m = {imputation['m']}, {imputation['maxit']} "
        f"iterations, seed {imputation['seed']}): predictive mean matching ({imputation['donors']} "
        "donors) for continuous and count predictors, logistic regression for binary predictors; "
        "imputation model with every predictor and the outcome; estimates pooled by Rubin's "
        "rules (Barnard-Rubin df), AUC pooled on the logit scale; bootstrap with imputation "
        f"inside every resample; {n_excluded} rows without the outcome excluded. Complete-case "
        "estimates are shown alongside."
    )


def pooled_table(names: Sequence[str], terms: Sequence[Any], level: float) -> ReportTable:
    """Rubin's-rules details per coefficient: SE, df, CI, RIV and FMI."""
    rows = tuple(
        (
            name,
            num(t.estimate),
            num(t.std_error),
            f"{t.df:.1f}",
            ci(t.ci),
            num(t.riv, 3),
            num(t.fmi, 3),
        )
        for name, t in zip(("(intercept)", *names), terms, strict=True)
    )
    return ReportTable(
        "Pooled coefficients (Rubin's rules)",
        ("Term", "β", "SE (√T)", "df (Barnard–Rubin)", f"{level:.0%} CI", "RIV", "FMI"),
        rows,
        note="RIV: relative increase in variance due to missing data; FMI: fraction of missing "
        "information (mice's definitions). White et al. (2011) suggest m of at least 100 × the "
        "largest FMI.",
    )


def side_by_side(
    names: Sequence[str],
    pooled: Any,
    complete_case: Any,
    pooled_auc: Any,
    n: int,
    n_events: int,
) -> ReportTable:
    """Complete-case versus multiple-imputation estimates (odds ratios, AUC, patients)."""

    def oddsratio(b: float, s: float) -> str:
        return f"{num(float(np.exp(b)), 2)} (SE β {num(s)})"

    terms = dict(zip(names, pooled.terms[1:], strict=True))
    rows = [
        (
            "Patients (events)",
            f"{complete_case.n} ({complete_case.n_events})" if complete_case else "—",
            f"{n} ({n_events})",
        )
    ]
    for name in names:
        cc = "—"
        if complete_case is not None and name in complete_case.coef:
            cc = oddsratio(complete_case.coef[name], complete_case.se[name])
        rows.append((f"OR {name}", cc, oddsratio(terms[name].estimate, terms[name].std_error)))
    cc_auc = "—"
    if complete_case is not None and complete_case.auc is not None:
        cc_auc = f"{num(complete_case.auc.auc)} ({ci(complete_case.auc.ci)})"
    rows.append(("Apparent AUC", cc_auc, f"{num(pooled_auc.auc)} ({ci(pooled_auc.ci)})"))
    note = "Complete case: the same predictors refitted on the patients without any missing value."
    if complete_case is not None and complete_case.note:
        note += f" Complete-case fit failed: {complete_case.note}"
    return ReportTable(
        "Complete-case versus multiple imputation",
        ("Estimate", "Complete case", "Multiple imputation (pooled)"),
        tuple(rows),
        note,
    )


def missing_section(
    missing: MissingSummary | None,
    labels: dict[str, str],
    *,
    paragraphs: Sequence[str] = (),
    extra: Sequence[ReportTable] = (),
) -> Section | None:
    """The "Missing data" section (None when no analysis variable was missing)."""
    if missing is None:
        return None
    text = [
        f"{missing.n_complete} of {missing.n} patients have every analysis variable "
        f"({100 * missing.n_complete / missing.n:.1f} %)."
        if missing.n
        else "No patients.",
        *paragraphs,
    ]
    return Section("Missing data", tuple(text), (*missing_tables(missing, labels), *extra))
