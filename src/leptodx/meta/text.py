"""Plain-language formatting of meta-analysis results (CLI text output and report tables)."""

from __future__ import annotations

import math
from typing import Any


def ci_label(level: float) -> str:
    """``95 % CI`` for ``level`` 0.95."""
    return f"{100 * level:g} % CI"


def percent(interval: dict[str, float] | None, level: float) -> str:
    """``87.0 % (95 % CI 77.9–92.6)`` from a proportion interval; ``—`` when missing."""
    if interval is None or interval.get("estimate") is None:
        return "—"
    lo, hi = interval["ci_lower"], interval["ci_upper"]
    return f"{100 * interval['estimate']:.1f} % ({ci_label(level)} {100 * lo:.1f}–{100 * hi:.1f})"


def significant(value: float) -> str:
    """Three significant digits without exponent notation: 0.0655, 1.00, 20.1, 307, 1220."""
    if value < 1e-3:
        return f"{value:.1e}"
    digits = 2 - math.floor(math.log10(value))
    if round(value, digits) >= 10 ** (3 - digits):  # 99.96 rounds up to 100: one digit fewer
        digits -= 1
    return f"{round(value, digits):.{max(digits, 0)}f}"


def ratio(interval: dict[str, float] | None, level: float) -> str:
    """``12.3 (95 % CI 4.56–33.2)`` with three significant digits."""
    if interval is None or interval.get("estimate") is None:
        return "—"
    return (
        f"{significant(interval['estimate'])} ({ci_label(level)} "
        f"{significant(interval['ci_lower'])}–{significant(interval['ci_upper'])})"
    )


def number(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def p_value(p: float | None) -> str:
    if p is None:
        return "—"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def difference(entry: dict[str, float], level: float) -> str:
    """``−0.76 (95 % CI −1.36 to −0.15), p = 0.015`` for a logit difference."""

    def signed(v: float) -> str:
        return f"{v:.2f}".replace("-", "−")

    p = entry["p_value"]
    return (
        f"{signed(entry['estimate'])} ({ci_label(level)} {signed(entry['ci_lower'])} to "
        f"{signed(entry['ci_upper'])}), p {'' if p < 0.001 else '= '}{p_value(p)}"
    )


def summary_rows(test: dict[str, Any], level: float) -> list[tuple[str, str]]:
    """Label/value rows of one test's pooled result (bivariate and univariate)."""
    if not test["converged"] and test["method"] is not None:
        rows = [("Bivariate model", f"did not converge: {test['message']} — no pooled estimate")]
    else:
        rows = [
            ("Sensitivity", percent(test["sensitivity"], level)),
            ("Specificity", percent(test["specificity"], level)),
        ]
        if test["method"] is not None:
            rho = "not identifiable" if test["rho"] is None else f"{test['rho']:.3f}"
            rows += [
                ("Diagnostic odds ratio", ratio(test["dor"], level)),
                ("Positive likelihood ratio", ratio(test["lr_positive"], level)),
                ("Negative likelihood ratio", ratio(test["lr_negative"], level)),
                (
                    "AUC of the HSROC curve",
                    "not defined" if test["auc_sroc"] is None else f"{test['auc_sroc']:.3f}",
                ),
                (
                    "Between-study variance (logit sensitivity / logit FPR)",
                    f"{number(test['tau2_sensitivity'])} / {number(test['tau2_fpr'])}",
                ),
                ("Between-study correlation", rho),
            ]
    uni = test["univariate"]
    if uni is not None:
        for name, key in (("sensitivity", "sensitivity"), ("specificity", "specificity")):
            u = uni[key]
            rows.append(
                (
                    f"Univariate {name} (REML)",
                    f"{percent(u, level)}; τ² {u['tau2']:.3f}, I² {u['i2_percent']:.1f} %, "
                    f"Q {u['q']:.2f} (df {u['q_df']}, p {p_value(u['q_p'])})",
                )
            )
    return rows
