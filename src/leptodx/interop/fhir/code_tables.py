"""The code tables of ``docs/interop.md``, generated from ``leptodx.reference`` (a test keeps the
document equal to them, so the documented codes, categories and statuses are the ones used)."""

from __future__ import annotations

from collections.abc import Iterable

from leptodx.presentation.labels import PRIMARY_TUMOUR, SOURCE_STATUS
from leptodx.reference import cancer_codes as cc
from leptodx.reference import fhir_codes as fc
from leptodx.reference import procedure_codes as pc
from leptodx.reference.cancer_codes import CancerKind
from leptodx.reference.citation import Source

_KIND = {
    CancerKind.PRIMARY: "primary cancer",
    CancerKind.GENERIC: "malignant neoplasm, site and morphology elsewhere",
    CancerKind.SECONDARY: "secondary (metastatic) cancer",
    CancerKind.IN_SITU: "in situ (not counted)",
    CancerKind.UNCERTAIN: "uncertain behaviour (not counted)",
}
_SYSTEM = {fc.SNOMED: "SNOMED CT", fc.LOINC: "LOINC", pc.CPT: "CPT", pc.V2_0074: "HL7 v2-0074", pc.V2_0487: "HL7 v2-0487"}  # fmt: skip


def _category(primary: str | None) -> str:
    return PRIMARY_TUMOUR[primary] if primary else "—"


def _status(source: Source) -> str:
    return f"{SOURCE_STATUS[source.status.value]} ({source.key})"


def _table(head: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> list[str]:
    return [
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(r) + " |" for r in rows),
    ]


def cancer_code_tables() -> str:
    """Markdown: every cancer code LeptoDx reads, its meaning, category and status."""
    lines = ["**ICD-10 and ICD-10-CM categories** (both systems unless noted)", ""]
    lines += _table(
        ("codes", "meaning", "read as", "primary tumour", "status (source)"),
        (
            (
                f"{r.first}–{r.last}" if r.first != r.last else r.first,
                r.display,
                _KIND[r.kind],
                _category(r.primary),
                _status(r.source),
            )
            for r in (*cc.ICD10_CATEGORIES, cc.ICD10_IN_SITU, cc.ICD10_UNCERTAIN)
        ),
    )
    lines += ["", "**C80 and C97** (the two systems differ)", ""]
    lines += _table(
        ("system", "code", "meaning", "primary tumour", "status (source)"),
        (
            (
                "ICD-10-CM" if system == fc.ICD10CM else "ICD-10 (WHO)",
                r.code,
                r.display,
                _category(r.primary),
                _status(r.source),
            )
            for (system, _), r in cc.C80_CODES.items()
        ),
    )
    lines += ["", "**SNOMED CT disorders**", ""]
    lines += _table(
        ("code", "display", "read as", "primary tumour", "status (source)"),
        (
            (r.code, r.display, _KIND[r.kind], _category(r.primary), _status(r.source))
            for r in cc.SNOMED_DISORDERS.values()
        ),
    )
    lines += ["", "**SNOMED CT body sites** (`Condition.bodySite` with 363346000)", ""]
    lines += _table(
        ("code", "display", "primary tumour", "status (source)"),
        (
            (r.code, r.display, _category(r.primary), _status(r.source))
            for r in cc.SNOMED_BODY_SITES.values()
        ),
    )
    lines += ["", "**SNOMED CT morphologies** (mCODE histology extension)", ""]
    lines += _table(
        ("code", "display", "read as", "status (source)"),
        (
            (r.code, r.display, _KIND[r.kind], _status(r.source))
            for r in cc.SNOMED_MORPHOLOGIES.values()
        ),
    )
    lines += ["", "**ICD-O-3 histology groups** (first match; behaviour digit from the code)", ""]
    lines += _table(
        ("histology", "group", "primary tumour", "status (source)"),
        (
            (f"{r.first}–{r.last}", r.display, _category(r.primary), _status(r.source))
            for r in cc.ICDO3_HISTOLOGY
        ),
    )
    lines += ["", "**ICD-O-3 topography** (`Condition.bodySite`; any other site C00–C77 is other solid tumour)", ""]  # fmt: skip
    lines += _table(
        ("sites", "meaning", "primary tumour", "status (source)"),
        (
            (
                f"{r.first}–{r.last}" if r.first != r.last else r.first,
                r.display,
                _category(r.primary),
                _status(r.source),
            )
            for r in cc.ICDO3_TOPOGRAPHY
        ),
    )
    lines += ["", "**Sources of these tables**", ""]
    lines += _table(
        ("key", "source", "status", "where"),
        (
            (s.key, s.citation, SOURCE_STATUS[s.status.value], s.url or s.pack)
            for s in cc.ALL_SOURCES
        ),
    )
    return "\n".join(lines)


def procedure_code_tables() -> str:
    """Markdown: procedure, specimen, report-category and order codes LeptoDx recognises."""
    groups = (
        ("lumbar puncture (Procedure, Specimen method, order)", pc.LUMBAR_PUNCTURE),
        ("CSF specimen (Specimen.type)", pc.CSF_SPECIMEN),
        ("brain surgery (Procedure)", pc.CRANIAL_SURGERY),
        ("brain site of a surgical Procedure (bodySite)", pc.BRAIN_SITES),
        ("radiology report (DiagnosticReport.category)", pc.RADIOLOGY_CATEGORIES),
        ("pathology report (DiagnosticReport.category)", pc.PATHOLOGY_CATEGORIES),
        ("MRI order of the neuraxis (ServiceRequest.code)", pc.MRI_ORDERS),
    )
    rows = ((what, _SYSTEM.get(c.system, c.system), c.code, c.display, _status(c.source)) for what, concepts in groups for c in concepts)  # fmt: skip
    return "\n".join(
        _table(("recognised as", "system", "code", "display", "status (source)"), rows)
    )
