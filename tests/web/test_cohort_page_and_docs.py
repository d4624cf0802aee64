"""The cohort page takes every supported file type (issue 15, broken 1), and the /docs page hands
Swagger UI the session's CSRF token only for a logged-in browser (broken 2)."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient

from leptodx.cohort.synthetic import synthetic_cohort

from .conftest import Service, password


def _log_in(client: TestClient, name: str) -> str:
    client.get("/login")
    client.post(
        "/login",
        data={
            "username": name,
            "password": password(name),
            "csrf_token": client.cookies.get("leptodx_login_csrf"),
        },
    )
    page = client.get("/cohorts" if name == "res" else "/")
    return page.text.split('name="csrf_token" value="')[1].split('"')[0]


def _cohort(suffix: str) -> bytes:
    frame = synthetic_cohort(60, seed=2)
    buffer = io.BytesIO()
    if suffix == ".csv":
        frame.to_csv(buffer, index=False)
    elif suffix == ".tsv":
        frame.to_csv(buffer, index=False, sep="\t")
    elif suffix == ".parquet":
        frame.to_parquet(buffer, index=False)
    else:
        frame.to_excel(buffer, index=False)
    return buffer.getvalue()


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".parquet", ".xlsx"])
def test_cohort_page_upload_creates_a_job_for_every_file_type(service: Service, suffix: str) -> None:  # fmt: skip
    client = service.client
    csrf = _log_in(client, "res")
    response = client.post(
        "/cohorts",
        data={"csrf_token": csrf, "spec": "gao-a", "bootstrap": "2", "seed": "1"},
        files={"file": (f"cohort{suffix}", _cohort(suffix))},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[-500:]
    jobs = client.get("/api/v1/cohorts/1", headers={"Authorization": f"Bearer {service.tokens['res']}"})  # fmt: skip
    assert jobs.status_code == 200 and jobs.json()["parameters"]["filename"] == f"cohort{suffix}"


def test_cohort_page_refuses_a_bad_form_in_words_and_keeps_the_values(service: Service) -> None:
    client = service.client
    csrf = _log_in(client, "res")
    response = client.post(
        "/cohorts",
        data={"csrf_token": csrf, "spec": "gao-b", "bootstrap": "5000", "seed": "7"},
        files={"file": ("cohort.csv", _cohort(".csv"))},
    )
    assert response.status_code == 422
    assert "Bootstrap resamples: expected a number of resamples between 1 and 2000 (you entered 5" in response.text  # fmt: skip
    assert 'value="7"' in response.text and '<option value="gao-b" selected' in response.text


def test_docs_page_carries_the_csrf_token_only_for_a_logged_in_browser(service: Service) -> None:
    client = service.client
    anonymous = client.get("/docs")
    assert '<meta name="leptodx-csrf" content="">' in anonymous.text
    csrf = _log_in(client, "clin")
    page = client.get("/docs")
    assert f'<meta name="leptodx-csrf" content="{csrf}">' in page.text
    assert page.headers["cache-control"] == "no-store"
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self';" in csp  # the start-up script is a static file: no inline script
    body = {"known_cancer": True}
    assert client.post("/api/v1/assess", json=body).status_code == 403
    sent = client.post("/api/v1/assess", json=body, headers={"X-CSRF-Token": csrf})
    assert sent.status_code == 200


def test_docs_page_gives_no_token_to_a_bearer_caller_or_a_dead_session(service: Service) -> None:
    client = service.client
    bearer = client.get("/docs", headers={"Authorization": f"Bearer {service.tokens['clin']}"})
    assert '<meta name="leptodx-csrf" content="">' in bearer.text
    client.cookies.set("leptodx_session", "forged-session-id")
    assert '<meta name="leptodx-csrf" content="">' in client.get("/docs").text
