"""``leptodx batch assess`` and ``leptodx batch score``: many records, in-process or on Dask."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from leptodx.cli._app import App
from leptodx.reference.csf import DEFAULT_PROFILE

batch_app = App(
    help="Assess or score many records (JSON Lines or a cohort file), in this process or on a "
    "Dask cluster."
)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

InputArg = Annotated[
    Path,
    typer.Argument(
        help="JSON Lines (.jsonl: one input record per line, as `leptodx assess` takes) or a "
        "cohort file (.parquet, .csv, .tsv, .xlsx) read through the column mapping."
    ),
]
OutOpt = Annotated[Path, typer.Option("--out", help="Output Parquet file (written atomically).")]
ErrorsOpt = Annotated[
    Path | None,
    typer.Option(
        "--errors", help="CSV of refused rows (row, field, message); default OUT.errors.csv."
    ),
]
MappingOpt = Annotated[
    Path | None,
    typer.Option("--mapping", "--map", help="YAML mapping of cohort columns and units."),
]
IdOpt = Annotated[
    str | None,
    typer.Option("--id", help="Cohort column copied as patient_id (default: patient_id)."),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        envvar="LEPTODX_DASK_SCHEDULER",
        help="Dask scheduler address (tcp://host:8786), or 'local' for a local process pool; "
        "default: this process.",
    ),
]
WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Threads in this process, or processes for 'local'."),
]
PartitionOpt = Annotated[
    int | None,
    typer.Option(
        "--partition-rows", min=1, help="Rows per partition (default 65536 lines / 2²⁰ rows)."
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", help="No progress bar or summary.")]
PartsOpt = Annotated[
    bool,
    typer.Option(
        "--parts",
        help="Write OUT as a directory of one Parquet file per partition, written by the "
        "workers themselves (no serial step; OUT must be on storage the workers share).",
    ),
]


def _report(summary: object, quiet: bool) -> None:
    from leptodx.batch.jobs import BatchSummary

    assert isinstance(summary, BatchSummary)
    if quiet:
        return
    stderr.print(
        f"rows in: {summary.rows_in} = {summary.rows_out} written to {summary.out} + "
        f"{summary.rows_refused} refused (listed in {summary.errors}); ran {summary.where}",
        markup=False,
    )


EngineOpt = Annotated[
    str, typer.Option(help="columnar (fast) or per-record (the single-record path on each row).")
]


def _engine(engine: str) -> Any:
    from leptodx.batch.assess_partition import Engine
    from leptodx.errors import InputError

    if engine not in {e.value for e in Engine}:
        raise InputError("--engine", engine, "columnar or per-record")
    return Engine(engine)


def _run(
    job: Callable[..., Any], scheduler: str | None, workers: int | None, quiet: bool, **kwargs: Any
) -> None:
    from leptodx.scale.cluster import scheduler_address
    from leptodx.scale.progress import ticker
    from leptodx.scale.runner import runner

    address = scheduler_address(scheduler)
    with runner(address, workers=workers or os.cpu_count()) as where:
        if address is not None and not quiet:
            stderr.print(f"running {where.description}", markup=False)
        with ticker("partitions", quiet=quiet) as bar:
            summary = job(runner=where, advance=bar.advance, on_plan=bar.plan, **kwargs)
    _report(summary, quiet)


@batch_app.command("assess")
def assess(
    input: InputArg,
    out: OutOpt,
    errors: ErrorsOpt = None,
    mapping: MappingOpt = None,
    id_column: IdOpt = None,
    profile: Annotated[str, typer.Option(help="CSF reference-limit profile.")] = DEFAULT_PROFILE,
    engine: EngineOpt = "columnar",
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    partition_rows: PartitionOpt = None,
    parts: PartsOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """EANO–ESMO outcome, CSF interpretation and plausibility for every record."""
    from leptodx.batch.jobs import run_assess

    _run(
        run_assess,
        scheduler,
        workers,
        quiet,
        path=input,
        out=out,
        errors=errors,
        profile=profile,
        engine=_engine(engine),
        mapping=mapping,
        id_column=id_column,
        partition_rows=partition_rows,
        in_parts=parts,
    )


@batch_app.command("score")
def score(
    input: InputArg,
    model: Annotated[Path, typer.Option("--model", help="Fitted-model JSON file.")],
    out: OutOpt,
    errors: ErrorsOpt = None,
    mapping: MappingOpt = None,
    id_column: IdOpt = None,
    engine: EngineOpt = "columnar",
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    partition_rows: PartitionOpt = None,
    parts: PartsOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """A fitted model's risk and per-predictor contributions for every record."""
    from leptodx.batch.jobs import run_score
    from leptodx.models.fitted import load_fitted

    _run(
        run_score,
        scheduler,
        workers,
        quiet,
        path=input,
        model=load_fitted(model),
        out=out,
        errors=errors,
        engine=_engine(engine),
        mapping=mapping,
        id_column=id_column,
        partition_rows=partition_rows,
        in_parts=parts,
    )
