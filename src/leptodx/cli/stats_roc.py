"""``leptodx stats roc | dca | proportion | fisher`` (JSON fields documented in docs/stats.md)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from leptodx.cli._output import emit_json
from leptodx.cli.stats import column, read_table, stats_app
from leptodx.errors import InputError
from leptodx.stats import (
    auc_ci,
    chi_square_test,
    clopper_pearson_ci,
    compare_auc,
    compare_auc_unpaired,
    decision_curve,
    fisher_exact,
    wilson_ci,
)


class Format(StrEnum):
    JSON = "json"
    TEXT = "text"


FormatOpt = Annotated[Format, typer.Option("--format", help="json (stable fields) or text.")]


def _show(payload: dict[str, Any], fmt: Format, title: str) -> None:
    if fmt is Format.JSON:
        emit_json(payload)
        return
    table = Table("quantity", "value", title=title)
    for key, value in payload.items():
        table.add_row(key, str(value))
    Console().print(table)


@stats_app.command("roc")
def roc_command(
    data: Annotated[Path, typer.Argument(help="Data file (CSV, TSV, Parquet, Excel).")],
    outcome: Annotated[str, typer.Option(help="Outcome column (0/1).")],
    score: Annotated[list[str], typer.Option(help="Score column; give twice to compare.")],
    unpaired: Annotated[
        Path | None, typer.Option(help="Second data file: compare independent samples.")
    ] = None,
    level: Annotated[float, typer.Option(help="Confidence level.")] = 0.95,
    format: FormatOpt = Format.JSON,
) -> None:
    """AUC with DeLong CI; with two scores (or --unpaired) the DeLong test of their difference."""
    if len(score) > 2 or (unpaired is not None and len(score) != 1):
        raise InputError(
            "--score", score, "one score column (with --unpaired) or two score columns"
        )
    frame = read_table(data)
    y = column(frame, outcome, option="--outcome")
    results = [auc_ci(y, column(frame, s, option="--score"), level=level) for s in score]
    payload: dict[str, Any] = {
        "n": results[0].n,
        "n_events": results[0].n_events,
        "scores": [
            {"name": s, "auc": r.auc, "ci": list(r.ci), "se": r.se, "method": r.method}
            for s, r in zip(score, results, strict=True)
        ],
    }
    if len(score) == 2:
        c = compare_auc(
            y,
            column(frame, score[0], option="--score"),
            column(frame, score[1], option="--score"),
            level=level,
        )
        payload["comparison"] = {
            "difference": c.difference,
            "ci": list(c.ci),
            "z": c.z,
            "p_value": c.p_value,
            "method": c.method,
        }
    elif unpaired is not None:
        other = read_table(unpaired)
        y2 = column(other, outcome, option="--outcome")
        s2 = column(other, score[0], option="--score")
        u = compare_auc_unpaired(y, column(frame, score[0], option="--score"), y2, s2)
        payload["unpaired"] = {"n": int(y2.size), "n_events": int(y2.sum()), "auc": u.auc2}
        payload["comparison"] = {
            "difference": u.difference,
            "ci": None,
            "z": u.statistic,
            "df": u.df,
            "p_value": u.p_value,
            "method": u.method,
        }
    _show(payload, format, "ROC")


def parse_thresholds(spec: str) -> np.ndarray:
    """``start:stop:step`` (inclusive stop) or a comma-separated list."""
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
    frame = read_table(data)
    y = column(frame, outcome, option="--outcome")
    curve = decision_curve(
        y,
        {p: column(frame, p, option="--prob") for p in prob},
        parse_thresholds(thresholds),
        n_boot=bootstrap,
        random_state=seed,
    )
    payload: dict[str, Any] = {
        "thresholds": curve.thresholds,
        "net_benefit": curve.net_benefit,
        "standardized_net_benefit": curve.standardized_net_benefit,
        "interventions_avoided_per_100": curve.interventions_avoided_per_100,
        "prevalence": curve.prevalence,
        "n": curve.n,
    }
    if curve.bands:
        payload["net_benefit_band"] = {
            k: {"lower": lo, "upper": hi} for k, (lo, hi) in curve.bands.items()
        }
    _show(payload, format, "Decision curve")


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
    level: Annotated[float, typer.Option(help="Confidence level.")] = 0.95,
    format: FormatOpt = Format.JSON,
) -> None:
    """A proportion with its confidence interval."""
    fn = wilson_ci if method is PropMethod.WILSON else clopper_pearson_ci
    r = fn(events, n, level=level)
    _show(
        {
            "events": r.events,
            "n": r.n,
            "estimate": r.estimate,
            "ci": list(r.ci),
            "level": r.level,
            "method": r.method,
        },
        format,
        "Proportion",
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
    f = fisher_exact([[a, b], [c, d]])
    payload: dict[str, Any] = {
        "table": [[a, b], [c, d]],
        "fisher_p_value": f.p_value,
        "odds_ratio": f.odds_ratio,
    }
    if (a + b) and (c + d) and (a + c) and (b + d):
        chi = chi_square_test([[a, b], [c, d]])
        payload |= {
            "chisq": chi.statistic,
            "chisq_df": chi.df,
            "chisq_p_value": chi.p_value,
            "chisq_method": chi.method,
        }
    _show(payload, format, "2×2 table")
