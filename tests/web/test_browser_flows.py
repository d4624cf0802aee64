"""The flows issue 15 found broken, driven in Chromium against a live server: each test fails on
the code before the fix (cohort upload, Swagger writes, raw event data, the add-event form)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from leptodx.cohort.synthetic import synthetic_cohort
from leptodx.store import crud
from leptodx.store.db import transaction
from leptodx.web.security import new_api_token

from .live_browser import ARTIFACTS, chromium, live_demo, log_in

pytestmark = pytest.mark.browser
ASSESS_BODY = '{"known_cancer": true, "clinical_signs": "typical", "mri": "A", "cytology": "negative"}'  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FastAPI]]:
    with live_demo(tmp_path_factory.mktemp("flows")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server: tuple[str, FastAPI]) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 1300})
    yield context.new_page()
    context.close()


def test_cohort_upload_from_the_page_creates_a_job(server: tuple[str, FastAPI], page: Any, tmp_path: Path) -> None:  # fmt: skip
    base_url, _ = server
    cohort = tmp_path / "ward-cohort.csv"
    synthetic_cohort(120, seed=3).to_csv(cohort, index=False)
    log_in(page, base_url, "researcher")
    page.goto(f"{base_url}/cohorts")
    page.get_by_label("Cohort file").set_input_files(str(cohort))
    page.get_by_label("Bootstrap resamples").fill("5")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(f"{base_url}/cohorts")
    jobs = page.locator("#jobs")
    assert "ward-cohort.csv" in jobs.inner_text()
    assert "got None" not in page.content()
    page.get_by_role("link", name="view").wait_for(timeout=120_000)  # the page refreshes
    page.screenshot(path=str(ARTIFACTS / "cohorts-job-done.png"), full_page=True)


def test_cohort_page_error_is_in_words_and_takes_focus(server: tuple[str, FastAPI], page: Any, tmp_path: Path) -> None:  # fmt: skip
    base_url, _ = server
    notes = tmp_path / "notes.txt"
    notes.write_text("not a cohort")
    log_in(page, base_url, "researcher")
    page.goto(f"{base_url}/cohorts")
    page.get_by_label("Cohort file").set_input_files(str(notes))
    page.get_by_role("button", name="Start").click()
    summary = page.locator("#error-summary")
    assert "Cohort file: expected a cohort file ending in" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"


def _execute_assess(page: Any) -> str:
    """Open POST /api/v1/assess in Swagger UI, send the body, return the response's status."""
    operation = page.locator("#operations-default-assess_api_v1_assess_post, .opblock-post").filter(
        has_text="/api/v1/assess"
    )
    operation.first.locator(".opblock-summary").click()
    operation.first.get_by_role("button", name="Try it out").click()
    operation.first.locator("textarea.body-param__text").fill(ASSESS_BODY)
    operation.first.get_by_role("button", name="Execute").click()
    status = operation.first.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for(timeout=15_000)
    return str(status.inner_text()).strip()


def test_swagger_authorize_with_a_bearer_token_sends_writes(server: tuple[str, FastAPI], page: Any) -> None:  # fmt: skip
    base_url, app = server
    token, token_hash = new_api_token()
    with transaction(app.state.sessions) as db:
        user = crud.user_by_name(db, username="researcher")
        assert user is not None
        crud.create_token(db, user=user, name="swagger test", token_hash=token_hash)
    page.goto(f"{base_url}/docs")
    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".dialog-ux")
    dialog.get_by_label("auth-bearer-value").first.fill(token)
    dialog.get_by_role("button", name="Apply credentials").first.click()
    dialog.get_by_role("button", name="Close").first.click()
    assert _execute_assess(page) == "200"
    page.screenshot(path=str(ARTIFACTS / "api-docs-authorized.png"))


def test_swagger_with_a_session_cookie_sends_the_csrf_token(server: tuple[str, FastAPI], page: Any) -> None:  # fmt: skip
    base_url, _ = server
    log_in(page, base_url, "clinician")
    page.goto(f"{base_url}/docs")
    assert _execute_assess(page) == "200"


def test_swagger_without_login_or_token_gets_401_not_a_crash(server: tuple[str, FastAPI], page: Any) -> None:  # fmt: skip
    base_url, _ = server
    page.goto(f"{base_url}/docs")
    assert _execute_assess(page) == "401"


def _open_patient(page: Any, base_url: str, name: str) -> None:
    log_in(page, base_url, "clinician")
    page.get_by_role("link", name=name).first.click()
    page.wait_for_url(f"{base_url}/patients/*")


