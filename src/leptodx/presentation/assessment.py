"""An assessment (the JSON contract) as text for people: one view for every channel.

:func:`present` reads the JSON dict of ``leptodx.clinical.assess`` (codes) and returns an
:class:`AssessmentView` of plain sentences: the CLI panel, the web page, the CDS Hooks card and
the FHIR narrative only lay it out. No Python value, code or section sign reaches the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from leptodx.presentation import labels as L
from leptodx.presentation.numbers import format_number, format_quantity
from leptodx.reference.analytes import ANALYTES, GLUCOSE_RATIO, QALB
from leptodx.reference.csf import NORMAL_CSF_DOES_NOT_EXCLUDE_LM

_DIGITS = {a.name: a.significant_digits for a in ANALYTES.values() if a.specimen == "csf"}


@dataclass(frozen=True, slots=True)
class CsfRow:
    """One CSF analyte: what was entered, the canonical value, the limit and the judgement."""

    analyte: str
    entered: str
    canonical: str
    limit: str
    status: str
    status_code: str
    """``high``, ``low``, ``normal`` or ``none`` (not judged), for styling."""


@dataclass(frozen=True, slots=True)
class StepView:
    code: str
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class SourceView:
    key: str
    status: str
    citation: str
    url: str | None
    reference: str


@dataclass(frozen=True, slots=True)
class AssessmentView:
    """Everything a person reads about one assessment, as plain text."""

    headline: str
    """``"Probable leptomeningeal metastasis — type IIA"`` (with any qualifier)."""
    headline_short: str
    """``"Probable LM, EANO–ESMO type IIA"`` for space-limited channels (CDS card summary)."""
    certainty: str
    """How sure the rule is, shown beside the level."""
    certainty_short: str
    certainty_source: str
    caution: bool
    """True when the rule is not verified (shown with emphasis)."""
    rule: str
    findings: tuple[str, ...]
    next_steps: tuple[StepView, ...]
    csf_profile: str
    csf_rows: tuple[CsfRow, ...]
    qalb: str | None
    glucose_ratio: str | None
    csf_summary: tuple[str, ...]
    warnings: tuple[str, ...]
    missing: str | None
    sources: tuple[SourceView, ...]
    footer: str
    notice: str


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _headlines(ee: Mapping[str, Any]) -> tuple[str, str]:
    level, type_ = ee.get("level"), ee.get("type")
    if level:
        long = L.LEVEL_LONG[level] + (f" — type {type_}" if type_ else "")
        short = L.LEVEL_SHORT[level] + (f", EANO–ESMO type {type_}" if type_ else "")
        qualifiers = [L.label(L.QUALIFIERS, q) for q in ee.get("qualifiers", [])]
        if qualifiers:
            long += f" ({'; '.join(qualifiers)})"
            short += f" ({'; '.join(qualifiers)})"
        return long, short
    outcome = ee["outcome"]
    inputs = ee.get("inputs", {})
    head = L.OUTCOME_HEADLINE[outcome]
    if outcome == "out_of_scope":
        primary = L.label(L.PRIMARY_TUMOUR, inputs.get("primary_tumour"), missing="primary tumour")
        return f"{head} ({primary})", f"No EANO–ESMO level: {primary} is outside the guideline"
    if outcome == "not_classifiable":
        return f"{head} (no known cancer)", "No EANO–ESMO level: no known cancer"
    if ee.get("decision_cell") == "EE-4 row 10":
        detail = "MRI not done"
    else:
        legs = [leg for leg in ("clinical_signs", "mri", "cytology") if inputs.get(leg) is None]
        detail = ", ".join(L.INPUT_FIELDS[leg] for leg in legs) + " not recorded"
    return f"{head} ({detail})", f"No EANO–ESMO level yet: {detail}"


def _findings(ee: Mapping[str, Any]) -> tuple[str, ...]:
    i = ee.get("inputs", {})
    cancer = "yes" if i.get("known_cancer") else "no"
    if i.get("primary_tumour"):
        cancer += f" (primary: {L.label(L.PRIMARY_TUMOUR, i['primary_tumour'])})"
    return (
        f"Clinical signs: {L.label(L.CLINICAL_SIGNS, i.get('clinical_signs'))}",
        f"MRI: {L.label(L.MRI, i.get('mri'))}",
        f"CSF cytology: {L.label(L.CYTOLOGY, i.get('cytology'))}",
        f"Leptomeningeal biopsy: {L.label(L.BIOPSY, i.get('biopsy'))}",
        f"Known cancer: {cancer}",
    )


def _csf_row(a: Mapping[str, Any]) -> CsfRow:
    name = a["name"]
    canonical = format_quantity(a["canonical_value"], a["canonical_unit"], _DIGITS.get(name))
    if a["basis"] == "albumin_quotient":
        limit = "albumin quotient (below)"
    elif a["basis"] == "glucose_ratio":
        limit = a["limit"]
    elif a["limit"] and name == "glucose":
        limit = f"absolute range {a['limit']} (no serum glucose)"
    else:
        limit = a["limit"] or "—"
    if a["status"]:
        status, code = L.label(L.STATUS, a["status"]), a["status"]
    else:
        status, code = L.label(L.NOT_JUDGED, a.get("not_judged"), missing="not judged"), "none"
    return CsfRow(
        L.label(L.ANALYTE, name),
        format_quantity(a["value"], a["unit"]),
        canonical,
        limit,
        status,
        code,
    )


def _qalb(q: Mapping[str, Any] | None, sources: Mapping[str, str]) -> str | None:
    if not q:
        return None
    value = format_quantity(q["value"], q["unit"], QALB.significant_digits)
    text = f"Albumin quotient {value}"
    if q["limit"] is not None:
        age = f" at age {format_number(q['age_years'])}" if q.get("age_years") is not None else ""
        limit = format_quantity(q["limit"], q["unit"], QALB.significant_digits)
        text += f" (upper limit {limit}{age}: {q['limit_text']})"
    if q["barrier_dysfunction"] is None:
        verdict = L.label(L.NOT_JUDGED, q.get("not_judged"), missing="not judged")
    elif q["barrier_dysfunction"]:
        verdict = "blood–CSF barrier dysfunction"
    else:
        verdict = "no barrier dysfunction"
    return f"{text}: {verdict} — source: {sources.get(q['source'], q['source'])}"


def _glucose_ratio(g: Mapping[str, Any] | None) -> str | None:
    if not g:
        return None
    value = format_number(g["value"], GLUCOSE_RATIO.significant_digits)
    if g["low"] is None:
        verdict = L.label(L.NOT_JUDGED, g.get("not_judged"), missing="not judged")
    else:
        verdict = "low" if g["low"] else "normal"
    return f"CSF/serum glucose ratio {value} (normal {g['limit_text']}): {verdict}"


def _csf_summary(csf: Mapping[str, Any]) -> tuple[str, ...]:
    if not csf["analytes"]:
        return ("No CSF values entered.",)
    f = csf["findings"]
    out = []
    if f["lm_typical"]:
        found = ", ".join(L.label(L.CSF_FINDING, c) for c in f["lm_typical"])
        out.append(
            f"LM-typical CSF abnormalities: {found}. They are common in LM but not specific, and "
            "they do not set the EANO–ESMO level."
        )
    elif f["judged"]:
        out.append("No LM-typical abnormality among the judged values.")
    if f["other_abnormal"]:
        other = ", ".join(L.label(L.CSF_FINDING, c) for c in f["other_abnormal"])
        out.append(f"Other findings (not typical of LM): {other}.")
    if f["not_judged"]:
        parts = [
            f"{L.label(L.ANALYTE, n['what']).lower()} ({L.label(L.NOT_JUDGED_REASON, n['reason'])})"
            for n in f["not_judged"]
        ]
        out.append(f"Not judged: {'; '.join(parts)}.")
    if not f["lm_typical"]:
        out.append(NORMAL_CSF_DOES_NOT_EXCLUDE_LM)
    return tuple(out)


def _certainty_short(status: str, risk: str | None) -> str:
    if status == "verified":
        return "verified rule"
    if status == "unverified":
        return f"reconstructed rule, {L.RISK[risk]}" if risk in L.RISK else "reconstructed rule"
    if status == "secondary":
        return "rule from a secondary source"
    return "LeptoDx rule, not a guideline rule"


def present(result: Mapping[str, Any]) -> AssessmentView:
    """The readable view of one assessment (contract 2.x)."""
    ee = result["eano_esmo"]
    csf = result["csf"]
    long, short = _headlines(ee)
    status, risk = ee["rule_status"], ee["rule_risk"]
    cited = {
        s["key"]: f"{s['key']} ({L.label(L.SOURCE_STATUS, s['status'])})" for s in result["sources"]
    }
    sources = tuple(
        SourceView(
            s["key"],
            L.label(L.SOURCE_STATUS, s["status"]),
            s["citation"],
            s.get("url"),
            L.pack_reference(s["pack"]),
        )
        for s in result["sources"]
    )
    steps = tuple(
        StepView(s["code"], s["text"], "source: " + ", ".join(s["sources"]))
        for s in ee["next_steps"]
    )
    missing = [L.label(L.INPUT_FIELDS, m) for m in result["missing"]]
    return AssessmentView(
        headline=long,
        headline_short=short,
        certainty=L.rule_certainty(status, risk),
        certainty_short=_certainty_short(status, risk),
        certainty_source=L.rule_source(ee["decision_cell"], ee["rule_source"]),
        caution=status != "verified",
        rule=_sentence(ee["rule_text"]),
        findings=_findings(ee),
        next_steps=steps,
        csf_profile=f"{csf['profile']}: {csf['profile_description']}",
        csf_rows=tuple(_csf_row(a) for a in csf["analytes"]),
        qalb=_qalb(csf["qalb"], cited),
        glucose_ratio=_glucose_ratio(csf["glucose_ratio"]),
        csf_summary=_csf_summary(csf),
        warnings=tuple(_sentence(w) for w in result["warnings"]),
        missing=f"Not given: {', '.join(missing)}." if missing else None,
        sources=sources,
        footer=(
            f"{ee['guideline']} · {ee['ruleset_version']} · CSF profile {csf['profile']} · "
            f"LeptoDx {result['software_version']}"
        ),
        notice=result["notice"],
    )


def summary_line(result: Mapping[str, Any]) -> str:
    """One line for lists (home page, patient timeline): level or outcome and rule certainty."""
    ee = result.get("eano_esmo", {})
    if "rule_status" not in ee:  # stored under contract 1.x: no rule certainty recorded
        level = ee.get("level")
        head = (
            L.LEVEL_SHORT.get(level, "") if level else L.label(L.OUTCOME_SHORT, ee.get("outcome"))
        )
        version = result.get("contract_version", "1.0")
        return f"{head} (stored under output contract {version}; open it to see the current rules)"
    view = present(result)
    return f"{view.headline_short} — {view.certainty_short}"


def input_line(record: Mapping[str, Any]) -> str:
    """The imaging and cytology legs of an input record in a few words."""
    mri = L.label(L.MRI_SHORT, record.get("mri"))
    cytology = L.label(L.CYTOLOGY, record.get("cytology")).split(" (")[0]
    return f"MRI {mri}, cytology {cytology}"
