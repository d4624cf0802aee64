"""/research/survival: the figure (PNG, SVG) and tables (CSV) offered as downloads embedded in the
result page — checked against R (survfit, survdiff) and an independent count, not by pixels."""

from __future__ import annotations

import base64
import csv
import io
import json
import re

import pytest

from .conftest import Service, auth
from .test_followup_and_survival_web import LUNG, _login

SURVIVAL = json.loads((LUNG.parent / "survival_reference.json").read_text(encoding="utf-8"))["lung"]


def _run(service: Service, csrf: str, data: bytes = LUNG.read_bytes(), **form: str):
    fields = {"time": "time", "event": "event", "group": "sex_label", "csrf_token": csrf, **form}
    return service.client.post(
        "/research/survival", data=fields, files={"file": ("lung.csv", data, "text/csv")}
    )


def _downloads(page: str) -> dict[str, tuple[str, bytes]]:
    """download file name → (media type, decoded bytes) of every data-URI link on the page."""
    found = re.findall(r'<a href="data:([^;"]+)[^,"]*;base64,([^"]+)" download="([^"]+)"', page)
    return {name: (media, base64.b64decode(data)) for media, data, name in found}


@pytest.fixture
def result(service: Service) -> dict[str, tuple[str, bytes]]:
    r = _run(service, _login(service, "res"))
    assert r.status_code == 200, r.text[:500]
    return _downloads(r.text)


def test_page_offers_png_svg_and_two_csv_downloads(result) -> None:
    assert {name: media for name, (media, _) in result.items()} == {
        "kaplan-meier.png": "image/png",
        "kaplan-meier.svg": "image/svg+xml",
        "survival-summary.csv": "text/csv",
        "kaplan-meier-estimates.csv": "text/csv",
    }
    assert result["kaplan-meier.png"][1][:8] == b"\x89PNG\r\n\x1a\n"


def test_svg_download_shows_r_log_rank_p_and_the_numbers_at_risk(result) -> None:
    svg = result["kaplan-meier.svg"][1].decode()
    assert "Log-rank p = 0.0013" in svg  # R survdiff p = 0.00131
    texts = re.findall(r">([^<>]+)</text>", svg)
    assert "Number at risk" in texts and {"female", "male", "138", "90"} <= set(texts)


def test_summary_csv_has_r_medians_and_the_log_rank_test(result) -> None:
    rows = list(csv.DictReader(io.StringIO(result["survival-summary.csv"][1].decode())))
    assert [r["group"] for r in rows] == ["female", "male"]
    for row, ref in zip(rows, SURVIVAL["km_sex"], strict=True):
        assert int(row["records"]) == ref["n"] and int(row["events"]) == ref["events"]
        assert float(row["median"]) == ref["median"]
        assert float(row["lower"]) == pytest.approx(ref["median_lower"], rel=1e-12)
        assert float(row["upper"]) == pytest.approx(ref["median_upper"], rel=1e-12)
    assert float(rows[0]["logrank.p"]) == pytest.approx(SURVIVAL["logrank_sex"]["p"], rel=1e-10)
    assert float(rows[0]["logrank.chisq"]) == pytest.approx(10.3267419548856, rel=1e-10)


def test_estimates_csv_is_r_summary_survfit(result) -> None:
    rows = list(csv.DictReader(io.StringIO(result["kaplan-meier-estimates.csv"][1].decode())))
    for ref in SURVIVAL["km_sex"]:
        mine = [r for r in rows if r["group"] == ref["name"]]
        assert [float(r["time"]) for r in mine] == ref["time"]
        assert [int(r["n.risk"]) for r in mine] == ref["n_risk"]
        surv = [float(r["surv"]) for r in mine]
        assert surv == pytest.approx(ref["surv"], rel=1e-12)
        lower = [float(r["lower"]) if r["lower"] else None for r in mine]
        assert lower == pytest.approx(ref["lower"], rel=1e-12)


def test_ci_band_option_adds_the_bands_to_the_figure(service: Service) -> None:
    csrf = _login(service, "res")
    plain = _downloads(_run(service, csrf).text)["kaplan-meier.svg"][1]
    page = _run(service, csrf, ci_band="true").text
    banded = _downloads(page)["kaplan-meier.svg"][1]
    assert b"PolyCollection" not in plain and banded.count(b'id="FillBetweenPolyCollection') == 2
    assert re.search(r'id="ci_band"[^>]*checked', page)  # the choice is kept on the form


def test_group_names_that_look_like_formulas_are_defused_in_the_csv(service: Service) -> None:
    data = b"t,e,g\n1,1,=HYPERLINK(1)\n2,0,=HYPERLINK(1)\n3,1,+b\n4,1,+b\n"
    r = _run(service, _login(service, "res"), data=data, time="t", event="e", group="g")
    assert r.status_code == 200, r.text[:300]
    text = _downloads(r.text)["survival-summary.csv"][1].decode()
    groups = [row["group"] for row in csv.DictReader(io.StringIO(text))]
    assert sorted(groups) == ["'+b", "'=HYPERLINK(1)"]


def test_clinicians_and_anonymous_users_get_no_survival_analysis(service: Service) -> None:
    r = service.client.post(
        "/research/survival",
        data={"time": "time", "event": "event"},
        files={"file": ("lung.csv", LUNG.read_bytes(), "text/csv")},
        headers=auth(service, "clin"),
    )
    assert r.status_code == 403 and "data:image" not in r.text
    service.client.cookies.clear()
    r = service.client.post(
        "/research/survival",
        data={"time": "time", "event": "event"},
        files={"file": ("lung.csv", LUNG.read_bytes(), "text/csv")},
        follow_redirects=False,
    )
    assert r.status_code in (401, 303, 403) and "data:image" not in r.text


def test_downloads_larger_than_the_embed_limit_are_named_not_embedded(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leptodx.web import survival

    monkeypatch.setattr(survival, "EMBED_LIMIT", 10_000)  # lung: estimates ~20 kB, summary < 1 kB
    r = _run(service, _login(service, "res"))
    assert r.status_code == 200
    names = set(_downloads(r.text))
    assert names == {"survival-summary.csv"}
    assert re.search(r"estimates per time .*?: \d+\.\d MB, too large to offer", r.text)
    assert "data:image/png;base64," in r.text  # the figure is still shown
