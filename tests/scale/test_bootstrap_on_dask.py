"""Harrell's bootstrap on Dask: one random stream per replicate, so the result is the same for
1, 2 or 20 workers, for threads, and for the single-process run."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from leptodx.cli import app
from leptodx.models.builtin import resolve_spec
from leptodx.research import _engine as engine
from leptodx.research.develop import _procedure
from leptodx.scale.runner import DaskRunner, LocalRunner
from leptodx.stats import bootstrap_validate

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def design() -> tuple[np.ndarray, np.ndarray, list[str]]:
    rng = np.random.default_rng(8)
    X = np.column_stack([rng.integers(0, 2, 400), rng.normal(size=400), rng.poisson(2, 400)])
    lp = -0.5 + 0.8 * X[:, 0] + 0.6 * X[:, 1] + 0.2 * X[:, 2]
    y = (rng.random(400) < 1 / (1 + np.exp(-lp))).astype(float)
    return X.astype(float), y, ["a", "b", "c"]


def _validate(design: Any, replicate_map: Any = None) -> dict[str, float]:
    X, y, names = design
    result = bootstrap_validate(
        _procedure(names, lasso=False, seed=3),
        X,
        y,
        n_boot=60,
        random_state=17,
        replicate_map=replicate_map,
    )
    return {**result.optimism, "failed": result.n_failed}


def test_the_same_optimism_on_1_2_and_20_workers_and_in_process(cluster, design) -> None:
    single = _validate(design)
    assert _validate(design, LocalRunner(20).replicates) == single
    with distributed.Client(cluster) as client:  # 2 worker processes
        assert _validate(design, DaskRunner(client, cluster.scheduler_address).replicates) == single
    for n in (1, 20):  # in-process workers: cheap to start, real scheduling and chunking
        with (
            distributed.LocalCluster(
                n_workers=n, threads_per_worker=1, processes=False, dashboard_address=":0"
            ) as c,
            distributed.Client(c) as client,
        ):
            runner = DaskRunner(client, c.scheduler_address)
            assert runner.workers == n
            assert _validate(design, runner.replicates) == single


@pytest.fixture(scope="module")
def cohort_path(tmp_path_factory) -> Any:
    from leptodx.cohort.io import write_table
    from leptodx.cohort.synthetic import synthetic_cohort

    path = tmp_path_factory.mktemp("cohort") / "cohort.parquet"
    write_table(synthetic_cohort(400, seed=9), path)
    return path


def test_develop_on_the_cluster_gives_the_in_process_bootstrap(cluster, cohort_path, tmp_path):
    from leptodx.research.develop import DevelopOptions, run_develop

    options = DevelopOptions(spec=resolve_spec("gao-a"), n_boot=20, seed=1)
    alone = run_develop(cohort_path, options, advance=lambda: None).bootstrap
    args = ["develop", str(cohort_path), "--spec", "gao-a", "--bootstrap", "20", "--no-pdf"]
    out = tmp_path / "dev"
    extra = ("--out", str(out), "--scheduler", cluster.scheduler_address)
    result = CliRunner().invoke(app, [*args, *extra])
    assert result.exit_code == 0, result.output
    assert "bootstrap replicates run on the Dask cluster" in result.output
    assert json.loads((out / "results.json").read_text())["model"]["bootstrap"] == alone.to_dict()


def test_validate_intervals_are_the_same_on_the_cluster(cluster, cohort_path) -> None:
    from leptodx.research.develop import DevelopOptions, fitted_model, run_develop
    from leptodx.research.validate import run_validate

    dev = run_develop(
        cohort_path, DevelopOptions(spec=resolve_spec("gao-a"), n_boot=1), advance=lambda: None
    )
    model = fitted_model(dev).sealed()
    alone = run_validate(cohort_path, model, n_boot=60, seed=5).bootstrap
    with distributed.Client(cluster) as client:
        where = DaskRunner(client, cluster.scheduler_address)
        spread = run_validate(cohort_path, model, n_boot=60, seed=5, replicates=where.replicates)
    assert spread.bootstrap == alone
    assert alone is not None
    assert alone.lower["auc"] < alone.estimate["auc"] < alone.upper["auc"]


def test_an_unreachable_scheduler_stops_develop_with_the_address(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LEPTODX_DASK_TIMEOUT", "1")
    monkeypatch.setenv("LEPTODX_DASK_SCHEDULER", "tcp://127.0.0.1:9")
    result = CliRunner().invoke(
        app, ["develop", "none.csv", "--spec", "gao-a", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "could not reach the Dask scheduler at tcp://127.0.0.1:9" in result.output


def test_engine_bootstrap_passes_the_replicate_map_through(design) -> None:
    X, y, names = design
    seen = []

    def recording(one: Any, seeds: Any) -> Any:
        seen.append(len(seeds))
        return map(one, seeds)

    out = engine.bootstrap(
        _procedure(names, lasso=False, seed=3),
        X,
        y,
        n_boot=10,
        seed=1,
        advance=lambda: None,
        replicates=recording,
    )
    assert seen == [10] and out.requested == 10
    assert resolve_spec("gao-a").name == "gao-a"


def test_the_imputation_bootstrap_is_the_same_on_the_cluster(cluster, tmp_path) -> None:
    from leptodx.cohort.io import write_table
    from leptodx.cohort.synthetic import synthetic_cohort
    from leptodx.research.develop import DevelopOptions, run_develop
    from leptodx.research.imputed import imputation_options

    frame = synthetic_cohort(200, seed=21)
    rng = np.random.default_rng(5)
    frame.loc[rng.random(200) < 0.15, "n_symptoms"] = np.nan
    path = tmp_path / "incomplete.csv"
    write_table(frame, path)
    options = DevelopOptions(
        spec=resolve_spec("gao-a"),
        n_boot=4,
        seed=5,
        imputation=imputation_options("mice", 3, seed=5),
    )
    alone = run_develop(path, options, advance=lambda: None).bootstrap
    with distributed.Client(cluster) as client:
        where = DaskRunner(client, cluster.scheduler_address)
        spread = run_develop(path, options, advance=lambda: None, replicates=where.replicates)
    assert spread.bootstrap == alone
