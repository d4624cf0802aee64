"""Report pieces shared by ``develop`` and ``validate`` (discrimination, calibration, utility)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from leptodx.reports import figures as fg
from leptodx.reports.document import ReportFigure, ReportTable
from leptodx.reports.plotting import save_figure
from leptodx.research import _engine as engine
from leptodx.research._format import ci, num, p_value

DECISION_ROWS = (0.05, 0.10, 0.15, 0.20, 0.30, 0.40, 0.50)


def figure(ax: Any, out: Path, key: str, title: str, caption: str) -> ReportFigure:
    """Save ``ax``'s figure as PNG and SVG under ``out/figures`` and wrap it for the report."""
    data = save_figure(ax.figure, out / "figures" / key)
    return ReportFigure(key, title, caption, data["png"])


def performance_figures(
    out: Path,
    auc: engine.Auc,
    roc: dict[str, Any],
    comparisons: list[engine.TestComparison],
    y_prob: Any,
    curve: engine.Curve,
    decision: engine.Decision,
) -> list[ReportFigure]:
    """ROC (model and single tests), calibration and decision-curve figures."""
    fpr, tpr = roc["model"]
    lines = [fg.RocLine("model", fpr, tpr, auc.auc, auc.ci)]
    for c in comparisons:
        test_fpr, test_tpr = roc[c.test]
        lines.append(fg.RocLine(c.test, test_fpr, test_tpr, c.auc_test, c.auc_test_ci))
    band = (
        (curve.lower, curve.upper) if curve.lower is not None and curve.upper is not None else None
    )
    return [
        figure(
            fg.plot_roc(lines),
            out,
            "roc",
            "ROC curves",
            "ROC curve of the model and of the single tests (legend: AUC, DeLong CI).",
        ),
        figure(
            fg.plot_calibration(y_prob, curve.x, curve.y, band=band),
            out,
            "calibration",
            "Calibration",
            ("Loess calibration curve with its band" if band else "Loess calibration curve")
            + "; the grey histogram shows the distribution of predicted risks.",
        ),
        figure(
            fg.plot_decision_curve(decision.thresholds, decision.net_benefit),
            out,
            "decision_curve",
            "Decision curve",
            "Net benefit across threshold probabilities, with treat-all and treat-none.",
        ),
    ]


def calibration_table(title: str, auc: engine.Auc, c: engine.CalibrationStats) -> ReportTable:
    """Discrimination and calibration measures."""
    rows = (
        ("AUC (DeLong CI)", f"{num(auc.auc)} ({ci(auc.ci)})"),
        ("Calibration intercept (in the large)", f"{num(c.intercept)} ({ci(c.intercept_ci)})"),
        ("Calibration slope", f"{num(c.slope)} ({ci(c.slope_ci)})"),
        ("Brier score / scaled Brier", f"{num(c.brier)} / {num(c.scaled_brier)}"),
        ("Observed/expected", num(c.oe_ratio)),
        ("ICI / E50 / E90 / Emax", " / ".join(num(v) for v in (c.ici, c.e50, c.e90, c.emax))),
    )
    return ReportTable(title, ("Measure", "Value"), rows)


def comparison_table(comparisons: list[engine.TestComparison]) -> ReportTable:
    """Paired DeLong comparisons with single tests."""
    rows = tuple(
        (
            c.test,
            f"{c.n} of {c.n_total}",
            f"{num(c.auc_model)} ({ci(c.auc_model_ci)})",
            f"{num(c.auc_test)} ({ci(c.auc_test_ci)})",
            f"{num(c.difference)} ({ci(c.difference_ci)})",
            p_value(c.p_value),
        )
        for c in comparisons
    )
    return ReportTable(
        "Comparison with single tests (paired DeLong)",
        ("Test", "Patients", "AUC model", "AUC test", "Difference", "p"),
        rows,
        note="Each comparison uses the patients with that test's result.",
    )


def decision_table(decision: engine.Decision) -> ReportTable:
    """Net benefit and interventions avoided at a few thresholds."""
    rows = []
    for t in DECISION_ROWS:
        i = int(np.argmin(np.abs(decision.thresholds - t)))
        rows.append(
            (
                f"{t:.0%}",
                num(decision.net_benefit["model"][i]),
                num(decision.net_benefit["all"][i]),
                num(decision.interventions_avoided_per_100["model"][i], 1),
            )
        )
    return ReportTable(
        "Decision curve at selected thresholds",
        (
            "Threshold",
            "Net benefit, model",
            "Net benefit, treat all",
            "Interventions avoided per 100",
        ),
        tuple(rows),
    )
