"""The assessment page as a clinician expects it (issue 15): who assessed when, the inputs used,
the category definitions inline, every CSF analyte on a labelled scale, print layout and PDF.

Expected numbers come from the example's input and the cited limits, computed by hand:
98 mg/dL protein = 980 mg/L (limit < 500 mg/L, S1 2020); CSF glucose 41 mg/dL = 2.276 mmol/L,
ratio to serum 5.6 mmol/L = 0.406 (normal > 0.50); QAlb = 520 mg/L / 38 000 mg/L = 13.7 × 10⁻³,
limit 4 + 58/15 = 7.87 (Reiber); lactate 3.4 mmol/L against 0.9–2.7 mmol/L.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from leptodx.web.csf_chart import LEFT, RIGHT, nice_ceiling

from .conftest import Service, auth

ROOT = Path(__file__).parents[2]
EXAMPLE = json.loads((ROOT / "examples" / "probable_type_iia.json").read_text())


def _case(service: Service) -> int:
    h = auth(service, "clin")
    pid = service.client.post("/api/v1/patients", json={"external_id": "W-9"}, headers=h).json()["id"]  # fmt: skip
    case = service.client.post(f"/api/v1/patients/{pid}/cases", json=EXAMPLE, headers=h)
    assert case.status_code == 201, case.text
    return int(case.json()["id"])


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def _between(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def test_page_names_author_time_and_the_inputs_used(service: Service) -> None:
    case_id = _case(service)
    page = service.client.get(f"/cases/{case_id}", headers=auth(service, "clin")).text
    meta = _text(_between(page, 'id="case-meta"', "</dl>"))
    assert "Assessed by clin" in meta
    assert re.search(r"Assessed \d{4}-\d\d-\d\d \d\d:\d\d UTC", meta), meta
    assert "Patient W-9" in meta
    inputs = _text(_between(page, 'id="inputs"', "</dl>"))
    for expected in (
        "Age 58 years",
        "Sex female",
        "Primary tumour breast cancer",
        "Known cancer yes",
        "Symptoms headache, diplopia, gait difficulty",
        "Clinical signs typical clinical signs of LM",
        "MRI type A",
        "CSF cytology negative",
        "Lumbar puncture CSF volume 12 ml; processing delay 20 min; LP number 1",
    ):
        assert expected in inputs, (expected, inputs)
    assert "None" not in inputs and "True" not in inputs


def test_inline_help_quotes_the_guideline_categories_with_their_sources(service: Service) -> None:
    """Wording of G2023 Table 1 and the guideline digest as in eano-esmo.md §EE-2."""
    page = service.client.get(f"/cases/{_case(service)}", headers=auth(service, "clin")).text
    help_text = _text(" ".join(re.findall(r'<details class="help".*?</details>', page, re.S)))
    for quote in (
        "Presence of typical clinical signs of LM",
        "Any other neurological abnormality",
        "Normal neurological evaluation",
        "headache, nausea and vomiting, mental changes, gait difficulties, cranial nerve palsies "
        "with diplopia, visual disturbances, hearing loss, sensorimotor deficits of the "
        "extremities, cauda equina syndrome, radicular, neck and back pain",
        "typical MRI findings of linear LM",
        "typical findings of nodular LM",
        "hydrocephalus only",
        "equivocal leptomeningeal findings or no leptomeningeal MRI findings",
    ):
        assert quote in help_text, quote
    assert "G2023, reference pack eano-esmo.md" in help_text
    assert "PW, reference pack eano-esmo.md, section EE-2 (secondary source)" in help_text
    assert "footnotes a–c) were not available" in help_text
    sources = _text(_between(page, "<h2>Sources</h2>", "</section>"))
    assert "PW (secondary source; help text)" in sources


def test_csf_chart_shows_every_analyte_with_number_unit_and_limits(service: Service) -> None:
    page = service.client.get(f"/cases/{_case(service)}", headers=auth(service, "clin")).text
    svg = _between(page, '<figure class="chart csf-chart">', "</figure>")
    rows = re.findall(r'<g transform="translate\(0 \d+\)">(.*?)</g>', svg, re.S)
    texts = [re.findall(r"<text[^>]*>([^<]*)</text>", row) for row in rows]
    assert [t[0] for t in texts] == [
        "Cell count (leukocytes)",
        "Total protein",
        "Glucose: CSF/serum ratio",
        "Lactate",
        "Albumin quotient QAlb",
    ]
    assert [html.unescape(t[1]) for t in texts] == [
        "12 /µL · high",
        "980 mg/L · high",
        "0.406 · low",
        "3.4 mmol/L · high",
        "13.7 × 10⁻³ · high",
    ]
    ticks = [t[2:] for t in texts]  # limits and axis ends, left to right
    assert ticks == [["0", "5", "20"], ["0", "500", "2000"], ["0", "0.5", "1"], ["0", "0.9", "2.7", "5"], ["0", "7.87", "20"]]  # fmt: skip
    lactate = rows[3]
    band = re.search(r'<rect x="([\d.]+)" y="24" width="([\d.]+)"', lactate)
    assert band is not None
    scale = (RIGHT - LEFT) / 5  # lactate axis 0–5 mmol/L
    assert float(band.group(1)) == pytest.approx(LEFT + 0.9 * scale, abs=0.06)
    assert float(band.group(2)) == pytest.approx(1.8 * scale, abs=0.11)
    marker = re.search(r'<circle cx="([\d.]+)"', lactate)
    assert marker is not None and float(marker.group(1)) == pytest.approx(LEFT + 3.4 * scale, abs=0.06)  # fmt: skip
    desc = html.unescape(_between(svg, '<desc id="csf-chart-desc">', "</desc>"))
    assert "Lactate: 3.4 mmol/L, high (lower limit 0.9 and upper limit 2.7 mmol/L)" in desc


@pytest.mark.parametrize(
    ("value", "top"), [(1127.0, 2000.0), (13.8, 20.0), (0.575, 1.0), (5.75, 10.0), (2.5, 2.5), (0.0, 1.0)]
)  # fmt: skip
def test_axis_ends_are_round_numbers(value: float, top: float) -> None:
    assert nice_ceiling(value) == pytest.approx(top)


def test_pdf_download_and_view_carry_the_page_as_tagged_pdf(service: Service) -> None:
    case_id = _case(service)
    h = auth(service, "clin")
    download = service.client.get(f"/cases/{case_id}/assessment.pdf", headers=h)
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == f'attachment; filename="leptodx-assessment-{case_id}.pdf"'  # fmt: skip
    view = service.client.get(f"/cases/{case_id}/assessment.pdf?download=false", headers=h)
    assert view.headers["content-disposition"].startswith("inline;")
    pdf = download.content
    assert pdf.startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    assert re.search(rb"Tagged:\s+yes", info), info
    metadata = subprocess.run(["pdfinfo", "-meta", "-"], input=pdf, capture_output=True, check=True)
    assert b'pdfuaid:part="1"' in metadata.stdout  # PDF/UA-1 identification (ISO 14289-1 §5)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    flat = re.sub(r"\s+", " ", text)
    assert "Probable leptomeningeal metastasis — type IIA" in flat
    assert "Assessed by" in flat and "clin" in flat
    assert "Inputs used" in flat and "58 years" in flat
    assert "Presence of typical clinical signs of LM" in flat  # help blocks are open in print
    assert "Download PDF" not in flat and "Log out" not in flat  # no controls on paper


def test_print_stylesheet_hides_navigation_and_controls() -> None:
    css = (ROOT / "src" / "leptodx" / "web" / "static" / "style.css").read_text()
    media = css.split("@media print", 1)[1]
    for selector in ("header.top nav", ".logout", ".actions", ".skip-link"):
        assert selector in media.split("}", 1)[0]


def test_case_form_offers_the_same_definitions_beside_the_legs(service: Service) -> None:
    page = service.client.get("/cases/new", headers=auth(service, "clin")).text
    legs = _between(page, "<legend>EANO–ESMO legs", "</fieldset>")
    assert "What counts as typical clinical signs?" in legs and "MRI types A–D" in legs
    assert "Any other neurological abnormality" in _text(legs)
