"""MRI and CSF cytology reports that carry only narrative text ("present but not coded").

EHRs keep most MRI and cytology results as text (``DiagnosticReport.conclusion``,
``presentedForm``, the narrative ``text``). LeptoDx never reads a finding from text; it recognises
such a report by its category (radiology, pathology) and the words of its code, and reports it so
that the clinician knows the finding exists and must be entered as a coded value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from typing import Any

from leptodx.interop.fhir._resources import codings_of, concept_text, has_word
from leptodx.reference import procedure_codes as pc

_TAGS = re.compile(r"<[^>]+>")
EXCERPT_CHARS = 200


@dataclass(frozen=True, slots=True)
class NotCoded:
    """A report of a leg (``mri`` or ``cytology``) whose result is only narrative text."""

    field: str
    resource: str
    time: datetime | None
    title: str
    excerpt: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "resource": self.resource,
            "date": self.time.isoformat() if self.time else None,
            "title": self.title,
            "excerpt": self.excerpt,
        }


def _in(concepts: Any, table: tuple[pc.Concept, ...]) -> bool:
    known = {(c.system, c.code) for c in table}
    return any(pair in known for pair in codings_of(concepts))


def report_leg(report: Mapping[str, Any]) -> str | None:
    """``mri`` or ``cytology`` when the report is an MRI or a CSF cytology report, else None."""
    words = concept_text(report.get("code"))
    category = report.get("category")
    mri = has_word(words, pc.MRI_TEXT) or _in(category, (pc.NMR_CATEGORY,))
    if mri and (_in(category, pc.RADIOLOGY_CATEGORIES) or has_word(words, pc.NEURAXIS_TEXT)):
        return "mri"
    pathology = _in(category, pc.PATHOLOGY_CATEGORIES) or "cytolog" in words.lower()
    if pathology and has_word(words, pc.CSF_TEXT):
        return "cytology"
    return None


def narrative(report: Mapping[str, Any]) -> str:
    """The report's text (conclusion, else the narrative ``text.div`` without tags), or ''."""
    conclusion = str(report.get("conclusion") or "").strip()
    if conclusion:
        return conclusion
    div = (report.get("text") or {}).get("div") if isinstance(report.get("text"), Mapping) else None
    if isinstance(div, str):
        plain = " ".join(unescape(_TAGS.sub(" ", div)).split())
        if plain:
            return plain
    forms = [f for f in report.get("presentedForm") or [] if isinstance(f, Mapping)]
    if forms:
        form = forms[0]
        return str(form.get("title") or f"attached {form.get('contentType') or 'document'}")
    return ""


def not_coded(report: Mapping[str, Any], where: str, time: datetime | None) -> NotCoded | None:
    """The report as "present but not coded", or None when it is not an MRI/cytology report or
    has no narrative either."""
    leg = report_leg(report)
    text = narrative(report)
    if leg is None or not text:
        return None
    excerpt = text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"
    coded = report.get("code")
    code: Mapping[str, Any] = coded if isinstance(coded, Mapping) else {}
    displays = [str(c.get("display")) for c in code.get("coding") or [] if isinstance(c, Mapping) and c.get("display")]  # fmt: skip
    title = str(code.get("text") or "") or (displays[0] if displays else "") or ("MRI report" if leg == "mri" else "cytology report")  # fmt: skip
    return NotCoded(leg, where, time, title, excerpt)
