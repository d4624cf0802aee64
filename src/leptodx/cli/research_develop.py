"""``leptodx develop``: fit a specification, validate it internally, write model + report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from leptodx.cli._output import OutputFormat
from leptodx.cli.csf_table_run import run_csf_table
from leptodx.errors import InputError
from leptodx.jsonsafe import json_safe

FileArg = Annotated[Path, typer.Argument(help="Cohort file (CSV, TSV, Parquet, Excel).")]
MappingOpt = Annotated[
    Path | None, typer.Option("--mapping", help="YAML mapping of columns and units.")
]
DropOpt = Annotated[
    bool, typer.Option("--drop-invalid", help="Drop invalid rows (listed in the report).")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", help="No progress bar or summary.")]
OutOpt = Annotated[Path, typer.Option("--out", help="Output directory.")]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        envvar="LEPTODX_DASK_SCHEDULER",
        help="Dask scheduler (tcp://host:8786, or 'local') for the bootstrap replicates; "
        "default: this process. Results are the same either way.",
    ),
]
ImputeOpt = Annotated[
    str | None,
    typer.Option("--impute", help="Multiple imputation of missing predictors: mice."),
]
ImputationsOpt = Annotated[
    int | None,
    typer.Option("--imputations", help="Number of imputations M (default 10; at least 2)."),
]
SaveImputationsOpt = Annotated[
    Path | None,
    typer.Option(
        "--save-imputations", help="Write the M imputed datasets (CSV) into this directory."
    ),
]


def develop(
    file: FileArg,
    spec: Annotated[str, typer.Option("--spec", help="gao-a, gao-b or a YAML spec file.")],
    out: OutOpt,
    outcome: Annotated[str, typer.Option("--outcome", help="Outcome field (1 = LM).")] = "lm",
    lasso: Annotated[bool, typer.Option("--lasso", help="LASSO selection (10-fold CV).")] = False,
    n_boot: Annotated[
        int, typer.Option("--bootstrap", min=1, help="Bootstrap resamples for optimism.")
    ] = 500,
    seed: Annotated[int, typer.Option("--seed", help="Seed for CV folds and bootstrap.")] = 1,
    mapping: MappingOpt = None,
    drop_invalid: DropOpt = False,
    quiet: QuietOpt = False,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write report.pdf.")] = True,
    impute: ImputeOpt = None,
    imputations: ImputationsOpt = None,
    save_imputations: SaveImputationsOpt = None,
    scheduler: SchedulerOpt = None,
) -> None:
    """Develop a diagnostic model (logistic, optional LASSO) with internal validation."""
    from leptodx.models.builtin import resolve_spec
    from leptodx.research.develop import DevelopOptions
    from leptodx.research.imputed import imputation_options
    from leptodx.research.jobs import develop_to
    from leptodx.research.progress import progress
    from leptodx.scale.runner import cluster_runner

    settings = imputation_options(impute, imputations, seed=seed)
    _check_save(save_imputations, settings)
    options = DevelopOptions(
        spec=resolve_spec(spec),
        outcome=outcome,
        lasso=lasso,
        n_boot=n_boot,
        seed=seed,
        mapping=mapping,
        drop_invalid=drop_invalid,
        imputation=settings,
    )
    with cluster_runner(scheduler) as cluster, progress("bootstrap", n_boot, quiet=quiet) as tick:
        if cluster is not None and not quiet:
            _say(f"bootstrap replicates run {cluster.description}")
        dev, _model = develop_to(
            file,
            options,
            out,
            advance=tick,
            pdf=pdf,
            save_imputations=save_imputations,
            replicates=cluster.replicates if cluster is not None else None,
        )
    if not quiet:
        corrected = dev.bootstrap.corrected["auc"]
        from rich.console import Console

        Console(stderr=True, highlight=False).print(
            f"AUC {dev.apparent_auc.auc:.3f} (optimism-corrected {corrected:.3f}); "
            f"wrote {out}/model.json, report.html" + (", report.pdf" if pdf else ""),
            markup=False,
        )


def _say(text: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False).print(text, markup=False)


def _check_save(directory: Path | None, settings: object) -> None:
    if directory is not None and settings is None:
        raise InputError("--save-imputations", str(directory), "to be used with --impute mice")


def validate(
    file: FileArg,
    out: OutOpt,
    model: Annotated[Path | None, typer.Option("--model", help="Fitted-model JSON file.")] = None,
    spec: Annotated[
        str | None,
        typer.Option("--spec", help="A published points score to validate as is: pan2018."),
    ] = None,
    mapping: MappingOpt = None,
    drop_invalid: DropOpt = False,
    quiet: QuietOpt = False,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write report.pdf.")] = True,
    impute: ImputeOpt = None,
    imputations: ImputationsOpt = None,
    save_imputations: SaveImputationsOpt = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the imputations and bootstrap replicates.")
    ] = 1,
    n_boot: Annotated[
        int,
        typer.Option(
            "--bootstrap",
            min=0,
            help="Replicates for bootstrap intervals of C, calibration, Brier (complete cases).",
        ),
    ] = 0,
    scheduler: SchedulerOpt = None,
) -> None:
    """External validation of a fitted model (offers recalibrated models) or a published score."""
    from leptodx.cohort.io import write_bytes_atomic
    from leptodx.models.fitted import load_fitted
    from leptodx.reports.document import write_report
    from leptodx.research.imputed import imputation_options
    from leptodx.research.progress import progress
    from leptodx.research.validate import run_validate
    from leptodx.research.validate_report import validate_report

    if (model is None) == (spec is None):
        raise InputError(
            "--model/--spec", model or spec, "exactly one of --model FILE or --spec pan2018"
        )
    settings = imputation_options(impute, imputations, seed=seed)
    _check_save(save_imputations, settings)
    if spec is not None:
        from leptodx.research.score_report import validate_score_to

        if settings is not None:
            raise InputError("--impute", impute, "--model (a points score is validated as is)")
        validate_score_to(
            file, spec, out, mapping=mapping, drop_invalid=drop_invalid, pdf=pdf, quiet=quiet
        )
        return
    assert model is not None
    from leptodx.scale.runner import cluster_runner

    fitted = load_fitted(model)
    with cluster_runner(scheduler) as cluster, progress("validating", 3, quiet=quiet) as tick:
        if cluster is not None and not quiet:
            _say(f"bootstrap replicates run {cluster.description}")
        v = run_validate(
            file,
            fitted,
            mapping=mapping,
            drop_invalid=drop_invalid,
            advance=tick,
            imputation=settings,
            n_boot=n_boot,
            seed=seed,
            replicates=cluster.replicates if cluster is not None else None,
        )
    if save_imputations is not None and v.imputation is not None:
        from leptodx.research.imputation_files import save_imputations as save

        save(v.imputation.design, v.cohort, fitted.spec, save_imputations)
    for name, updated in v.recalibrated.items():
        updated.save(out / f"model-recalibrated-{name.replace('_', '-')}.json")
    text = json.dumps(json_safe(v.to_dict()), indent=2)
    write_bytes_atomic(out / "results.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    write_report(validate_report(v, out), out, pdf=pdf)
    if not quiet:
        from rich.console import Console

        Console(stderr=True, highlight=False).print(
            f"AUC {v.auc.auc:.3f}; calibration slope {v.calibration.slope:.3f}; wrote {out}",
            markup=False,
        )


def csf_table(
    file: FileArg,
    by: Annotated[str, typer.Option("--by", help="Grouping: a LeptoDx field or file column.")],
    mapping: MappingOpt = None,
    profile: Annotated[
        str | None, typer.Option("--profile", help="CSF limit profile of the clinical core.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Also write a report here.")] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="text or json.")
    ] = OutputFormat.TEXT,
    drop_invalid: DropOpt = False,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write report.pdf.")] = True,
) -> None:
    """Proportions of abnormal CSF findings per group (Wilson CI, Fisher/χ² p)."""
    run_csf_table(
        file,
        by=by,
        mapping=mapping,
        profile=profile,
        out=out,
        fmt=fmt,
        drop_invalid=drop_invalid,
        pdf=pdf,
    )
