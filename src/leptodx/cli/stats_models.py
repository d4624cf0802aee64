"""``leptodx stats calibration | logistic | lasso | validate`` (fields in docs/stats.md)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from leptodx.cli._output import emit_json
from leptodx.cli._tables import interval, level_label, num, p_value, show_table, sig
from leptodx.cli.stats import (
    finite_column,
    outcome_column,
    read_table,
    stats_app,
    user_columns,
)
from leptodx.cli.stats_roc import Format, FormatOpt, LevelOpt
from leptodx.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from leptodx.stats import CalibrationResult, CvGlmnetResult, ValidationResult
    from leptodx.stats.logistic import LogisticSummary

DataArg = Annotated[Path, typer.Argument(help="Data file (CSV, TSV, Parquet, Excel).")]
OutcomeOpt = Annotated[str, typer.Option(help="Outcome column (0/1).")]


def _predictors(
    frame: Any, spec: str | None, outcome: str, exclude: tuple[str, ...] = ()
) -> tuple[list[str], NDArray[np.float64]]:
    import numpy as np

    names = (
        [p.strip() for p in spec.split(",") if p.strip()]
        if spec
        else [c for c in frame.columns if c not in (outcome, *exclude)]
    )
    if not names:
        raise InputError("--predictors", spec, "a comma-separated list of predictor columns")
    return names, np.column_stack([finite_column(frame, n, option="--predictors") for n in names])


@stats_app.command("calibration")
def calibration_command(
    data: DataArg,
    outcome: OutcomeOpt,
    prob: Annotated[str, typer.Option(help="Predicted-risk column.")],
    level: LevelOpt = 0.95,
    format: FormatOpt = Format.JSON,
) -> None:
    """Calibration intercept and slope, Brier, O/E, ICI/E50/E90/Emax."""
    from leptodx.stats.calibration import calibration

    frame = read_table(data)
    y = outcome_column(frame, outcome)
    p = finite_column(frame, prob, option="--prob")
    with user_columns(outcome=outcome, probs=[prob]):
        r = calibration(y, p, level=level)
    if format is Format.JSON:
        emit_json(r.to_dict())
    else:
        _calibration_text(r)


def _calibration_text(r: CalibrationResult) -> None:
    ci = level_label(r.level)
    show_table(
        f"Calibration (n = {r.n}, events = {r.n_events})",
        ["measure", "estimate", ci, "ideal"],
        [
            ["calibration intercept", num(r.intercept), interval(r.intercept_ci), "0"],
            ["calibration slope", num(r.slope), interval(r.slope_ci), "1"],
            ["observed / expected", num(r.oe_ratio), interval(r.oe_ratio_ci), "1"],
            ["Brier score", num(r.brier, 4), "—", "0"],
            ["scaled Brier", num(r.scaled_brier), "—", "1"],
            ["ICI", num(r.ici, 4), "—", "0"],
            ["E50", num(r.e50, 4), "—", "0"],
            ["E90", num(r.e90, 4), "—", "0"],
            ["Emax", num(r.emax, 4), "—", "0"],
        ],
        [r.method],
    )


@stats_app.command("logistic")
def logistic_command(
    data: DataArg,
    outcome: OutcomeOpt,
    predictors: Annotated[str, typer.Option(help="Comma-separated predictor columns.")],
    firth: Annotated[bool, typer.Option(help="Firth's penalised likelihood.")] = False,
    level: LevelOpt = 0.95,
    format: FormatOpt = Format.JSON,
) -> None:
    """Logistic regression: estimates, SE, z, p and Wald CIs."""
    from leptodx.stats.logistic import LogisticModel

    frame = read_table(data)
    names, x = _predictors(frame, predictors, outcome)
    y = outcome_column(frame, outcome)
    with user_columns(outcome=outcome, predictors=names):
        result = LogisticModel(firth=firth, level=level).fit(x, y, feature_names=names).result()
    if format is Format.JSON:
        emit_json(result.to_dict())
    else:
        _logistic_text(result, level)


def _odds_ratio(log_odds: float) -> float:
    try:
        return math.exp(log_odds)
    except OverflowError:
        return math.inf


def _logistic_text(r: LogisticSummary, level: float) -> None:
    rows = [
        [
            c.name,
            num(c.estimate),
            num(c.se),
            num(c.z, 2),
            p_value(c.p_value),
            "—" if c.name == "(Intercept)" else sig(_odds_ratio(c.estimate)),
            "—" if c.name == "(Intercept)" else interval([_odds_ratio(b) for b in c.ci], fmt=sig),
        ]
        for c in r.coefficients
    ]
    show_table(
        f"Logistic regression (n = {r.n}, events = {r.n_events})",
        ["term", "log-odds", "SE", "z", "p", "odds ratio", f"{level_label(level)} of OR"],
        rows,
        [f"{r.method}; residual deviance {num(r.deviance, 2)}"],
    )


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
    nlambda: Annotated[int, typer.Option(help="Number of λ values on the path.")] = 100,
    format: FormatOpt = Format.JSON,
) -> None:
    """Penalised logistic path with cross-validation (R cv.glmnet conventions)."""
    import numpy as np

    from leptodx.stats.penalized import cv_glmnet

    frame = read_table(data)
    names, x = _predictors(frame, predictors, outcome, (foldid,) if foldid else ())
    fold_values = (
        finite_column(frame, foldid, option="--foldid").astype(np.int64) if foldid else None
    )
    y = outcome_column(frame, outcome)
    with user_columns(outcome=outcome, predictors=names):
        r = cv_glmnet(
            x,
            y,
            alpha=alpha,
            nlambda=nlambda,
            foldid=fold_values,
            n_folds=folds,
            random_state=seed,
            feature_names=names,
        )
    if format is Format.JSON:
        emit_json(r.to_dict())
    else:
        _lasso_text(r)


def _lasso_text(r: CvGlmnetResult) -> None:
    at_min, at_1se = r.coef("lambda_min"), r.coef("lambda_1se")
    rows = [
        [name, "0" if at_min[name] == 0 else num(at_min[name]), "0" if b == 0 else num(b)]
        for name, b in at_1se.items()
    ]
    show_table(
        f"Penalised logistic regression (alpha = {r.alpha:g})",
        ["term", f"at λmin = {sig(r.lambda_min)}", f"at λ1se = {sig(r.lambda_1se)}"],
        rows,
        [
            f"selected at λ1se: {', '.join(r.selected('lambda_1se')) or 'none'}",
            f"{r.lambdas.size} λ values; {r.method}",
        ],
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
    from leptodx.stats.validation import bootstrap_validate, lasso_procedure, logistic_procedure

    frame = read_table(data)
    names, x = _predictors(frame, predictors, outcome)
    y = outcome_column(frame, outcome)
    procedure = lasso_procedure(seed=seed) if lasso else logistic_procedure()
    with user_columns(outcome=outcome, predictors=names):
        r = bootstrap_validate(procedure, x, y, n_boot=bootstrap, random_state=seed, n_jobs=jobs)
    r = dataclasses.replace(r, predictors=tuple(names))
    if format is Format.JSON:
        emit_json(r.to_dict())
    else:
        _validate_text(r)


_INDEX_LABELS = {
    "auc": "C (AUC)",
    "intercept": "calibration intercept",
    "slope": "calibration slope",
    "brier": "Brier score",
}


def _validate_text(r: ValidationResult) -> None:
    show_table(
        f"Bootstrap validation ({r.n_boot} resamples)",
        ["index", "apparent", "optimism", "corrected"],
        [
            [
                _INDEX_LABELS.get(k, k),
                num(r.apparent[k], 4),
                num(r.optimism[k], 4),
                num(r.corrected[k], 4),
            ]
            for k in r.apparent
        ],
        [
            f"predictors: {', '.join(r.predictors)}",
            *([f"{r.n_failed} resamples failed and were skipped"] if r.n_failed else []),
            r.method,
        ],
    )
