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

from leptodx.cli._output import emit_json
from leptodx.cli._tables import level_label, num, p_value, show_table, sig
from leptodx.cli.stats import read_table, stats_app
from leptodx.cli.stats_roc import Format, FormatOpt
from leptodx.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

TimeOpt = Annotated[str, typer.Option("--time", help="Follow-up time column (≥ 0).")]
EventOpt = Annotated[str, typer.Option("--event", help="Event column: 1 = event, 0 = censored.")]
LevelOpt = Annotated[float, typer.Option(help="Confidence level.")]


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
            help="Also write the Kaplan–Meier figure with numbers at risk and the log-rank p "
            "(.png or .svg)."
        ),
    ] = None,
    ci_band: Annotated[
        bool, typer.Option("--ci-band", help="Draw each curve's confidence band in the figure.")
    ] = False,
) -> None:
    """Kaplan–Meier median survival with its CI per group and the log-rank test (R survfit)."""
    from leptodx.research.survival import analyse_survival

    analysis = analyse_survival(read_table(data), time, event, group, level=level)
    if plot is not None:
        if plot.suffix.lower() not in {".png", ".svg"}:
            raise InputError("--plot", str(plot), "a file name ending in .png or .svg")
        from leptodx.cohort.io import write_bytes_atomic
        from leptodx.reports.kaplan_meier import km_figure

        image = km_figure(
            list(analysis.curves),
            logrank_p=None if analysis.logrank is None else analysis.logrank.p_value,
            time_label=time,
            ci_band=ci_band,
            fmt=plot.suffix.lower().lstrip("."),
        )
        write_bytes_atomic(plot, lambda tmp: tmp.write_bytes(image))
    if format is Format.JSON:
        emit_json(analysis.to_dict())
        return
    lr = analysis.logrank
    notes = (
        []
        if lr is None
        else [f"log-rank χ² = {num(lr.chisq, 2)}, df = {lr.df}, p = {p_value(lr.p_value)}"]
    )
    show_table(
        f"Kaplan–Meier median {time}" + (f" by {group}" if group else ""),
        ["group", "n", "events", "median", level_label(level)],
        [
            [
                str(c.name),
                str(c.n),
                str(c.events),
                sig(c.median, 4),
                f"{sig(c.median_ci[0], 4)} to {sig(c.median_ci[1], 4)}",
            ]
            for c in analysis.curves
        ],
        notes
        + [analysis.method]
        + [f"warning: {w.removesuffix(' (null)')}" for w in analysis.warnings],
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
        values: NDArray[Any] = numeric.to_numpy(dtype=np.float64)
        return values
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
    if format is Format.JSON:
        emit_json(res.to_dict())
        return
    show_table(
        f"Cox model (n = {res.n}, events = {res.events}, Efron ties)",
        ["term", "coef", "SE", "hazard ratio", level_label(level), "p"],
        [
            [
                c.term,
                num(c.coef),
                num(c.se),
                num(c.hazard_ratio, 2),
                f"{num(c.ci_lower, 2)} to {num(c.ci_upper, 2)}",
                p_value(c.p_value),
            ]
            for c in res.terms
        ],
        [f"reference level of {k}: {v}" for k, v in res.reference_levels.items()]
        + [f"log partial likelihood {num(res.log_likelihood, 2)}; {res.method}"]
        + [f"warning: {w}" for w in res.warnings],
    )
