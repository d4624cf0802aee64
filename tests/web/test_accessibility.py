"""Accessibility proven in the browser: axe-core on every page, keyboard focus, 390 px layout.

axe-core runs offline from the copy bundled in ``axe-playwright-python``. Every page is opened as
a user of the role that uses it, at 1400 px and at 390 px (a phone), and checked for:

- zero axe violations of impact "serious" or "critical" (WCAG 2.x A/AA rules and best practices);
- no horizontal scroll of the page (``scrollWidth <= clientWidth``) at 390 px;
- a screenshot of each width, written to ``$LEPTODX_SCREENSHOTS`` or ``<basetemp>/screenshots``.

The focus outline and input border contrast (≥ 3:1, WCAG 1.4.11) and the skip link are checked
on the computed styles the browser applies.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from leptodx.models.fitted import FittedModel
from leptodx.store import research
from leptodx.store.db import transaction, upgrade
from leptodx.store.models import Case, Patient, User
from leptodx.web.app import create_app
from leptodx.web.demo import demo_password, seed
from leptodx.web.settings import Settings

from .live_browser import chromium, serve

WIDTHS = (1400, 390)
BLOCKING = ("serious", "critical")
pytestmark = pytest.mark.browser


@dataclass
class Live:
    url: str
    ids: dict[str, int]
    screenshots: Path


def _screenshot_dir(factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("LEPTODX_SCREENSHOTS")
    folder = Path(configured) if configured else factory.getbasetemp() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, site_x_model: FittedModel) -> Iterator[Live]:
    """The demo data (users of each role, example patients) plus one fitted model, served live."""
    data = tmp_path_factory.mktemp("a11y")
    settings = Settings(data_dir=data, secret_key="a" * 40, login_attempts_per_minute=100)
    upgrade(settings.sqlalchemy_url)
    app = create_app(settings)
    with transaction(app.state.sessions) as session:
        seed(session)
        researcher = session.scalars(select(User).where(User.username == "researcher")).one()
        sealed = site_x_model.sealed()
        research.add_fitted_model(
            session,
            user=researcher,
            name=sealed.spec.name,
            content_hash=sealed.content_hash,
            document=sealed.model_dump(mode="json"),
        )
        job = research.create_job(
            session,
            user=researcher,
            kind="develop",
            parameters={"spec": "gao-a", "filename": "site.csv", "bootstrap": 20, "seed": 1},
        )
        job.status, job.progress = "failed", 40
        job.error = "column lm: expected 0 or 1 (row 3 holds 2)"
        followup = session.scalars(
            select(Patient).where(Patient.external_id == "example-her2-lm")
        ).one()
        case = session.scalars(
            select(Case).join(Patient).where(Patient.external_id == "example-probable-iia")
        ).one()
        ids = {"patient": followup.id, "case": case.id}
    with serve(app) as url:
        yield Live(url, ids, _screenshot_dir(tmp_path_factory))


@pytest.fixture(scope="module")
def browser(live: Live) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _logged_in(browser: Any, live: Live, username: str | None) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    if username is not None:
        page.goto(f"{live.url}/login")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(demo_password(username))
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live.url}/")
    return page


def _case_form_with_errors(page: Any, live: Live) -> None:
    page.goto(f"{live.url}/cases/new")
    page.get_by_label("Patient identifier").fill("A11Y-1")
    page.get_by_label("Age (years)").fill("230")
    page.get_by_role("button", name="Assess").click()
    page.locator("#age_years-error").wait_for()


def _survival_with_result(page: Any, live: Live) -> None:
    cohort = [(3, 1, "I"), (5, 1, "I"), (8, 0, "I"), (2, 1, "II"), (9, 1, "II"), (12, 0, "II")]
    cohort += [(4, 1, "I"), (7, 1, "II"), (10, 0, "I"), (6, 1, "II")]
    rows = ["time,status,type", *(f"{t},{e},{g}" for t, e, g in cohort)]
    page.goto(f"{live.url}/research/survival")
    page.get_by_label("Cohort file").set_input_files(
        files=[{"name": "km.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()}]
    )
    page.get_by_label("Time column").fill("time")
    page.get_by_label("Event column").fill("status")
    page.get_by_label("Group column").fill("type")
    page.get_by_role("button", name="Run").click()
    page.locator("#survival-table").wait_for()


def _goto(path: str) -> Callable[[Any, Live], None]:
    def open_page(page: Any, live: Live) -> None:
        page.goto(live.url + path.format(**live.ids))

    return open_page


PAGES: dict[str, tuple[str | None, Callable[[Any, Live], None]]] = {
    "login": (None, _goto("/login")),
    "home": ("clinician", _goto("/")),
    "case-form-errors": ("clinician", _case_form_with_errors),
    "assessment": ("clinician", _goto("/cases/{case}")),
    "patient": ("clinician", _goto("/patients/{patient}")),
    "cohorts": ("researcher", _goto("/cohorts")),
    "survival": ("researcher", _survival_with_result),
    "models": ("researcher", _goto("/research/models")),
    "admin-users": ("admin", _goto("/admin/users")),
    "admin-audit": ("admin", _goto("/admin/audit")),
    "api-docs": (None, _goto("/docs")),
}


OVERFLOW = """() => {
  const root = document.documentElement, width = root.clientWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > width + 0.5)
    .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 0.5)
    .slice(0, 8)
    .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}.${e.className}`);
  return {scroll: root.scrollWidth, client: width, widest: wide};
}"""
"""The page's scroll and client width and the outermost elements that stick out on the right."""


def _blocking(results: dict[str, Any]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_axe_violations_and_fits_a_phone(
    name: str, browser: Any, live: Live
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    role, open_page = PAGES[name]
    page = _logged_in(browser, live, role)
    try:
        open_page(page, live)
        if name == "api-docs":
            page.get_by_text("/api/v1/assess").first.wait_for(timeout=10_000)
        problems: dict[int, list[str]] = {}
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(100)  # layout settles after the resize
            problems[width] = _blocking(Axe().run(page).response)
            page.screenshot(path=str(live.screenshots / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate(OVERFLOW)
        if name == "assessment":  # the chart alone, for docs/user-guide.md
            page.set_viewport_size({"width": 1400, "height": 900})
            page.locator(".csf-chart").screenshot(path=str(live.screenshots / "csf-chart.png"))
    finally:
        page.context.close()
    assert problems == {w: [] for w in WIDTHS}, json.dumps(problems, indent=1)
    assert overflow["scroll"] <= overflow["client"], (
        f"{name} scrolls sideways at 390 px: {overflow}"
    )


def _luminance(rgb: str) -> float:
    """WCAG 2.2 relative luminance of a CSS ``rgb(r, g, b)`` colour (definition in WCAG §5)."""
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_wcag_contrast_formula_matches_known_pairs() -> None:
    assert _contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21.0)
    assert _contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)") == pytest.approx(4.54, abs=0.01)


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(browser: Any, live: Live) -> None:
    page = _logged_in(browser, live, "clinician")
    try:
        page.goto(f"{live.url}/cases/new")
        page.keyboard.press("Tab")
        focused = page.evaluate("() => [document.activeElement.textContent, document.activeElement.getBoundingClientRect().top]")  # fmt: skip
        assert focused[0] == "Skip to main content"
        assert focused[1] >= 0  # shown when focused (it sits above the page otherwise)
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")  # the next stop is inside the main content, not the menu
        assert page.evaluate("() => document.activeElement.closest('main') !== null")
        assert page.evaluate("() => document.activeElement.id") == "patient_id"
    finally:
        page.context.close()


def test_focus_outline_and_input_borders_have_3_to_1_contrast(browser: Any, live: Live) -> None:
    page = _logged_in(browser, live, "clinician")
    try:
        page.goto(f"{live.url}/cases/new")
        checked = 0
        for selector in ("#patient_id", "#sex", "button[type=submit]", "nav a"):
            element = page.locator(selector).first
            element.focus()
            page.keyboard.press("Shift+Tab")  # focus by keyboard so :focus-visible applies
            page.keyboard.press("Tab")
            style = element.evaluate(
                """(e) => { const s = getComputedStyle(e), p = getComputedStyle(e.parentElement);
                  let bg = e.parentElement; while (getComputedStyle(bg).backgroundColor === "rgba(0, 0, 0, 0)") bg = bg.parentElement;
                  return {outline: s.outlineColor, width: parseFloat(s.outlineWidth), style: s.outlineStyle,
                          border: s.borderTopColor, borderWidth: parseFloat(s.borderTopWidth),
                          own: s.backgroundColor, around: getComputedStyle(bg).backgroundColor,
                          focused: document.activeElement === e}; }"""
            )
            assert style["focused"], selector
            assert style["style"] != "none" and style["width"] >= 2, (selector, style)
            assert _contrast(style["outline"], style["around"]) >= 3, (selector, style)
            if selector.startswith("#"):  # form controls: the border shows where to type
                assert style["borderWidth"] >= 1
                assert _contrast(style["border"], style["own"]) >= 3, (selector, style)
                assert _contrast(style["border"], style["around"]) >= 3, (selector, style)
            checked += 1
        assert checked == 4
    finally:
        page.context.close()


def test_the_axe_harness_reports_a_known_violation(browser: Any) -> None:
    """Guards the suite against passing because axe did not run (an image without alt text is a
    critical violation, rule image-alt)."""
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    try:
        page.set_content('<html lang="en"><title>t</title><main><img src="data:,"></main></html>')
        found = _blocking(Axe().run(page).response)
    finally:
        page.close()
    assert [f.split(" ")[0] for f in found] == ["image-alt"]
