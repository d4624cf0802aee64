"""``leptodx stats roc | dca | proportion | fisher`` (JSON fields documented in docs/stats.md)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from leptodx.cli._output import emit_json
from leptodx.cli._tables import interval, level_label, num, p_value, show_table
from leptodx.cli.stats import (
    finite_column,
    outcome_column,
    read_table,
    stats_app,
    user_columns,
)
from leptodx.errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from leptodx.stats.decision_curve import DecisionCurve
    from leptodx.stats.proportions import Proportion, TwoByTwoTests
    from leptodx.stats.roc_analysis import RocAnalysis


class Format(StrEnum):
    JSON = "json"
    TEXT = "text"


FormatOpt = Annotated[
    Format, typer.Option("--format", help="json (stable fields) or text (a rounded table).")
]
LevelOpt = Annotated[float, typer.Option(help="Confidence level, e.g. 0.95.")]


@stats_app.command("roc")
def roc_command(
    data: Annotated[Path, typer.Argument(help="Data file (CSV, TSV, Parquet, Excel).")],
    outcome: Annotated[str, typer.Option(help="Outcome column (0/1).")],
    score: Annotated[list[str], typer.Option(help="Score column; give twice to compare.")],
    unpaired: Annotated[
        Path | None, typer.Option(help="Second data file: compare independent samples.")
    ] = None,
    level: LevelOpt = 0.95,
    format: FormatOpt = Format.JSON,
) -> None:
    """AUC with DeLong CI; with two scores (or --unpaired) the DeLong test of their difference."""
    from leptodx.stats.roc_analysis import roc_analysis

    if len(score) > 2 or (unpaired is not None and len(score) != 1):
        raise InputError(
            "--score", score, "one score column (with --unpaired) or two score columns"
        )
    frame = read_table(data)
    y = outcome_column(frame, outcome)
    scores = [(s, finite_column(frame, s, option="--score")) for s in score]
    second = None
    if unpaired is not None:
        other = read_table(unpaired)
        second = (outcome_column(other, outcome), finite_column(other, score[0], option="--score"))
    with user_columns(outcome=outcome, scores=score):
        result = roc_analysis(y, scores, level=level, second_sample=second)
    if format is Format.JSON:
        emit_json(result.to_dict())
    else:
        _roc_text(result, level)


_CI_METHODS = {
    "delong": "DeLong",
    "delong-logit": "DeLong, on the logit scale",
    "bootstrap": "percentile bootstrap",
}


def _roc_text(result: RocAnalysis, level: float) -> None:
    rows = [
        [
            s.name,
            num(s.result.auc),
            interval(s.result.ci),
            num(s.result.se, 4),
            str(s.result.n),
            str(s.result.n_events),
        ]
        for s in result.scores
    ]
    method = result.scores[0].result.method
    notes = [f"CI of the AUC: {_CI_METHODS.get(method, method)}"]
    if (u := result.unpaired) is not None:
        rows.append(["(second sample)", num(u.auc2), "—", "—", str(u.n2), str(u.n_events2)])
        notes.append(
            f"Difference (first − second sample): {num(u.difference)}; "
            f"t = {num(u.statistic, 2)}, df = {num(u.df, 1)}, p = {p_value(u.p_value)} "
            f"({u.method}; no CI for the unpaired difference, as pROC)"
        )
    elif (c := result.paired) is not None:
        first, second = (s.name for s in result.scores)
        notes.append(
            f"Difference ({first} − {second}): {num(c.difference)} "
            f"({level_label(level)} {interval(c.ci)}); z = {num(c.z, 2)}, "
            f"p = {p_value(c.p_value)} ({c.method})"
        )
    show_table(
        "ROC: area under the curve",
        ["score", "AUC", level_label(level), "SE", "n", "events"],
        rows,
        notes,
    )


def parse_thresholds(spec: str) -> np.ndarray:
    """``start:stop:step`` (inclusive stop) or a comma-separated list."""
    import numpy as np

    try:
        if ":" in spec:
            start, stop, step = (float(x) for x in spec.split(":"))
            if step <= 0 or stop < start:
                raise ValueError
            return np.round(np.arange(start, stop + step / 2, step), 10)
        return np.array([float(x) for x in spec.split(",")])
    except ValueError:
        raise InputError(
            "--thresholds", spec, "start:stop:step (e.g. 0.05:0.5:0.05) or a list like 0.1,0.2"
        ) from None


@stats_app.command("dca")
def dca_command(
    data: Annotated[Path, typer.Argument(help="Data file.")],
    outcome: Annotated[str, typer.Option(help="Outcome column (0/1).")],
    prob: Annotated[
        list[str], typer.Option(help="Predicted-risk column; repeat for several models.")
    ],
    thresholds: Annotated[
        str, typer.Option(help="start:stop:step or a comma list.")
    ] = "0.05:0.5:0.05",
    bootstrap: Annotated[int, typer.Option(help="Bootstrap resamples for bands (0 = none).")] = 0,
    seed: Annotated[int | None, typer.Option(help="Seed for the bootstrap.")] = None,
    format: FormatOpt = Format.JSON,
) -> None:
    """Net benefit of each model, treat-all and treat-none; interventions avoided per 100."""
    from leptodx.stats import decision_curve

    frame = read_table(data)
    y = outcome_column(frame, outcome)
    probs = {p: finite_column(frame, p, option="--prob") for p in prob}
    with user_columns(outcome=outcome, probs=prob):
        curve = decision_curve(
            y, probs, parse_thresholds(thresholds), n_boot=bootstrap, random_state=seed
        )
    if format is Format.JSON:
        emit_json(curve.to_dict())
    else:
        _dca_text(curve, list(probs))


def _dca_text(curve: DecisionCurve, models: list[str]) -> None:
    names = [*models, "all", "none"]
    header = [
        "threshold",
        *(f"NB {m}" for m in models),
        "NB treat all",
        "NB treat none",
        *(f"avoided/100 {m}" for m in models),
    ]
    rows = []
    for i, t in enumerate(curve.thresholds):
        rows.append(
            [
                f"{100 * float(t):g}%",
                *(num(float(curve.net_benefit[m][i]), 4) for m in names),
                *(num(float(curve.interventions_avoided_per_100[m][i]), 1) for m in models),
            ]
        )
    notes = [
        f"n = {curve.n}, prevalence {100 * curve.prevalence:.1f}%; {curve.method}. "
        "NB = net benefit (true positives per patient, net of false positives weighted by the "
        "threshold odds); avoided/100 = interventions avoided per 100 patients versus treat all."
    ]
    for m, (lo, hi) in curve.bands.items():
        notes.append(
            f"{m}: bootstrap band of the net benefit "
            + ", ".join(
                f"{100 * float(t):g}%: {num(float(a), 4)} to {num(float(b), 4)}"
                for t, a, b in zip(curve.thresholds, lo, hi, strict=True)
            )
        )
    show_table("Decision curve", header, rows, notes)


class PropMethod(StrEnum):
    WILSON = "wilson"
    EXACT = "exact"


@stats_app.command("proportion")
def proportion_command(
    events: Annotated[int, typer.Option(help="Number of events.")],
    n: Annotated[int, typer.Option(help="Number of patients.")],
    method: Annotated[
        PropMethod, typer.Option(help="wilson or exact (Clopper–Pearson).")
    ] = PropMethod.WILSON,
    level: LevelOpt = 0.95,
    format: FormatOpt = Format.JSON,
) -> None:
    """A proportion with its confidence interval."""
    from leptodx.stats import clopper_pearson_ci, wilson_ci

    fn = wilson_ci if method is PropMethod.WILSON else clopper_pearson_ci
    r = fn(events, n, level=level)
    if format is Format.JSON:
        emit_json(r.to_dict())
    else:
        _proportion_text(r)


def _proportion_text(r: Proportion) -> None:
    show_table(
        "Proportion",
        ["events / n", "estimate", level_label(r.level)],
        [
            [
                f"{r.events} / {r.n}",
                f"{100 * r.estimate:.1f}%",
                f"{100 * r.ci[0]:.1f}% to {100 * r.ci[1]:.1f}%",
            ]
        ],
        [f"CI: {r.method}"],
    )


@stats_app.command("fisher")
def fisher_command(
    table: Annotated[
        str, typer.Option(help="2×2 counts a,b,c,d (rows: group; columns: finding yes/no).")
    ],
    format: FormatOpt = Format.JSON,
) -> None:
    """Fisher's exact test and the χ² test of a 2×2 table."""
    try:
        a, b, c, d = (int(x) for x in table.split(","))
    except ValueError:
        raise InputError("--table", table, "four whole numbers a,b,c,d") from None
    from leptodx.stats.proportions import two_by_two_tests

    result = two_by_two_tests(a, b, c, d)
    if format is Format.JSON:
        emit_json(result.to_dict())
    else:
        _fisher_text(result)


def _fisher_text(r: TwoByTwoTests) -> None:
    (a, b), (c, d) = r.table
    rows = [
        ["Fisher's exact (two-sided)", "—", "—", p_value(r.fisher.p_value)],
    ]
    if r.chi_square is not None:
        rows.append(
            [
                r.chi_square.method,
                num(r.chi_square.statistic, 2),
                str(r.chi_square.df),
                p_value(r.chi_square.p_value),
            ]
        )
    notes = [
        f"Table: group 1 {a} yes / {b} no; group 2 {c} yes / {d} no. "
        f"Sample odds ratio {num(r.fisher.odds_ratio, 2)}."
    ]
    if r.chi_square is None:
        notes.append("χ² is undefined: a row or column total is 0.")
    show_table("2×2 table", ["test", "χ²", "df", "p"], rows, notes)
