"""``leptodx samplesize validate``: minimum sample size to externally validate a binary-outcome model."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from leptodx.cli._output import OutputFormat as Format
from leptodx.cli._output import emit_json
from leptodx.cli.samplesize import FormatOpt, as_user_error, number, samplesize_app
from leptodx.errors import InputError

REFERENCE_VALIDATE = (
    "Riley RD, et al. Minimum sample size for external validation of a clinical prediction model "
    "with a binary outcome. Stat Med 2021;40:4230-4251"
)


@samplesize_app.command("validate")
def validate(
    prevalence: Annotated[
        float,
        typer.Option(
            "--prevalence", help="Anticipated outcome proportion in the validation population."
        ),
    ],
    cstatistic: Annotated[float, typer.Option("--cstatistic", help="Anticipated C-statistic.")],
    lp_normal: Annotated[
        tuple[float, float] | None,
        typer.Option("--lp-normal", help="Normal LP distribution: MEAN SD."),
    ] = None,
    lp_beta: Annotated[
        tuple[float, float] | None,
        typer.Option("--lp-beta", help="Predicted risks beta(A, B): A B."),
    ] = None,
    lp_cstat: Annotated[
        float | None,
        typer.Option("--lp-cstat", help="LP from the C-statistic: start of the non-event mean."),
    ] = None,
    oe: Annotated[float, typer.Option("--oe", help="Anticipated O/E.")] = 1.0,
    oe_ci_width: Annotated[
        float, typer.Option("--oe-ci-width", help="Target 95 % CI width of O/E.")
    ] = 0.2,
    slope_ci_width: Annotated[
        float, typer.Option("--slope-ci-width", help="Target CI width of the calibration slope.")
    ] = 0.2,
    cstat_ci_width: Annotated[
        float, typer.Option("--cstat-ci-width", help="Target CI width of the C-statistic.")
    ] = 0.1,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Risk threshold for net benefit.")
    ] = None,
    sensitivity: Annotated[
        float | None,
        typer.Option("--sensitivity", help="Anticipated sensitivity at the threshold."),
    ] = None,
    specificity: Annotated[
        float | None,
        typer.Option("--specificity", help="Anticipated specificity at the threshold."),
    ] = None,
    nb_ci_width: Annotated[
        float,
        typer.Option("--nb-ci-width", help="Target CI width of the standardised net benefit."),
    ] = 0.2,
    simobs: Annotated[
        int, typer.Option("--simobs", help="Simulated patients for the LP distribution.")
    ] = 1_000_000,
    tolerance: Annotated[
        float,
        typer.Option(
            "--tolerance",
            help="--lp-cstat: accepted gap between simulated and anticipated outcome proportion.",
        ),
    ] = 0.0005,
    increment: Annotated[
        float, typer.Option("--increment", help="--lp-cstat: step of the non-event mean.")
    ] = 0.1,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed (R's generator, as pmvalsampsize).")
    ] = 123456,
    fmt: FormatOpt = Format.TEXT,
) -> None:
    """Minimum sample size to externally validate a binary-outcome model (Riley et al. 2021)."""
    from leptodx.stats.samplesize_lp import LpDistribution
    from leptodx.stats.samplesize_validation import validation_sample_size

    chosen = [
        (k, v)
        for k, v in (("normal", lp_normal), ("beta", lp_beta), ("cstat", lp_cstat))
        if v is not None
    ]
    if len(chosen) != 1:
        raise InputError(
            "--lp-normal/--lp-beta/--lp-cstat",
            [k for k, _ in chosen] or None,
            "exactly one linear-predictor distribution",
        )
    kind, values = chosen[0]
    lp = LpDistribution(kind, tuple(values) if isinstance(values, tuple) else (float(values),))
    result = as_user_error(
        lambda: validation_sample_size(
            prevalence=prevalence,
            cstatistic=cstatistic,
            lp=lp,
            oe=oe,
            oe_ci_width=oe_ci_width,
            slope_ci_width=slope_ci_width,
            cstat_ci_width=cstat_ci_width,
            threshold=threshold,
            sensitivity=sensitivity,
            specificity=specificity,
            nb_ci_width=nb_ci_width,
            simobs=simobs,
            seed=seed,
            tolerance=tolerance,
            increment=increment,
        )
    )
    if fmt is Format.JSON:
        emit_json(result.to_dict())
        return
    console = Console(highlight=False, soft_wrap=True)
    table = Table(title="Minimum sample size to externally validate a model (binary outcome)")
    for name in ("Criterion", "Sample size", "Anticipated value", "SE", "95 % CI width"):
        table.add_column(name)
    for c in result.criteria:
        table.add_row(
            c.criterion,
            str(c.sample_size),
            number(c.performance),
            number(c.se),
            number(c.ci_width),
        )
    table.add_row("Final", str(result.sample_size), "", "", "", style="bold")
    console.print(table)
    d = result.details
    lines = [
        f"Minimum sample size: {result.sample_size} patients with {result.events:.1f} events "
        f"(outcome proportion {result.prevalence:g}); driven by the {result.driving} criterion.",
        f"Linear predictor: {result.lp.describe()}; {int(d['simobs']):,} simulated patients, seed {int(d['seed'])}.",
    ]
    if "sensitivity" in d:
        how = (
            "from the simulated LP distribution"
            if "sensitivity_from_simulation" in d
            else "as given"
        )
        lines.append(
            f"Net benefit at threshold {d['threshold']:g}: sensitivity {d['sensitivity']:g}, "
            f"specificity {d['specificity']:g} ({how}); net benefit {d['net_benefit']:.4f}."
        )
    if "simulated_prevalence" in d:
        lines.append(
            f"Simulated LP: non-event mean {d['non_event_mean']:.2f}, event mean {d['event_mean']:.2f}, "
            f"common variance {d['common_variance']:.3f}; simulated outcome proportion "
            f"{d['simulated_prevalence']:.4f}, C-statistic {d['simulated_cstatistic']:.3f}."
        )
    lines.append(f"Source: {REFERENCE_VALIDATE}")
    for line in lines:
        console.print(line, markup=False)