def test_event_table_shows_words_not_python_data(server: tuple[str, FastAPI], page: Any) -> None:  # fmt: skip
    base_url, _ = server
    _open_patient(page, base_url, "example-her2-lm")
    table = page.locator("#events").inner_text()
    for raw in ("{'", "[[", "'items'", "None", "True"):
        assert raw not in table, raw
    assert "nodules 8 × 6 mm, 5 × 5 mm" in table
    assert "protein 72 mg/dL (720 mg/L)" in table


def test_lumbar_puncture_form_refuses_impossible_values_and_focuses_the_summary(server: tuple[str, FastAPI], page: Any) -> None:  # fmt: skip
    base_url, _ = server
    _open_patient(page, base_url, "example-her2-lm")
    assert not page.locator("#form-lumbar_puncture").is_visible()  # closed until chosen
    assert not page.get_by_label("Modality").is_visible()  # no fields of other kinds
    page.locator("#add-lumbar_puncture > summary").click()
    form = page.locator("#form-lumbar_puncture")
    assert form.get_by_label("CSF leukocytes unit").input_value() == "/uL"  # pre-selected
    assert form.get_by_label("CSF protein unit").input_value() == "mg/L"
    form.get_by_label("Date").fill("2025-06-02")
    form.get_by_label("CSF leukocytes", exact=True).fill("-3")
    form.get_by_role("button", name="Add lumbar puncture").click()
    summary = page.locator("#error-summary")
    assert "CSF leukocytes must be between 0 and 100 000 /µL (you entered −3 /µL)." in summary.inner_text().replace("\xa0", " ")  # fmt: skip
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.screenshot(path=str(ARTIFACTS / "patient-event-error.png"), full_page=True)
    summary.get_by_role("link").click()  # the summary's link moves focus to the field
    assert page.evaluate("document.activeElement.id") == "lumbar_puncture-leukocytes"
    form = page.locator("#form-lumbar_puncture")
    assert form.get_by_label("CSF leukocytes", exact=True).get_attribute("aria-invalid") == "true"
    form.get_by_label("CSF leukocytes", exact=True).fill("3")
    form.get_by_role("button", name="Add lumbar puncture").click()
    page.wait_for_url("**/patients/*#followup")
    assert "leukocytes 3 /µL" in page.locator("#events").inner_text()


def test_assessment_csf_values_appear_in_the_timeline(server: tuple[str, FastAPI], page: Any) -> None:  # fmt: skip
    base_url, _ = server
    _open_patient(page, base_url, "example-probable-iia")
    events = page.locator("#events").inner_text()
    assert "Lumbar puncture" in events and "from assessment" in events
    image = page.get_by_role("img", name="Follow-up timeline")
    image.wait_for()
    drawn = "(img) => img.complete && img.naturalWidth > 500"  # drawn once, then cached
    page.wait_for_function(drawn, arg=image.element_handle(), timeout=120_000)


def test_an_event_is_corrected_and_the_old_one_stays_visible(server: tuple[str, FastAPI], page: Any) -> None:  # fmt: skip
    base_url, _ = server
    _open_patient(page, base_url, "example-her2-lm")
    page.get_by_role("link", name="Correct mri of 2023-02-01").click()
    form = page.locator("#amend-form")
    form.get_by_label("MRI type").select_option("C")
    form.get_by_label("Reason for the correction").fill("report re-read: nodular too")
    form.get_by_role("button", name="Save correction").click()
    page.wait_for_url("**/patients/*#followup")
    assert "type C" in page.locator("#events").inner_text()
    struck = page.locator("#entered-in-error").inner_text()
    assert "type A" in struck and "report re-read" in struck


def test_errors_in_the_browser_are_html_pages(server: tuple[str, FastAPI], page: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    base_url, _ = server
    log_in(page, base_url, "clinician")
    for path, status, heading in (
        ("/patients/999999", 404, "Not found"),
        ("/no-such-page", 404, "Not found"),
        ("/admin/users", 403, "Not allowed"),
    ):
        response = page.goto(f"{base_url}{path}")
        assert response.status == status and response.headers["content-type"].startswith("text/html")  # fmt: skip
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert page.get_by_role("link", name="Back to the start page").is_visible()
    page.screenshot(path=str(ARTIFACTS / "error-403.png"))

    import leptodx.web.pages

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(leptodx.web.pages, "present", broken)
    page.goto(f"{base_url}/")
    page.get_by_role("link", name="example-probable-iia").first.click()
    page.get_by_role("link", name="Probable").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Something went wrong"
    body = page.content()
    assert "Error reference" in body and "Traceback" not in body and "simulated" not in body
    api = page.request.get(f"{base_url}/api/v1/patients/999999")
    assert api.status == 404 and api.headers["content-type"] == "application/problem+json"
