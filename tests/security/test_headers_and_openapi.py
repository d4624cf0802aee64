"""Finding 12 (headers, OpenAPI): no-store on patient data, HSTS with Secure cookies, and an
OpenAPI document that declares the bearer scheme, problem+json and every error status."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from leptodx.store.db import upgrade
from leptodx.web.app import create_app
from leptodx.web.policy import Access, rule_for

from .conftest import World, login, make_settings


def test_patient_data_is_never_cached(world: World) -> None:
    pid, cid = world.patients["a"], world.cases["a"]
    api = [f"/api/v1/patients/{pid}", f"/api/v1/cases/{cid}", f"/api/v1/patients/{pid}/followup", "/api/v1/patients"]  # fmt: skip
    for url in api:
        response = world.client.get(url, headers=world.auth("clin_a"))
        assert response.status_code == 200 and response.headers["cache-control"] == "no-store", url
    login(world.client, "clin_a")
    for url in (f"/patients/{pid}", f"/cases/{cid}", f"/patients/{pid}/timeline.png", "/"):
        response = world.client.get(url)
        assert response.status_code == 200 and response.headers["cache-control"] == "no-store", url
    assert "no-store" not in world.client.get("/static/style.css").headers.get("cache-control", "")


def test_hsts_is_sent_whenever_cookies_are_secure(world: World, tmp_path: Path) -> None:
    assert "max-age" in world.client.get("/healthz").headers["strict-transport-security"]
    settings = make_settings(tmp_path, cookie_secure=False)
    upgrade(settings.sqlalchemy_url)
    with TestClient(create_app(settings)) as plain:
        assert "strict-transport-security" not in plain.get("/healthz").headers


def test_openapi_declares_the_bearer_scheme_and_problem_documents(world: World) -> None:
    doc = world.client.get("/openapi.json").json()
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert "Problem" in doc["components"]["schemas"]
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    seen: set[str] = set()
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            rule = rule_for(method.upper(), path)
            assert rule is not None, (method, path)
            responses = operation["responses"]
            if rule.access is Access.USER:
                assert operation["security"] == [{"bearerAuth": []}, {"sessionCookie": []}]
                assert {"401", "403"} <= responses.keys(), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= responses.keys(), (method, path)
            for code, response in responses.items():
                if int(code) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (path, code)
            seen |= responses.keys()
    assert {"400", "401", "403", "404", "409", "413", "422"} <= seen
    report = doc["paths"]["/api/v1/cohorts/{job_id}/report"]["get"]["responses"]
    assert "409" in report
