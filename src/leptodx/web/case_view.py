"""What the assessment page shows besides the result: who assessed when, the inputs used, the
category definitions, and the same page as a tagged PDF (WeasyPrint, PDF/UA-1)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leptodx.presentation import labels as L
from leptodx.presentation.numbers import format_number
from leptodx.reference import eano_esmo_categories as categories
from leptodx.reference.citation import Source

STYLESHEET = Path(__file__).with_name("static") / "style.css"
LP_DETAILS = (
    ("volume_ml", "CSF volume", "ml"),
    ("processing_delay_min", "processing delay", "min"),
    ("lp_number", "LP number", ""),
    ("days_since_brain_surgery", "days since brain surgery", ""),
)


@dataclass(frozen=True, slots=True)
class HelpItem:
    term: str
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class HelpBlock:
    """One inline help block (``<details>``): a title, definitions and their citations."""

    title: str
    items: tuple[HelpItem, ...]
    notes: tuple[str, ...]
    sources: tuple[Source, ...]


def timestamp(at: datetime) -> str:
    """``2026-11-26 14:35 UTC`` (stored times are UTC; SQLite returns them without a zone)."""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def input_panel(record: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The inputs the assessment used, as (label, text) pairs in the order a clinician reads."""
    age = record.get("age_years")
    known = record.get("known_cancer")
    symptoms = [L.label(L.SYMPTOM, s) for s in record.get("symptoms") or []]
    csf = record.get("csf") or {}
    lp = [
        f"{label} {format_number(csf[key])}{' ' + unit if unit else ''}"
        for key, label, unit in LP_DETAILS
        if csf.get(key) is not None
    ]
    rows = [
        ("Age", f"{format_number(age)} years" if age is not None else "not recorded"),
        ("Sex", L.label(L.SEX, record.get("sex"))),
        ("Primary tumour", L.label(L.PRIMARY_TUMOUR, record.get("primary_tumour"))),
        ("Known cancer", "not recorded" if known is None else ("yes" if known else "no")),
        ("Symptoms", ", ".join(symptoms) if symptoms else "none recorded"),
        ("Clinical signs", L.label(L.CLINICAL_SIGNS, record.get("clinical_signs"))),
        ("MRI", L.label(L.MRI, record.get("mri"))),
        ("CSF cytology", L.label(L.CYTOLOGY, record.get("cytology"))),
        ("Leptomeningeal biopsy", L.label(L.BIOPSY, record.get("biopsy"))),
    ]
    if lp:
        rows.append(("Lumbar puncture", "; ".join(lp)))
    return tuple(rows)


def _cite(source: Source) -> str:
    return (
        f"{source.key}, {L.pack_reference(source.pack)} ({L.label(L.SOURCE_STATUS, source.status)})"
    )


def definitions() -> tuple[HelpBlock, ...]:
    """Inline help: the clinical and MRI legs' categories, quoted from :mod:`leptodx.reference`."""
    signs = categories.TYPICAL_CLINICAL_SIGNS
    clinical = HelpBlock(
        "What counts as typical clinical signs?",
        (
            *(
                HelpItem(d.term, d.text, _cite(d.source))
                for d in categories.CLINICAL_SIGNS_CATEGORIES.values()
            ),
            HelpItem(signs.term, signs.text, _cite(signs.source)),
        ),
        (categories.TYPICAL_DEFINITION_NOT_AVAILABLE,),
        tuple(
            dict.fromkeys(
                [*(d.source for d in categories.CLINICAL_SIGNS_CATEGORIES.values()), signs.source]
            )
        ),
    )
    old_d = categories.MRI_2017_TYPE_D
    mri = HelpBlock(
        "MRI types A–D",
        (
            *(
                HelpItem(d.term, d.text, _cite(d.source))
                for d in categories.MRI_CATEGORIES.values()
            ),
            HelpItem(old_d.term, old_d.text, _cite(old_d.source)),
        ),
        (),
        tuple(
            dict.fromkeys([*(d.source for d in categories.MRI_CATEGORIES.values()), old_d.source])
        ),
    )
    return clinical, mri


def render_pdf(html: str) -> bytes:
    """The page as a tagged PDF (PDF/UA-1: structure, language and title for screen readers)."""
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=str(STYLESHEET.parent))
    pdf: bytes = document.write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant="pdf/ua-1"
    )
    return pdf


def help_sources(
    blocks: tuple[HelpBlock, ...], cited: set[str]
) -> tuple[tuple[str, str, str, str | None], ...]:
    """(key, status, citation, url) of the help texts' sources the result does not cite yet."""
    unique = dict.fromkeys(s for b in blocks for s in b.sources if s.key not in cited)
    return tuple((s.key, L.label(L.SOURCE_STATUS, s.status), s.citation, s.url) for s in unique)
