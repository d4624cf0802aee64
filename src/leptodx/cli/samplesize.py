"""``leptodx samplesize develop|validate``: minimum sample sizes for prediction-model studies.

``validate`` is registered on :data:`samplesize_app` by :mod:`leptodx.cli.samplesize_validate`.

Development (Riley et al., BMJ 2020; Stat Med 2019) for binary, time-to-event and continuous
outcomes; external validation of a binary-outcome model (Riley et al., Stat Med 2021). JSON
fields are documented in docs/research.md; the numbers agree with the authors' pmsampsize and
pmvalsampsize (tests/reference_values/samplesize).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from leptodx.cli._app import App
from leptodx.cli._output import OutputFormat as Format
from leptodx.cli._output import emit_json
from leptodx.errors import InputError, LeptoDxError

samplesize_app = App(
    help="Minimum sample size to develop or externally validate a prediction model."
)
T = TypeVar("T")

REFERENCES_DEVELOP = (
    "Riley RD, et al. Calculating the sample size required for developing a clinical prediction "
    "model. BMJ 2020;368:m441",
    "Riley RD, et al. Minimum sample size for developing a multivariable prediction model: part I "
    "(continuous) and part II (binary and time-to-event). Stat Med 2019;38:1262-1296",
)


class Outcome(StrEnum):
    BINARY = "binary"
    SURVIVAL = "survival"
    CONTINUOUS = "continuous"


class Rng(StrEnum):
    R = "r"
    PYTHON = "python"


FormatOpt = Annotated[Format, typer.Option("--format", help="text or json.")]
OPTION_OF = {
    "lp_normal": "--lp-normal",
    "lp_beta": "--lp-beta",
    "lp_cstat": "--lp-cstat",
    "oe": "--oe",
    "CI widths": "--oe-ci-width/--slope-ci-width/--cstat-ci-width/--nb-ci-width",
    "cstat_ci_width": "--cstat-ci-width",
    "r2cs/r2nagelkerke/cstatistic": "--r2cs/--r2nagelkerke/--cstatistic",
    "r2cs/r2nagelkerke": "--r2cs/--r2nagelkerke",
    "sensitivity/specificity": "--sensitivity/--specificity",
}


def as_user_error(call: Callable[[], T]) -> T:
    """Run a statistics call; its input errors are re-worded with the command's option names."""
    from leptodx.stats import StatsInputError

    try:
        return call()
    except StatsInputError as exc:
        name, _, rest = str(exc).partition(": ")
        option = OPTION_OF.get(name, "--" + name.replace("_", "-"))
        raise LeptoDxError(f"{option}: {rest}") from None


