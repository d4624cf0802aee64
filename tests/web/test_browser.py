"""The ward workflow in a real browser (Debian Chromium via Playwright) against a live server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leptodx.web.demo import demo_password

from .live_browser import ARTIFACTS, chromium, live_demo

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_demo(tmp_path_factory.mktemp("browser")) as (url, _):
        yield url


@pytest.fixture(scope="module")
def page(base_url: str):  # type: ignore[no-untyped-def]
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1024, "height": 1300})
        yield context.new_page()


def test_login_bad_value_inline_error_fix_classification_logout(base_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/login")
    page.get_by_label("User name").fill("clinician")
    page.get_by_label("Password").fill(demo_password("clinician"))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")
    assert page.get_by_text("Decision support, not a diagnosis").is_visible()

    page.get_by_role("link", name="New case").first.click()
    page.get_by_label("Patient identifier").fill("WARD-7")
    page.get_by_label("Age (years)").fill("230")
    page.get_by_label("Age (years)").press("Tab")  # htmx checks the form on change, before submit
    live = page.locator("#live-check")
    live.get_by_text("Age must be between 0 and 120 years (you entered 230).").wait_for(
        timeout=5000
    )
    page.get_by_label("Known cancer").select_option("yes")
    page.get_by_label("Clinical signs").select_option("typical")
    page.get_by_label("MRI category").select_option("A")
    page.get_by_label("CSF cytology").select_option("negative")
    page.get_by_label("CSF protein").fill("98")
    page.get_by_label("protein unit").first.select_option("mg/dL")
    page.get_by_role("button", name="Assess").click()
    error = page.locator("#age_years-error")
    assert error.is_visible()
    assert "230" in error.inner_text() and "120" in error.inner_text()
    assert page.get_by_label("Age (years)").get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(ARTIFACTS / "case-form-inline-error.png"), full_page=True)

    page.get_by_label("Age (years)").fill("58")
    page.get_by_role("button", name="Assess").click()
    page.wait_for_url(f"{base_url}/cases/*")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Probable leptomeningeal metastasis — type IIA"
    assert page.get_by_role("cell", name="980 mg/L", exact=True).is_visible()  # 98 mg/dL, canonical
    page.screenshot(path=str(ARTIFACTS / "assessment.png"), full_page=True)

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{base_url}/login")
    page.goto(f"{base_url}/")
    assert page.url.endswith("/login")


def test_api_docs_page_renders_offline_under_the_csp(base_url: str, page) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{base_url}/docs")
    page.get_by_text("/api/v1/assess").first.wait_for(timeout=10_000)
    assert not [e for e in errors if "Content Security Policy" in e]
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"))


def test_patient_page_timeline_ctdna_response_and_event_form(base_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/login")
    page.get_by_label("User name").fill("clinician")
    page.get_by_label("Password").fill(demo_password("clinician"))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")
    page.get_by_role("link", name="example-her2-lm").first.click()
    page.wait_for_url(f"{base_url}/patients/*")
    image = page.get_by_role("img", name="Follow-up timeline")
    image.wait_for()
    drawn = "(img) => img.complete && img.naturalWidth > 500"  # drawn once, then cached
    page.wait_for_function(drawn, arg=image.element_handle(), timeout=120_000)
    ctdna = page.locator("#ctdna").inner_text()
    assert "PIK3CA" in ctdna.split("\n")[1]  # p.His1047Arg (CSF) and H1047R (plasma) match
    assert "ERBB2" in ctdna
    response = page.locator("#response").inner_text()
    assert "PR" in response and "CR" in response and "positive → negative" in response

    page.locator("#add-treatment > summary").click()  # one form per kind
    form = page.locator("#form-treatment")
    form.get_by_label("Start date").fill("2025-05-01")
    form.get_by_label("Modality").select_option("radiotherapy")
    form.get_by_label("End date").fill("2025-04-01")
    form.get_by_role("button", name="Add treatment line").click()
    assert "dates out of order" in page.locator("#error-summary").inner_text()
    form = page.locator("#form-treatment")
    form.get_by_label("End date").fill("2025-05-20")
    form.get_by_role("button", name="Add treatment line").click()
    page.wait_for_url("**/patients/*#followup")
    assert "radiotherapy" in page.locator("#events").inner_text()
    page.screenshot(path=str(ARTIFACTS / "patient-followup.png"), full_page=True)
