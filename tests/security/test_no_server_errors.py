"""Finding 4 (and the strict-type part of 12): no 500 anywhere — ids out of range are 404,
non-finite or overflowing numbers are 422 naming the field, errors are problem documents (API) or
HTML error pages (pages)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from leptodx.web.policy import POLICY, Access, is_api_path

from .conftest import EXAMPLE, World, login

HUGE_IDS = ("9223372036854775808", "99999999999999999999999", "0", "-1", "abc")
ID_ROUTES = sorted(
    (method, path)
    for (method, path), rule in POLICY.items()
    if "_id}" in path and rule.access is Access.USER
)


@pytest.mark.parametrize(("method", "path"), ID_ROUTES)
def test_ids_out_of_range_are_404(world: World, method: str, path: str) -> None:
    for bad in HUGE_IDS:
        url = re.sub(r"\{\w+\}", bad, path)
        response = world.client.request(method, url, headers=world.auth("adm_a"), json={})
        assert response.status_code == 404, (url, response.status_code)
        kind = "application/problem+json" if is_api_path(path) else "text/html"
        assert response.headers["content-type"].startswith(kind)


def _csrf(world: World, page: str = "/cases/new") -> str:
    html = world.client.get(page).text
    return html.split('name="csrf_token" value="')[1].split('"')[0]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400", "1.5"])
@pytest.mark.parametrize("route", ["/cases/new", "/cases/check"])
def test_lp_number_that_is_not_a_finite_whole_number_is_named(
    world: World, value: str, route: str
) -> None:
    login(world.client, "clin_a")
    complete = {"known_cancer": "yes", "clinical_signs": "typical", "mri": "A", "cytology": "negative"}  # fmt: skip
    form = {"csrf_token": _csrf(world), "patient_id": "P-1", **complete, "lp_number": value}
    response = world.client.post(route, data=form)
    assert response.status_code in (200, 422)  # /cases/check answers the htmx fragment
    assert "LP number: expected" in response.text and value in response.text


@pytest.mark.parametrize(("field", "value"), [("lano_walking", "abc"), ("lano_walking", "1.5"), ("tumour_fraction", "nan")])  # fmt: skip
def test_bad_numbers_in_the_event_form_are_422(world: World, field: str, value: str) -> None:
    login(world.client, "clin_a")
    page = f"/patients/{world.patients['a']}"
    kind = "ctdna" if field == "tumour_fraction" else "response"
    form = {"csrf_token": _csrf(world, page), "kind": kind, "date": "2024-02-01", field: value, "sample_type": "CSF"}  # fmt: skip
    response = world.client.post(f"{page}/events", data=form)
    assert response.status_code == 422 and field in response.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"age_years": NaN}', "age_years"),
        (b'{"age_years": Infinity}', "age_years"),
        (b'{"csf": {"protein": {"value": 1e400, "unit": "mg/L"}}}', "csf.protein.value"),
        (b'{"age_years": -1e999}', "age_years"),
        (b'{"lp": ' + b"9" * 200 + b"}", "lp"),
    ],
)
def test_non_finite_json_numbers_are_422_naming_the_field(
    world: World, body: bytes, field: str
) -> None:
    response = world.client.post(
        "/api/v1/assess",
        content=body,
        headers={**world.auth("clin_a"), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_deeply_nested_json_is_422(world: World) -> None:
    body = b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = world.client.post(
        "/api/v1/assess",
        content=body,
        headers={**world.auth("clin_a"), "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_json_boolean_is_not_a_csf_value(world: World) -> None:
    record = {**EXAMPLE, "csf": {**EXAMPLE.get("csf", {}), "protein": {"value": True, "unit": "mg/L"}}}  # fmt: skip
    response = world.client.post("/api/v1/assess", json=record, headers=world.auth("clin_a"))
    assert response.status_code == 422 and response.json()["field"] == "csf.protein.value"


def test_an_unexpected_error_is_a_problem_document_not_plain_text(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import leptodx.web.api as api

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "assess_input", broken)
    with TestClient(world.app, base_url="https://testserver", raise_server_exceptions=False) as client:  # fmt: skip
        response = client.post("/api/v1/assess", json=EXAMPLE, headers=world.auth("clin_a"))
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "boom" not in response.text


def test_page_errors_are_html(world: World) -> None:
    login(world.client, "res_a")
    response = world.client.get(f"/patients/{world.patients['a']}")
    assert response.status_code == 403 and response.headers["content-type"].startswith("text/html")
    assert "researcher" in response.text
