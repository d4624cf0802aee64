"""``leptodx stats calibration | logistic | lasso | validate`` (fields in docs/stats.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from leptodx.cli._output import emit_json
from leptodx.cli.stats import column, read_table, stats_app
from leptodx.cli.stats_roc import Format, FormatOpt, _show
from leptodx.errors import InputError
from leptodx.stats.calibration import calibration
from leptodx.stats.logistic import LogisticModel
from leptodx.stats.penalized import cv_glmnet
from leptodx.stats.validation import bootstrap_validate, lasso_procedure, logistic_procedure

DataArg = Annotated[Path, typer.Argument(help="Data file (CSV, TSV, Parquet, Excel).")]
OutcomeOpt = Annotated[str, typer.Option(help="Outcome column (0/1).")]


def _predictors(
    frame: Any, spec: str | None, outcome: str, exclude: tuple[str, ...] = ()
) -> tuple[list[str], np.ndarray]:
    names = (
        [p.strip() for p in spec.split(",") if p.strip()]
        if spec
        else [c for c in frame.columns if c not in (outcome, *exclude)]
    )
    if not names:
        raise InputError("--predictors", spec, "a comma-separated list of predictor columns")
    return names, np.column_stack([column(frame, n, option="--predictors") for n in names])


@stats_app.command("calibration")
def calibration_command(
    data: DataArg,
    outcome: OutcomeOpt,
    prob: Annotated[str, typer.Option(help="Predicted-risk column.")],
    level: float = 0.95,
    format: FormatOpt = Format.JSON,
) -> None:
    """Calibration intercept and slope, Brier, O/E, ICI/E50/E90/Emax."""
    frame = read_table(data)
    r = calibration(
        column(frame, outcome, option="--outcome"),
        column(frame, prob, option="--prob"),
        level=level,
    )
    payload = {
        "n": r.n,
        "n_events": r.n_events,
        "intercept": r.intercept,
        "intercept_ci": list(r.intercept_ci),
        "slope": r.slope,
        "slope_ci": list(r.slope_ci),
        "brier": r.brier,
        "scaled_brier": r.scaled_brier,
        "oe_ratio": r.oe_ratio,
        "oe_ratio_ci": list(r.oe_ratio_ci),
        "ici": r.ici,
        "e50": r.e50,
        "e90": r.e90,
        "emax": r.emax,
        "method": r.method,
    }
    _show(payload, format, "Calibration")


@stats_app.command("logistic")
def logistic_command(
    data: DataArg,
    outcome: OutcomeOpt,
    predictors: Annotated[str, typer.Option(help="Comma-separated predictor columns.")],
    firth: Annotated[bool, typer.Option(help="Firth's penalised likelihood.")] = False,
    level: float = 0.95,
    format: FormatOpt = Format.JSON,
) -> None:
    """Logistic regression: estimates, SE, z, p and Wald CIs."""
    frame = read_table(data)
    names, x = _predictors(frame, predictors, outcome)
    model = LogisticModel(firth=firth, level=level).fit(
        x, column(frame, outcome, option="--outcome"), feature_names=names
    )
    payload = {
        "n": model.n_,
        "n_events": model.n_events_,
        "deviance": model.deviance_,
        "method": "Firth penalised likelihood, Wald CIs"
        if firth
        else "maximum likelihood, Wald CIs",
        "coefficients": {
            c.name: {
                "estimate": c.estimate,
                "se": c.se,
                "z": c.z,
                "p_value": c.p_value,
                "ci": list(c.ci),
            }
            for c in model.summary()
        },
    }
    if format is Format.JSON:
        emit_json(payload)
    else:
        _show({k: v for k, v in payload["coefficients"].items()}, format, "Logistic regression")


@stats_app.command("lasso")
def lasso_command(
    data: DataArg,
    outcome: OutcomeOpt,
    predictors: Annotated[
        str | None, typer.Option(help="Comma-separated predictors (default: all other columns).")
    ] = None,
    foldid: Annotated[
        str | None, typer.Option(help="Column with fold labels 1..K (as R foldid).")
    ] = None,
    folds: Annotated[int, typer.Option(help="Number of random folds when no --foldid.")] = 10,
    seed: Annotated[int | None, typer.Option(help="Seed for random folds.")] = None,
    alpha: Annotated[
        float, typer.Option(help="1 = LASSO, 0 = ridge, between = elastic net.")
    ] = 1.0,
    nlambda: int = 100,
    format: FormatOpt = Format.JSON,
) -> None:
    """Penalised logistic path with cross-validation (R cv.glmnet conventions)."""
    frame = read_table(data)
    names, x = _predictors(frame, predictors, outcome, (foldid,) if foldid else ())
    fold_values = column(frame, foldid, option="--foldid").astype(np.int64) if foldid else None
    r = cv_glmnet(
        x,
        column(frame, outcome, option="--outcome"),
        alpha=alpha,
        nlambda=nlambda,
        foldid=fold_values,
        n_folds=folds,
        random_state=seed,
        feature_names=names,
    )
    payload = {
        "lambda": r.lambdas,
        "cv_mean": r.cv_mean,
        "cv_se": r.cv_se,
        "lambda_min": r.lambda_min,
        "lambda_1se": r.lambda_1se,
        "coefficients": {"lambda_min": r.coef("lambda_min"), "lambda_1se": r.coef("lambda_1se")},
        "selected": {
            "lambda_min": r.selected("lambda_min"),
            "lambda_1se": r.selected("lambda_1se"),
        },
        "alpha": r.alpha,
        "method": "glmnet coordinate descent; cv.glmnet deviance conventions",
    }
    if format is Format.JSON:
        emit_json(payload)
    else:
        _show(
            {"lambda_min": r.lambda_min, "lambda_1se": r.lambda_1se, **r.coef("lambda_1se")},
            format,
            "LASSO (coefficients at lambda_1se)",
        )


@stats_app.command("validate")
def validate_command(
    data: DataArg,
    outcome: OutcomeOpt,
    predictors: Annotated[str, typer.Option(help="Comma-separated predictor columns.")],
    bootstrap: Annotated[int, typer.Option(help="Number of bootstrap resamples.")] = 200,
    seed: Annotated[int, typer.Option(help="Seed for the resamples.")] = 1,
    lasso: Annotated[
        bool, typer.Option(help="Repeat LASSO selection (lambda_1se) in every resample.")
    ] = False,
    jobs: Annotated[int, typer.Option(help="Threads.")] = 1,
    format: FormatOpt = Format.JSON,
) -> None:
    """Harrell bootstrap optimism correction of C (AUC), calibration intercept/slope and Brier."""
    frame = read_table(data)
    names, x = _predictors(frame, predictors, outcome)
    procedure = lasso_procedure(seed=seed) if lasso else logistic_procedure()
    r = bootstrap_validate(
        procedure,
        x,
        column(frame, outcome, option="--outcome"),
        n_boot=bootstrap,
        random_state=seed,
        n_jobs=jobs,
    )
    payload = {
        "apparent": r.apparent,
        "optimism": r.optimism,
        "corrected": r.corrected,
        "n_boot": r.n_boot,
        "n_failed": r.n_failed,
        "method": r.method,
        "predictors": names,
    }
    if format is Format.JSON:
        emit_json(payload)
    else:
        _show(
            {
                k: f"apparent {r.apparent[k]:.4f}  optimism {r.optimism[k]:.4f}  corrected {r.corrected[k]:.4f}"
                for k in r.apparent
            },
            format,
            "Bootstrap validation",
        )