def number(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _outcome_from_options(explicit: Outcome | None, given: dict[str, float | None]) -> Outcome:
    groups = {
        Outcome.BINARY: ("--prevalence", "--r2cs", "--r2nagelkerke", "--cstatistic"),
        Outcome.SURVIVAL: ("--rate", "--timepoint", "--meanfup"),
        Outcome.CONTINUOUS: ("--r2", "--intercept", "--sd"),
    }
    present = {o for o, options in groups.items() for opt in options if given.get(opt) is not None}
    if explicit is not None:
        present.add(explicit)
    if Outcome.SURVIVAL in present and present <= {Outcome.SURVIVAL, Outcome.BINARY}:
        binary_only = [o for o in ("--prevalence", "--cstatistic") if given.get(o) is not None]
        if binary_only:
            raise InputError(
                binary_only[0],
                given[binary_only[0]],
                "no binary-outcome option with --rate/--timepoint/--meanfup",
            )
        present = {Outcome.SURVIVAL}
    if len(present) != 1:
        raise InputError(
            "--outcome",
            explicit.value if explicit else None,
            "the options of one outcome: --prevalence (binary), --rate/--timepoint/--meanfup "
            "(survival) or --r2/--intercept/--sd (continuous)",
        )
    return present.pop()


def _require(
    options: dict[str, float | None], names: tuple[str, ...], outcome: Outcome
) -> list[float]:
    """The values of the options ``names`` in order; a missing one names the option."""
    values = []
    for name in names:
        value = options.get(name)
        if value is None:
            raise InputError(name, None, f"a value (required for a {outcome.value} outcome)")
        values.append(value)
    return values


@samplesize_app.command("develop")
def develop(
    parameters: Annotated[
        int, typer.Option("--parameters", help="Candidate predictor parameters.")
    ],
    prevalence: Annotated[
        float | None, typer.Option("--prevalence", help="Binary: anticipated outcome proportion.")
    ] = None,
    r2cs: Annotated[
        float | None, typer.Option("--r2cs", help="Anticipated Cox-Snell R² (binary, survival).")
    ] = None,
    r2nagelkerke: Annotated[
        float | None,
        typer.Option("--r2nagelkerke", help="Anticipated Nagelkerke R² (binary, survival)."),
    ] = None,
    cstatistic: Annotated[
        float | None,
        typer.Option("--cstatistic", help="Binary: anticipated C-statistic (converted to R²cs)."),
    ] = None,
    shrinkage: Annotated[
        float, typer.Option("--shrinkage", help="Target expected shrinkage.")
    ] = 0.9,
    rate: Annotated[
        float | None, typer.Option("--rate", help="Survival: overall event rate per time unit.")
    ] = None,
    timepoint: Annotated[
        float | None, typer.Option("--timepoint", help="Survival: prediction time point.")
    ] = None,
    meanfup: Annotated[
        float | None, typer.Option("--meanfup", help="Survival: mean follow-up (same time unit).")
    ] = None,
    r2: Annotated[
        float | None, typer.Option("--r2", help="Continuous: anticipated adjusted R².")
    ] = None,
    intercept: Annotated[
        float | None, typer.Option("--intercept", help="Continuous: mean outcome value.")
    ] = None,
    sd: Annotated[float | None, typer.Option("--sd", help="Continuous: SD of the outcome.")] = None,
    mmoe: Annotated[
        float, typer.Option("--mmoe", help="Continuous: margin of error of the intercept.")
    ] = 1.1,
    outcome: Annotated[
        Outcome | None,
        typer.Option("--outcome", help="binary, survival or continuous (else from the options)."),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the C-statistic simulation.")
    ] = 123456,
    rng: Annotated[
        Rng,
        typer.Option(
            "--rng",
            help="Random stream of that simulation: r (pmsampsize for R) or python (its Python port).",
        ),
    ] = Rng.R,
    fmt: FormatOpt = Format.TEXT,
) -> None:
    """Minimum sample size to develop a prediction model (Riley et al.)."""
    from leptodx.stats import samplesize as ss
    from leptodx.stats.samplesize_continuous import continuous_sample_size
    from leptodx.stats.samplesize_cstatistic import Generator

    given = {
        "--prevalence": prevalence,
        "--r2cs": r2cs,
        "--r2nagelkerke": r2nagelkerke,
        "--cstatistic": cstatistic,
        "--rate": rate,
        "--timepoint": timepoint,
        "--meanfup": meanfup,
        "--r2": r2,
        "--intercept": intercept,
        "--sd": sd,
    }
    kind = _outcome_from_options(outcome, given)
    result: Any
    if kind is Outcome.BINARY:
        (prevalence_value,) = _require(given, ("--prevalence",), kind)
        result = as_user_error(
            lambda: ss.binary_sample_size(
                prevalence=prevalence_value,
                parameters=parameters,
                r2cs=r2cs,
                r2nagelkerke=r2nagelkerke,
                cstatistic=cstatistic,
                shrinkage=shrinkage,
                seed=seed,
                generator=Generator(rng.value),
            )
        )
    elif kind is Outcome.SURVIVAL:
        rate_v, timepoint_v, meanfup_v = _require(
            given, ("--rate", "--timepoint", "--meanfup"), kind
        )
        result = as_user_error(
            lambda: ss.survival_sample_size(
                rate=rate_v,
                timepoint=timepoint_v,
                meanfup=meanfup_v,
                parameters=parameters,
                r2cs=r2cs,
                r2nagelkerke=r2nagelkerke,
                shrinkage=shrinkage,
            )
        )
    else:
        r2_v, intercept_v, sd_v = _require(given, ("--r2", "--intercept", "--sd"), kind)
        result = as_user_error(
            lambda: continuous_sample_size(
                r2=r2_v,
                parameters=parameters,
                intercept=intercept_v,
                sd=sd_v,
                shrinkage=shrinkage,
                mmoe=mmoe,
            )
        )
    if fmt is Format.JSON:
        emit_json(result.to_dict())
        return
    _print_development(result)


def _print_development(result: Any) -> None:
    console = Console(highlight=False, soft_wrap=True)
    table = Table(title=f"Minimum sample size to develop a model ({result.outcome} outcome)")
    for name in ("Criterion", "Sample size", "Shrinkage"):
        table.add_column(name)
    for c in result.criteria:
        table.add_row(c.criterion, str(c.sample_size), number(c.shrinkage))
    table.add_row("Final", str(result.sample_size), number(result.shrinkage), style="bold")
    console.print(table)
    lines = [f"Minimum sample size: {result.sample_size} patients"]
    if result.events is not None:
        lines.append(
            f"Events: {result.events:.1f} (events per candidate parameter {result.epp:.2f}; "
            f"{result.parameters} parameters)"
        )
    else:
        lines.append(
            f"Patients per candidate parameter: {result.details['subjects_per_parameter']:.2f}"
        )
    if result.max_r2 is not None:
        lines.append(
            f"Cox-Snell R² used {result.r2:g} (maximum possible {result.max_r2:.3f}; Nagelkerke "
            f"{result.nagelkerke:.3f})"
        )
    if "overall_risk" in result.details:
        d = result.details
        lines.append(
            f"Overall risk at the time point {d['overall_risk']:.3f} (95 % CI "
            f"{d['overall_risk_lower']:.3f}–{d['overall_risk_upper']:.3f} at this size)"
        )
    if "intercept_lower" in result.details:
        d = result.details
        lines.append(
            f"95 % CI of the mean outcome at this size: {d['intercept_lower']:.2f}–{d['intercept_upper']:.2f}"
        )
    lines.extend(result.notes)
    lines.extend(f"Source: {r}" for r in REFERENCES_DEVELOP)
    for line in lines:
        console.print(line, markup=False)
