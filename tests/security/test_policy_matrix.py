"""Every route of the app × role (anonymous, clinician, researcher, admin) × data scope (the
record in the user's team, another team, no team) against :data:`leptodx.web.policy.POLICY`.

The routes come from the app's own route table, so a route added without a policy entry fails
here; the expected outcome of each cell comes from the policy entry, and the request is sent.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import select
from starlette.routing import Mount, Route

from leptodx.store.models import User
from leptodx.web.policy import POLICY, Access, Scope, is_api_path

from .conftest import World

ROLE_USERS = {"clinician": "clin_a", "researcher": "res_a", "admin": "adm_a"}
SCOPES = ("a", "b", "none")  # the user is in team a: own team, other team, no team
DENIED = {401, 403, 404}


def route_table(app) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(method, path) of every route, included routers' routes with their full paths."""
    pairs: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            pairs.add(("GET", context.path))
        elif isinstance(route, APIRoute | Route):
            pairs |= {(m, context.path) for m in (context.methods or ()) if m != "HEAD"}
    return pairs


def test_every_route_has_exactly_one_policy_entry(world: World) -> None:
    routes = route_table(world.app)
    assert routes - POLICY.keys() == set(), "routes without a policy entry"
    assert POLICY.keys() - routes == set(), "policy entries without a route"


def _user_id(world: World, username: str) -> int:
    with world.app.state.read_sessions() as db:
        return int(db.scalar(select(User.id).where(User.username == username)))


def _url(world: World, path: str, scope: str) -> str:
    values = {
        "patient_id": world.patients[scope],
        "case_id": world.cases[scope],
        "event_id": world.events[scope],
        "job_id": world.jobs[scope],
        "model_id": world.model_id,
        "user_id": _user_id(world, "res_b"),  # admin actions target a user the matrix never uses
    }
    url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
    return "/static/style.css" if path == "/static" else url


def _expected(method: str, path: str, role: str | None, scope: str) -> str:
    """``allowed``, ``login`` (anonymous on a page), or ``denied``."""
    rule = POLICY[(method, path)]
    if rule.access is Access.PUBLIC:
        return "allowed"
    if rule.access is Access.EHR:
        return "denied"  # user tokens and cookies are not EHR JWTs
    if role is None:
        return "denied" if is_api_path(path) else "login"
    if role not in rule.roles:
        return "denied"
    if rule.scope in (Scope.PATIENT, Scope.CASE, Scope.JOB) and role != "admin":
        return "allowed" if scope == "a" else "denied"
    return "allowed"


CELLS = [
    (method, path, role, scope)
    for (method, path) in sorted(POLICY)
    for role in (None, *ROLE_USERS)
    for scope in SCOPES
]


def test_route_role_scope_matrix(world: World) -> None:
    failures = []
    for method, path, role, scope in CELLS:
        headers = world.auth(ROLE_USERS[role]) if role else {}
        response = world.client.request(
            method, _url(world, path, scope), headers=headers, follow_redirects=False
        )
        expected = _expected(method, path, role, scope)
        got = response.status_code
        if expected == "login":
            ok = got == 303 and response.headers.get("location") == "/login"
        elif expected == "denied":
            ok = got in DENIED
        else:
            ok = got not in DENIED and got < 500
        if not ok:
            failures.append(f"{method} {path} as {role or 'anonymous'} on {scope}: {expected}, got {got}")  # fmt: skip
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/patients/{patient_id}"),
        ("GET", "/patients/{patient_id}"),
        ("GET", "/cases/{case_id}"),
        ("GET", "/cases/{case_id}/assessment.pdf"),
    ],
)
def test_a_clinician_in_no_team_sees_no_patient(world: World, method: str, path: str) -> None:
    for scope in SCOPES:
        response = world.client.request(
            method, _url(world, path, scope), headers=world.auth("clin_none")
        )
        assert response.status_code == 404, (scope, response.status_code)
    listed = world.client.get("/api/v1/patients", headers=world.auth("clin_none")).json()
    assert listed == []
    created = world.client.post(
        "/api/v1/patients", json={"external_id": "X"}, headers=world.auth("clin_none")
    )
    assert created.status_code == 403 and "no team" in created.json()["detail"]


def test_researchers_see_no_identified_patient_data_on_pages(world: World) -> None:
    for path in ("/patients/{patient_id}", "/cases/{case_id}", "/cases/{case_id}/assessment.pdf", "/patients/{patient_id}/timeline.png"):  # fmt: skip
        response = world.client.get(_url(world, path, "a"), headers=world.auth("res_a"))
        assert response.status_code == 403, path
        assert "MRN-a" not in response.text
    home = world.client.get("/", headers=world.auth("res_a"))
    assert home.status_code == 200 and "MRN-" not in home.text


def test_docs_security_prints_the_policy_as_enforced() -> None:
    from pathlib import Path

    from leptodx.web.policy import policy_markdown

    doc = (Path(__file__).parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
    table = doc.split("<!-- begin:policy", 1)[1].split("-->", 1)[1].split("<!-- end:policy -->")[0]
    assert table.strip() == policy_markdown()
