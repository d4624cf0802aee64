"""``leptodx stats survival | cox`` (JSON fields documented in docs/stats.md).

Rows with a missing time, event, group or covariate are refused, never dropped silently: the
message names the option, the column and the row (1 = first data row).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer
from numpy.typing import NDArray
from rich.console import Console
from rich.table import Table

from leptodx.cli._output import emit_json
from leptodx.cli.stats import read_table, stats_app
from leptodx.cli.stats_roc import Format, FormatOpt
from leptodx.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

TimeOpt = Annotated[str, typer.Option("--time", help="Follow-up time column (≥ 0).")]
EventOpt = Annotated[str, typer.Option("--event", help="Event column: 1 = event, 0 = censored.")]
LevelOpt = Annotated[float, typer.Option(help="Confidence level.")]


def _show_table(title: str, header: list[str], rows: list[list[Any]], notes: list[str]) -> None:
    table = Table(*header, title=title)
    for row in rows:
        table.add_row(
            *("—" if v is None else f"{v:.4g}" if isinstance(v, float) else str(v) for v in row)
        )
    console = Console()
    console.print(table)
    for note in notes:
        console.print(note, markup=False)


@stats_app.command("survival")
def survival_command(
    data: Annotated[Path, typer.Argument(help="Data file (CSV, TSV, Parquet, Excel).")],
    time: TimeOpt,
    event: EventOpt,
    group: Annotated[
        str | None, typer.Option(help="Group column (e.g. the EANO–ESMO type); omit for one curve.")
    ] = None,
    level: LevelOpt = 0.95,
    format: FormatOpt = Format.JSON,
    plot: Annotated[
        Path | None,
        typer.Option(
            help="Also write the Kaplan–Meier figure with numbers at risk (.png or .svg)."
        ),
    ] = None,
) -> None:
    """Kaplan–Meier median survival with its CI per group and the log-rank test (R survfit)."""
    from leptodx.research.survival import survival_analysis

    payload, curves = survival_analysis(read_table(data), time, event, group, level=level)
    if plot is not None:
        if plot.suffix.lower() not in {".png", ".svg"}:
            raise InputError("--plot", str(plot), "a file name ending in .png or .svg")
        from leptodx.cohort.io import write_bytes_atomic
        from leptodx.research.survival import km_figure

        image = km_figure(curves, time_label=time, fmt=plot.suffix.lower().lstrip("."))
        write_bytes_atomic(plot, lambda tmp: tmp.write_bytes(image))
    logrank, warnings = payload["logrank"], payload["warnings"]
    if format is Format.JSON:
        emit_json(payload)
        return
    notes = (
        []
        if logrank is None
        else [
            f"log-rank χ² = {logrank['chisq']:.4g}, df = {logrank['df']}, "
            f"p = {logrank['p_value']:.4g}"
        ]
    )
    _show_table(
        "Kaplan–Meier",
        ["group", "n", "events", "median", f"{level:.0%} CI lower", f"{level:.0%} CI upper"],
        [[g["name"], g["n"], g["events"], g["median"], *g["median_ci"]] for g in payload["groups"]],
        notes + [f"warning: {w}" for w in warnings],
    )


def _split(specs: list[str]) -> list[str]:
    names = [part for spec in specs for part in re.split(r"[,\s]+", spec) if part]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise InputError("--covariates", ", ".join(duplicated), "each covariate named once")
    return names


def _covariate(frame: pd.DataFrame, name: str) -> NDArray[Any]:
    """Numbers stay numeric; any text value makes the column categorical (dummy coded)."""
    import pandas as pd

    from leptodx.research.survival import labels

    raw = labels(frame, name, option="--covariates")
    numeric = pd.to_numeric(frame[name], errors="coerce")
    if numeric.notna().all():
        return numeric.to_numpy(dtype=np.float64)
    return np.array([str(v) for v in raw], dtype=object)


@stats_app.command(
    "cox", context_settings={"allow_extra_args": True, "ignore_unknown_options": False}
)
def cox_command(
    ctx: typer.Context,
    data: Annotated[Path, typer.Argument(help="Data file (CSV, TSV, Parquet, Excel).")],
    time: TimeOpt,
    event: EventOpt,
    covariates: Annotated[
        list[str],
        typer.Option(
            help="Covariate columns: repeat the option or list them (a,b or 'a b'). Text "
            "columns are categorical, the first sorted level is the reference."
        ),
    ],
    level: LevelOpt = 0.95,
    format: FormatOpt = Format.JSON,
) -> None:
    """Cox proportional hazards model (Efron ties): hazard ratios, Wald CIs, p-values (R coxph)."""
    from leptodx.research.survival import survival_columns
    from leptodx.stats import cox_ph

    names = _split([*covariates, *ctx.args])  # `--covariates a b` leaves b in ctx.args
    frame = read_table(data)
    t, e = survival_columns(frame, time, event)
    res = cox_ph(t, e, {n: _covariate(frame, n) for n in names}, level=level)
    payload: dict[str, Any] = {
        "coefficients": [
            {
                "term": c.term,
                "coef": c.coef,
                "se": c.se,
                "hazard_ratio": c.hazard_ratio,
                "ci_lower": c.ci_lower,
                "ci_upper": c.ci_upper,
                "p_value": c.p_value,
            }
            for c in res.terms
        ],
        "n": res.n,
        "events": res.events,
        "ties": res.ties,
        "reference_levels": dict(res.reference_levels),
        "log_likelihood": res.log_likelihood,
        "level": res.level,
        "method": res.method,
        "warnings": list(res.warnings),
    }
    if format is Format.JSON:
        emit_json(payload)
        return
    _show_table(
        f"Cox model (n = {res.n}, events = {res.events}, Efron ties)",
        ["term", "HR", f"{level:.0%} CI lower", f"{level:.0%} CI upper", "p"],
        [[c.term, c.hazard_ratio, c.ci_lower, c.ci_upper, c.p_value] for c in res.terms],
        [f"reference level of {k}: {v}" for k, v in res.reference_levels.items()]
        + [f"warning: {w}" for w in res.warnings],
    )
