"""JSON API on SQLite and PostgreSQL: contract, CRUD, problem details, auth, roles, teams, CSRF."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leptodx.clinical.assess import assess_record
from leptodx.store import audit, crud
from leptodx.store.db import transaction
from leptodx.store.models import ApiToken, AuditEntry, Case
from leptodx.web.security import new_api_token

from .conftest import Service, auth, password

EXAMPLE = json.loads(
    (Path(__file__).parents[2] / "examples" / "probable_type_iia.json").read_text()
)


def test_healthz_needs_no_authentication(service: Service) -> None:
    response = service.client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_assess_returns_exactly_the_cli_json(service: Service) -> None:
    response = service.client.post("/api/v1/assess", json=EXAMPLE, headers=auth(service, "res"))
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(assess_record(EXAMPLE)))


@pytest.mark.parametrize("path", ["/api/v1/assess", "/api/v1/patients"])
def test_no_token_is_401(service: Service, path: str) -> None:
    response = service.client.post(path, json={})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_bad_input_is_a_problem_document_naming_the_field(service: Service) -> None:
    response = service.client.post(
        "/api/v1/assess", json={**EXAMPLE, "cytology": "positiv"}, headers=auth(service, "clin")
    )
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "cytology" and "positiv" in body["detail"] and body["status"] == 422


def test_patient_and_case_crud(service: Service) -> None:
    client, h = service.client, auth(service, "clin")
    created = client.post("/api/v1/patients", json={"external_id": "MRN-1"}, headers=h).json()
    assert (
        client.get(f"/api/v1/patients/{created['id']}", headers=h).json()["external_id"] == "MRN-1"
    )
    assert (
        client.patch(
            f"/api/v1/patients/{created['id']}", json={"external_id": "MRN-1b"}, headers=h
        ).json()["external_id"]
        == "MRN-1b"
    )
    case = client.post(f"/api/v1/patients/{created['id']}/cases", json=EXAMPLE, headers=h)
    assert case.status_code == 201
    assert case.json()["output"]["eano_esmo"]["type"] == "IIA"
    assert client.get(f"/api/v1/cases/{case.json()['id']}", headers=h).json()["input"] == EXAMPLE
    assert [
        c["id"] for c in client.get(f"/api/v1/patients/{created['id']}/cases", headers=h).json()
    ] == [case.json()["id"]]
    assert [p["external_id"] for p in client.get("/api/v1/patients", headers=h).json()] == [
        "MRN-1b"
    ]


def _count(service: Service, model: type) -> int:
    with transaction(service.client.app.state.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(model)))


def test_invalid_case_writes_nothing(service: Service) -> None:
    h = auth(service, "clin")
    pid = service.client.post("/api/v1/patients", json={"external_id": "MRN-2"}, headers=h).json()[
        "id"
    ]
    before = (_count(service, Case), _count(service, AuditEntry))
    bad = {**EXAMPLE, "csf": {"protein": {"value": 3, "unit": "mg/kg"}}}
    response = service.client.post(f"/api/v1/patients/{pid}/cases", json=bad, headers=h)
    assert response.status_code == 422 and response.json()["field"] == "csf.protein.unit"
    assert (_count(service, Case), _count(service, AuditEntry)) == before


def test_wrong_role_is_403(service: Service) -> None:
    response = service.client.get("/api/v1/patients", headers=auth(service, "res"))
    assert response.status_code == 403 and "clinician" in response.json()["detail"]


def test_team_isolation(service: Service) -> None:
    pid = service.client.post(
        "/api/v1/patients", json={"external_id": "TEAM-A"}, headers=auth(service, "clin")
    ).json()["id"]
    assert (
        service.client.get(f"/api/v1/patients/{pid}", headers=auth(service, "clin_b")).status_code
        == 404
    )
    assert (
        service.client.get(f"/api/v1/patients/{pid}", headers=auth(service, "adm")).status_code
        == 200
    )


def test_revoked_and_expired_tokens_are_401(service: Service) -> None:
    sessions = service.client.app.state.sessions
    with transaction(sessions) as session:
        user = crud.user_by_name(session, username="clin")
        token, token_hash = new_api_token()
        crud.create_token(
            session,
            user=user,
            name="old",
            token_hash=token_hash,
            expires_at=datetime.now(UTC) - timedelta(minutes=1),
        )
        revoked = session.scalar(
            select(ApiToken).where(ApiToken.name == "test", ApiToken.user_id == user.id)
        )
        crud.revoke_token(session, token_id=revoked.id, actor="test")
    for bearer in (token, service.tokens["clin"]):
        assert (
            service.client.get(
                "/api/v1/patients", headers={"Authorization": f"Bearer {bearer}"}
            ).status_code
            == 401
        )


def test_cookie_session_needs_csrf_for_unsafe_requests(service: Service) -> None:
    client = service.client
    page = client.get("/login")
    csrf = page.cookies.get("leptodx_login_csrf") or client.cookies.get("leptodx_login_csrf")
    login = client.post(
        "/login",
        data={"username": "clin", "password": password("clin"), "csrf_token": csrf},
        follow_redirects=False,
    )
    assert login.status_code == 303
    assert client.get("/api/v1/patients").status_code == 200
    assert client.post("/api/v1/patients", json={"external_id": "X"}).status_code == 403


def test_login_with_a_wrong_csrf_token_is_rejected(service: Service) -> None:
    service.client.get("/login")
    response = service.client.post(
        "/login", data={"username": "clin", "password": password("clin"), "csrf_token": "forged"}
    )
    assert response.status_code == 403


def test_login_is_rate_limited(service: Service) -> None:
    client = service.client
    client.get("/login")
    csrf = client.cookies.get("leptodx_login_csrf")
    codes = [
        client.post(
            "/login", data={"username": "clin", "password": "wrong", "csrf_token": csrf}
        ).status_code
        for _ in range(service.settings.login_failures_before_lockout + 1)
    ]
    assert codes[-1] == 429 and set(codes[:-1]) == {401}


def test_concurrent_case_writes_lose_nothing_and_keep_the_chain(service: Service) -> None:
    h = auth(service, "clin")
    pid = service.client.post("/api/v1/patients", json={"external_id": "MRN-C"}, headers=h).json()[
        "id"
    ]

    def post(_: int) -> int:
        return service.client.post(
            f"/api/v1/patients/{pid}/cases", json=EXAMPLE, headers=h
        ).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(post, range(18)))
    assert codes == [201] * 18
    assert len(service.client.get(f"/api/v1/patients/{pid}/cases", headers=h).json()) == 18
    with transaction(service.client.app.state.sessions) as session:
        assert audit.verify(session).ok
