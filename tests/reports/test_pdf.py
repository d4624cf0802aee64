"""Report PDFs: tagged for assistive technology (PDF/UA-1), sources listed once, and every figure's
smallest text printed at ≥ 7 pt — measured in the PDF (the figure's drawn width) and the figure's
SVG text (its font sizes), not by looking at pixels."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from leptodx.followup.events import parse_timeline
from leptodx.reports import figures as fg
from leptodx.reports.document import ReportDocument, ReportFigure, Section, write_report
from leptodx.reports.followup import write_followup_report
from leptodx.reports.kaplan_meier import km_lines, plot_kaplan_meier
from leptodx.reports.nomogram import NomogramTerm, plot_nomogram
from leptodx.reports.plotting import figure_bytes, pyplot
from leptodx.reports.timeline import plot_timeline
from leptodx.stats import kaplan_meier

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "followup" / "her2-breast-lm.yaml"
LUNG = ROOT / "tests" / "reference_values" / "survival" / "lung.csv"
PNG_DPI = 150  # reports.plotting.figure_bytes
MIN_PRINTED_PT = 7.0


@pytest.fixture(scope="module")
def followup_pdf(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    timeline = parse_timeline(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    return write_followup_report(timeline, tmp_path_factory.mktemp("followup"))


def _struct_elements(node: object) -> list[DictionaryObject]:
    """Every structure element under ``node`` (depth first)."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        return [e for child in node for e in _struct_elements(child)]
    if not isinstance(node, DictionaryObject) or ("/S" not in node and "/K" not in node):
        return []
    return [node, *_struct_elements(node.get("/K", []))] if "/S" in node else _struct_elements(node["/K"])  # fmt: skip


def test_report_pdf_is_tagged_with_language_title_and_figure_alt_text(followup_pdf) -> None:
    reader = PdfReader(followup_pdf["pdf"])
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == "LeptoDx follow-up"
    elements = _struct_elements(catalog["/StructTreeRoot"])
    kinds = {str(e["/S"]) for e in elements}
    assert {"/H1", "/H2", "/Table", "/Figure"} <= kinds
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert [str(f.get("/Alt")) for f in figures] == ["Treatment timeline and trends"]


def test_each_source_is_listed_once(followup_pdf) -> None:
    html = followup_pdf["html"].read_text(encoding="utf-8")
    sources = re.search(r'id="sources".*?<ul>(.*?)</ul>', html, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", sources)
    assert items and len(items) == len(set(items))
    assert sum("EORTC-RANO-scorecard-2019" in i for i in items) == 1
    doc = ReportDocument("T", "S", "m", (), sources=("a", "b", "a", "c", "b"))
    assert doc.sources == ("a", "b", "c")


def _printed_min_font(pdf: Path, svg: str, png: bytes) -> float:
    """Smallest font of the figure (SVG text, points at the figure's size) times the scale at
    which the PDF draws its PNG (drawn width / natural width at ``PNG_DPI``)."""
    sizes = [float(v) for v in re.findall(r"font-size: ([\d.]+)px", svg)]
    assert sizes, "the SVG keeps its text as <text>"
    natural_pt = int.from_bytes(png[16:20], "big") / PNG_DPI * 72
    drawn: list[float] = []
    for page in PdfReader(pdf).pages:
        page.extract_text(
            visitor_operand_before=lambda op, _a, cm, _t: (
                drawn.append(cm[0]) if op == b"Do" else None
            )
        )
    assert len(drawn) == 1
    return min(sizes) * drawn[0] / natural_pt


def test_timeline_labels_print_at_least_7_pt_in_the_followup_pdf(followup_pdf) -> None:
    svg = followup_pdf["svg"].read_text(encoding="utf-8")
    png = followup_pdf["png"].read_bytes()
    assert _printed_min_font(followup_pdf["pdf"], svg, png) >= MIN_PRINTED_PT


def _nomogram():  # type: ignore[no-untyped-def]
    terms = [
        NomogramTerm("age (years)", 20, 85, 0.03),
        NomogramTerm("CSF protein (mg/L)", 200, 3000, 0.001),
        NomogramTerm("typical clinical signs", 0, 1, 1.2, True),
        NomogramTerm("MRI type A", 0, 1, 0.8, True),
        NomogramTerm("CSF glucose ratio", 0.1, 0.9, -2.5),
    ]
    return plot_nomogram(terms, -3.0).figure


def _km():  # type: ignore[no-untyped-def]
    d = pd.read_csv(LUNG)
    curves = kaplan_meier(d.time, d.event, d.sex_label)
    ticks = [0, 200, 400, 600, 800, 1000]
    return plot_kaplan_meier(km_lines(curves, ticks), at_risk_times=ticks, logrank_p=0.0013).figure


T = np.linspace(0.05, 0.5, 10)
FIGURES: dict[str, Callable[[], object]] = {
    "nomogram": _nomogram,
    "forest": lambda: (
        fg.plot_forest(["age", "protein > 1 g/L"], [1.5, 3.1], [1.1, 1.4], [2.0, 6.5]).figure
    ),
    "kaplan-meier": _km,
    "roc": lambda: (
        fg.plot_roc([fg.RocLine("model", [0, 0.2, 1], [0, 0.7, 1], 0.75, (0.7, 0.8))]).figure
    ),
    "calibration": lambda: (
        fg.plot_calibration(np.linspace(0, 1, 30), T, T, band=(T - 0.1, T + 0.1)).figure
    ),
    "decision": lambda: (
        fg.plot_decision_curve(
            T, {"m": T * 0, "all": 0.3 - 0.7 * T / (1 - T), "none": T * 0}
        ).figure
    ),
    "prevalence": lambda: (
        fg.plot_prevalence([fg.ProportionBar("protein", "LM", 0.8, (0.7, 0.9))]).figure
    ),
    "timeline": lambda: plot_timeline(parse_timeline(yaml.safe_load(EXAMPLE.read_text()))),
}


@pytest.mark.parametrize("key", FIGURES)
def test_every_report_figure_prints_its_smallest_text_at_7_pt_or_more(key, tmp_path) -> None:
    fig = FIGURES[key]()
    png, svg = figure_bytes(fig, "png"), figure_bytes(fig, "svg").decode()
    pyplot().close(fig)
    doc = ReportDocument("T", "S", "m", (Section("s", figures=(ReportFigure(key, key, "c", png),)),))  # fmt: skip
    pdf = write_report(doc, tmp_path)["pdf"]
    assert _printed_min_font(pdf, svg, png) >= MIN_PRINTED_PT


@pytest.mark.parametrize("key", ["nomogram", "forest", "kaplan-meier", "timeline"])
def test_labels_of_a_figure_do_not_overlap(key) -> None:
    fig = FIGURES[key]()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for ax in fig.axes for t in ax.texts if t.get_visible() and t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent(renderer).shrunk(0.98, 0.9)) for t in texts]
    clashes = [
        (a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]  # fmt: skip
    pyplot().close(fig)
    assert clashes == []
