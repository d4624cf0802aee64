"""/research/survival in Chromium: the analysis runs from the form and the four downloads arrive as
files under the page's Content Security Policy (embedded data URIs, no server state)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from leptodx.web.demo import demo_password

from .test_browser import ARTIFACTS, base_url, page  # noqa: F401  (module-scoped fixtures)

LUNG = Path(__file__).parents[1] / "reference_values" / "survival" / "lung.csv"
pytestmark = pytest.mark.browser


def test_survival_figure_and_tables_download_in_the_browser(base_url: str, page, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{base_url}/login")
    page.get_by_label("User name").fill("researcher")
    page.get_by_label("Password").fill(demo_password("researcher"))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")
    page.goto(f"{base_url}/research/survival")
    page.get_by_label("Cohort file").set_input_files(str(LUNG))
    page.get_by_label("Time column").fill("time")
    page.get_by_label("Event column").fill("event")
    page.get_by_label("Group column").fill("sex_label")
    page.get_by_label("Show each curve's confidence band").check()
    page.get_by_role("button", name="Run").click()
    page.locator("#survival-downloads").wait_for(timeout=30_000)
    files = {}
    for name in ("Figure (PNG", "Figure (SVG", "Medians and log-rank", "Kaplan–Meier estimates"):
        with page.expect_download() as info:
            page.get_by_role("link", name=name).click()
        download = info.value
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        files[download.suggested_filename] = target.read_bytes()
    assert files["kaplan-meier.png"][:4] == b"\x89PNG"
    assert b"Log-rank p = 0.0013" in files["kaplan-meier.svg"]
    summary = list(csv.DictReader(io.StringIO(files["survival-summary.csv"].decode())))
    assert [(r["group"], r["median"]) for r in summary] == [("female", "426.0"), ("male", "270.0")]
    assert files["kaplan-meier-estimates.csv"].startswith(b"group,time,n.risk,n.event")
    assert not [e for e in errors if "Content Security Policy" in e]
    page.screenshot(path=str(ARTIFACTS / "survival-result.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # figure shrinks to fit
    page.screenshot(path=str(ARTIFACTS / "survival-result-390.png"), full_page=True)
    page.set_viewport_size({"width": 1024, "height": 1300})
