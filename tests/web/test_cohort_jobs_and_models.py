"""Cohort upload → background develop job → report; fitted-model upload and scoring."""

from __future__ import annotations

import time

import pytest

from leptodx.cohort.synthetic import synthetic_cohort

from .conftest import Service, auth


def _wait(service: Service, job_id: int) -> dict:
    for _ in range(600):
        job = service.client.get(f"/api/v1/cohorts/{job_id}", headers=auth(service, "res")).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError("job did not finish")


@pytest.fixture
def cohort_csv(tmp_path) -> bytes:
    path = tmp_path / "cohort.csv"
    synthetic_cohort(300, seed=4).to_csv(path, index=False)
    return path.read_bytes()


def test_cohort_job_runs_develop_and_serves_the_report_and_model(
    service: Service, cohort_csv: bytes
) -> None:
    h = auth(service, "res")
    response = service.client.post(
        "/api/v1/cohorts",
        headers=h,
        files={"file": ("cohort.csv", cohort_csv, "text/csv")},
        data={"spec": "gao-a", "bootstrap": "10", "seed": "3"},
    )
    assert response.status_code == 202, response.text
    job = _wait(service, response.json()["id"])
    assert job["status"] == "done", job["error"]
    report = service.client.get(job["report"], headers=h)
    assert report.status_code == 200 and "TRIPOD" in report.text
    model = service.client.get(f"{job['report']}?file=model.json", headers=h).json()

    uploaded = service.client.post("/api/v1/models", json=model, headers=h)
    assert uploaded.status_code == 201 and uploaded.json()["content_hash"] == model["content_hash"]
    record = {p["field"]: 1 for p in model["spec"]["predictors"]}
    scored = service.client.post(
        f"/api/v1/models/{uploaded.json()['id']}/score", json=record, headers=auth(service, "clin")
    )
    assert scored.status_code == 200, scored.text
    body = scored.json()
    assert 0 < body["probability"] < 1
    assert body["linear_predictor"] == pytest.approx(
        body["intercept"] + sum(c["contribution"] for c in body["contributions"])
    )


def test_tampered_model_is_refused(service: Service, cohort_csv: bytes) -> None:
    h = auth(service, "res")
    job = _wait(
        service,
        service.client.post(
            "/api/v1/cohorts",
            headers=h,
            files={"file": ("c.csv", cohort_csv)},
            data={"bootstrap": "3"},
        ).json()["id"],
    )
    assert job["status"] == "done", job["error"]
    model = service.client.get(f"{job['report']}?file=model.json", headers=h).json()
    model["intercept"] += 1.0
    response = service.client.post("/api/v1/models", json=model, headers=h)
    assert response.status_code == 422 and response.json()["field"] == "model.content_hash"


def test_cohort_upload_rejects_unknown_file_types_bad_parameters_and_roles(
    service: Service,
) -> None:
    zero = service.client.post(
        "/api/v1/cohorts",
        headers=auth(service, "res"),
        files={"file": ("c.csv", b"x")},
        data={"bootstrap": "0"},
    )
    assert zero.status_code == 422 and zero.json()["field"] == "bootstrap"
    bad = service.client.post(
        "/api/v1/cohorts", headers=auth(service, "res"), files={"file": ("notes.txt", b"x")}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "file"
    forbidden = service.client.post(
        "/api/v1/cohorts", headers=auth(service, "clin"), files={"file": ("c.csv", b"x")}
    )
    assert forbidden.status_code == 403


def test_report_of_an_unfinished_job_is_409(service: Service) -> None:
    h = auth(service, "res")
    created = service.client.post(
        "/api/v1/cohorts",
        headers=h,
        files={"file": ("c.csv", b"not,a\ncohort,file\n")},
        data={"bootstrap": "3"},
    ).json()
    job = _wait(service, created["id"])
    assert job["status"] == "failed" and job["error"]
    assert (
        service.client.get(f"/api/v1/cohorts/{created['id']}/report", headers=h).status_code == 409
    )


def test_cohort_jobs_use_the_configured_dask_scheduler(
    service: Service, cohort_csv: bytes, monkeypatch
) -> None:
    distributed = pytest.importorskip("distributed")
    h = auth(service, "res")
    form = {"spec": "gao-a", "bootstrap": "12", "seed": "5"}

    def run_job() -> dict:
        files = {"file": ("cohort.csv", cohort_csv, "text/csv")}
        created = service.client.post("/api/v1/cohorts", headers=h, files=files, data=form)
        job = _wait(service, created.json()["id"])
        assert job["status"] == "done", job["error"]
        return service.client.get(f"{job['report']}?file=results.json", headers=h).json()

    alone = run_job()
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        monkeypatch.setenv("LEPTODX_DASK_SCHEDULER", cluster.scheduler_address)
        on_cluster = run_job()
        ran = set(cluster.scheduler.task_prefixes)
    assert "run_chunk" in ran  # the replicates ran on the cluster's workers
    assert on_cluster["model"]["bootstrap"] == alone["model"]["bootstrap"]
