"""Report content as data, rendered to self-contained HTML (Jinja2) and PDF (WeasyPrint)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from leptodx import __version__
from leptodx.cohort.io import write_bytes_atomic


@dataclass(frozen=True)
class ReportFigure:
    """A figure already rendered to PNG (embedded) and SVG (saved next to the report)."""

    key: str
    title: str
    caption: str
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass(frozen=True)
class ReportTable:
    """A table: header, rows of already formatted cells, optional note."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class Section:
    """A titled section of paragraphs, tables and figures."""

    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[ReportTable, ...] = ()
    figures: tuple[ReportFigure, ...] = ()


@dataclass(frozen=True)
class TripodItem:
    """A TRIPOD checklist item and where/how this report addresses it."""

    item: str
    topic: str
    addressed: str


@dataclass(frozen=True)
class ReportDocument:
    """Everything a report shows; rendering adds nothing but layout."""

    title: str
    subtitle: str
    methods: str
    sections: tuple[Section, ...]
    tripod: tuple[TripodItem, ...] = ()
    synthetic: bool = False
    warnings: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    software: str = f"LeptoDx {__version__}"
    created: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))

    def __post_init__(self) -> None:
        # each source listed once, in the order first cited (several rules cite one table)
        object.__setattr__(self, "sources", tuple(dict.fromkeys(self.sources)))


def render_html(doc: ReportDocument) -> str:
    """Self-contained HTML (CSS inline, figures as base64 PNG)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("leptodx.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2").render(doc=doc)


def write_report(
    doc: ReportDocument, out_dir: Path, *, stem: str = "report", pdf: bool = True
) -> dict[str, Path]:
    """Write ``stem.html`` (and ``stem.pdf``) atomically into ``out_dir``."""
    out_dir = Path(out_dir)
    html = render_html(doc)
    paths = {"html": out_dir / f"{stem}.html"}
    write_bytes_atomic(paths["html"], lambda tmp: tmp.write_text(html, encoding="utf-8"))
    if pdf:
        paths["pdf"] = out_dir / f"{stem}.pdf"
        data = pdf_bytes(html)
        write_bytes_atomic(paths["pdf"], lambda tmp: tmp.write_bytes(data))
    return paths


PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF (structure tree, marked content, language, title shown) for screen readers."""


def pdf_bytes(html: str) -> bytes:
    """The PDF of a self-contained HTML page, tagged as PDF/UA-1 by WeasyPrint (structure tree
    from the HTML headings, tables, lists and figures with their alt text; ``/Lang`` from
    ``<html lang>``; title from ``<title>``)."""
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT))
