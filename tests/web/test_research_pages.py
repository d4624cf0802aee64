"""Research pages (issue 15): the develop report viewed in the browser or downloaded as HTML and
tagged PDF; the fitted-model page (upload a model.json or take a finished job's) and the model's
"Model risk" section on assessment pages."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from leptodx.cohort.synthetic import synthetic_cohort

from .conftest import Service, auth

ROOT = Path(__file__).parents[2]
EXAMPLE = json.loads((ROOT / "examples" / "probable_type_iia.json").read_text())


def _done_job(service: Service, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "cohort.csv"
    synthetic_cohort(300, seed=4).to_csv(path, index=False)
    response = service.client.post(
        "/api/v1/cohorts",
        headers=auth(service, "res"),
        files={"file": ("cohort.csv", path.read_bytes(), "text/csv")},
        data={"spec": "gao-a", "bootstrap": "10", "seed": "3"},
    )
    assert response.status_code == 202, response.text
    for _ in range(600):
        job = service.client.get(
            f"/api/v1/cohorts/{response.json()['id']}", headers=auth(service, "res")
        ).json()
        if job["status"] in ("done", "failed"):
            assert job["status"] == "done", job["error"]
            return dict(job)
        time.sleep(0.1)
    raise AssertionError("job did not finish")


def _pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode())


@pytest.fixture
def job(service: Service, tmp_path: Path) -> dict[str, Any]:
    return _done_job(service, tmp_path)


def test_report_can_be_viewed_in_the_browser_or_downloaded_as_html_and_pdf(
    service: Service, job: dict[str, Any]
) -> None:
    h = auth(service, "res")
    url = job["report"]
    download = service.client.get(url, headers=h)
    assert download.headers["content-disposition"].startswith("attachment;")
    view = service.client.get(f"{url}?download=false", headers=h)
    assert view.status_code == 200 and view.headers["content-type"].startswith("text/html")
    assert view.headers["content-disposition"].startswith("inline;")
    csp = view.headers["content-security-policy"]
    assert "sandbox" in csp and "script-src" not in csp and "default-src 'none'" in csp
    assert view.text == download.text and "TRIPOD" in view.text

    pdf = service.client.get(f"{url}?file=report.pdf", headers=h)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == (
        f'attachment; filename="leptodx-job{job["id"]}-report.pdf"'
    )
    text = _pdf_text(pdf.content)
    assert "TRIPOD" in text and "LeptoDx" in text
    info = subprocess.run(["pdfinfo", "-"], input=pdf.content, capture_output=True, check=True)
    assert re.search(rb"Tagged:\s+yes", info.stdout)
    again = service.client.get(f"{url}?file=report.pdf&download=false", headers=h)
    assert again.content == pdf.content  # made once, then served from the job's folder
    assert again.headers["content-disposition"].startswith("inline;")


def test_cohorts_page_links_view_html_pdf_and_model(service: Service, job: dict[str, Any]) -> None:
    page = service.client.get("/cohorts", headers=auth(service, "res")).text
    base = f"/api/v1/cohorts/{job['id']}/report"
    for href in (f"{base}?download=false", base, f"{base}?file=report.pdf", f"{base}?file=model.json"):  # fmt: skip
        assert f'href="{href}"' in page, href


def test_uploaded_model_is_listed_and_scored_on_the_assessment_page(
    service: Service, job: dict[str, Any]
) -> None:
    res, clin = auth(service, "res"), auth(service, "clin")
    empty = service.client.get("/research/models", headers=res)
    assert empty.status_code == 200 and "No model yet" in empty.text
    model = service.client.get(f"{job['report']}?file=model.json", headers=res).content
    stored = service.client.post(
        "/research/models",
        headers=res,
        files={"file": ("model.json", model, "application/json")},
        follow_redirects=False,
    )
    assert stored.status_code == 303 and stored.headers["location"].startswith("/research/models?added=")  # fmt: skip
    listed = service.client.get(stored.headers["location"], headers=res).text
    name = json.loads(model)["spec"]["name"]
    row = listed.split('<table id="models">', 1)[1].split("</tr>", 2)[1]
    assert name in row and "yes" in row and "n = 300" in row
    assert "stored; assessment pages now show its risk" in listed

    pid = service.client.post("/api/v1/patients", json={"external_id": "M-1"}, headers=clin).json()["id"]  # fmt: skip
    case = service.client.post(f"/api/v1/patients/{pid}/cases", json=EXAMPLE, headers=clin).json()
    page = service.client.get(f"/cases/{case['id']}", headers=clin).text
    assert f"Model risk: {name}" in page


def test_a_finished_jobs_model_can_be_taken_without_a_download(
    service: Service, job: dict[str, Any]
) -> None:
    res = auth(service, "res")
    form = service.client.get("/research/models", headers=res).text
    assert f'<option value="{job["id"]}">job {job["id"]}: cohort.csv (gao-a)</option>' in form
    taken = service.client.post(
        "/research/models", headers=res, data={"job_id": str(job["id"])}, follow_redirects=False
    )
    assert taken.status_code == 303
    model = service.client.get(f"{job['report']}?file=model.json", headers=res).json()
    listed = service.client.get("/research/models", headers=res).text
    assert model["content_hash"][:12] in listed


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "expected a JSON fitted-model file"),
        (b"[1, 2]", "expected a LeptoDx fitted-model document"),
        (b'{"spec": {}}', "expected a LeptoDx fitted-model document"),
    ],
)
def test_bad_model_files_are_refused_with_the_reason(
    service: Service, content: bytes, message: str
) -> None:
    response = service.client.post(
        "/research/models",
        headers=auth(service, "res"),
        files={"file": ("m.json", content, "application/json")},
    )
    assert response.status_code == 422
    assert message in response.text and 'role="alert"' in response.text


def test_a_tampered_model_is_refused_naming_the_hash(service: Service, job: dict[str, Any]) -> None:
    res = auth(service, "res")
    model = service.client.get(f"{job['report']}?file=model.json", headers=res).json()
    model["intercept"] += 1.0
    response = service.client.post(
        "/research/models",
        headers=res,
        files={"file": ("model.json", json.dumps(model).encode(), "application/json")},
    )
    assert response.status_code == 422 and "model.content_hash" in response.text
    assert "No model yet" in response.text  # nothing stored
