"""Web: follow-up events API, patient page sections, researcher survival page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from .conftest import Service, auth, password

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "followup" / "her2-breast-lm.yaml"
LUNG = Path(__file__).resolve().parents[1] / "reference_values" / "survival" / "lung.csv"


def _patient(service: Service) -> int:
    r = service.client.post(
        "/api/v1/patients", json={"external_id": "FU-1"}, headers=auth(service, "clin")
    )
    assert r.status_code in (200, 201), r.text
    return int(r.json()["id"])


def test_events_api_round_trip_with_response_history(service: Service) -> None:
    pid = _patient(service)
    for event in json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text()), default=str))["events"]:
        r = service.client.post(
            f"/api/v1/patients/{pid}/events", json=event, headers=auth(service, "clin")
        )
        assert r.status_code == 201, r.text
    summary = service.client.get(
        f"/api/v1/patients/{pid}/followup", headers=auth(service, "clin")
    ).json()
    assert [e["date"] for e in summary["events"]] == sorted(e["date"] for e in summary["events"])
    assert [v["overall_rater"] for v in summary["response"]["visits"]] == [None, "PR", "CR", "PD"]
    assert summary["response"]["visits"][-1]["flags"]


def test_bad_event_is_a_problem_naming_the_field_and_writes_nothing(service: Service) -> None:
    pid = _patient(service)
    bad = {"date": "2024-05-01", "kind": "treatment", "modality": "systemic", "end": "2024-01-01"}
    r = service.client.post(
        f"/api/v1/patients/{pid}/events", json=bad, headers=auth(service, "clin")
    )
    assert r.status_code == 422
    assert "dates out of order" in r.json()["detail"]
    vaf = {"date": "2024-05-01", "kind": "ctdna", "sample_type": "CSF", "alterations": [{"gene": "EGFR", "variant": "L858R", "vaf": 1.5}]}  # fmt: skip
    r = service.client.post(
        f"/api/v1/patients/{pid}/events", json=vaf, headers=auth(service, "clin")
    )
    assert r.status_code == 422 and "vaf" in r.text
    summary = service.client.get(
        f"/api/v1/patients/{pid}/followup", headers=auth(service, "clin")
    ).json()
    assert summary["events"] == []


def test_researcher_role_cannot_write_events(service: Service) -> None:
    pid = _patient(service)
    r = service.client.post(f"/api/v1/patients/{pid}/events", json={"date": "2024-01-01", "kind": "mri", "pattern": "A"}, headers=auth(service, "res"))  # fmt: skip
    assert r.status_code == 403


def _login(service: Service, user: str) -> str:
    client = service.client
    client.get("/login")
    csrf = client.cookies.get("leptodx_login_csrf")
    r = client.post("/login", data={"username": user, "password": password(user), "csrf_token": csrf}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = client.get("/research/survival").text
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


def test_survival_page_gives_the_cli_numbers(service: Service) -> None:
    csrf = _login(service, "res")
    r = service.client.post(
        "/research/survival",
        data={"time": "time", "event": "event", "group": "sex_label", "csrf_token": csrf},
        files={"file": ("lung.csv", LUNG.read_bytes(), "text/csv")},
    )
    assert r.status_code == 200, r.text[:500]
    assert "Log-rank χ² = 10.3267" in r.text  # R survdiff(Surv(time, status) ~ sex, lung)
    assert "data:image/png;base64," in r.text


def test_survival_page_names_a_bad_column(service: Service) -> None:
    csrf = _login(service, "res")
    r = service.client.post(
        "/research/survival",
        data={"time": "days", "event": "status", "csrf_token": csrf},
        files={"file": ("lung.csv", LUNG.read_bytes(), "text/csv")},
    )
    assert r.status_code == 422
    assert "time: got &#39;days&#39;" in r.text or "time: got 'days'" in r.text
