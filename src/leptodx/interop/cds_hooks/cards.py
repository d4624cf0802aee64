"""Assessment → CDS Hooks cards (pure; https://cds-hooks.hl7.org/2.0/#cds-service-response).

Indicator by outcome (docs/decisions/interop-cds-hooks.md, clinical-presentation.md): confirmed →
critical; probable, possible, not classifiable (no known cancer) and any outcome resting on a
high-risk reconstructed rule → warning; otherwise info. The text comes from
:mod:`leptodx.presentation`, so the card reads like the CLI and the web page.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from leptodx import DECISION_SUPPORT_NOTICE, __version__
from leptodx.clinical.result import AssessmentResult, EanoEsmoResult, NextStepEntry
from leptodx.interop.fhir.client import PREFETCH
from leptodx.presentation.assessment import AssessmentView, present
from leptodx.reference import eano_esmo as ee_ref

SERVICE_ID = "leptodx-patient-view"
SUMMARY_MAX = 140
_INDICATOR = {"confirmed": "critical", "probable": "warning", "possible": "warning"}
_SUGGESTED = {
    "repeat_lp": "Repeat lumbar puncture (CSF cytology)",
    "lumbar_puncture": "Lumbar puncture (CSF cytology and biochemistry)",
    "mri_neuraxis": "Contrast-enhanced MRI of the neuraxis",
}


_USAGE = (
    "Signed JWT (ES384 or RS384) from a registered issuer; FHIR read access to Patient, "
    "Observation, Condition, DiagnosticReport, Specimen and Procedure."
)


def discovery() -> dict[str, Any]:
    """The discovery document (``GET /cds-services``): the patient-view service and the order
    service, listed once per hook with the same id (CDS Hooks 2.0: a later hook's cards replace
    the earlier ones)."""
    from leptodx.interop.cds_hooks.orders import ORDER_HOOKS, ORDER_SERVICE_ID

    patient_view = {
        "hook": "patient-view",
        "id": SERVICE_ID,
        "title": "LeptoDx: leptomeningeal metastasis assessment",
        "description": (
            "EANO–ESMO level and type of LM, CSF interpretation and the guideline's next "
            "steps from the patient's CSF results and findings (decision support)."
        ),
        "prefetch": dict(PREFETCH),
        "usageRequirements": _USAGE,
    }
    orders = [
        {
            "hook": hook,
            "id": ORDER_SERVICE_ID,
            "title": "LeptoDx: what a lumbar puncture or MRI order can change",
            "description": (
                "For a lumbar puncture or MRI of the neuraxis: the current EANO–ESMO level, the "
                "outcome each possible result would give and, with a locally validated model, "
                "the patient's risk against the site's decision threshold. Never blocks the order."
            ),
            "prefetch": dict(PREFETCH),
            "usageRequirements": _USAGE,
        }
        for hook in ORDER_HOOKS
    ]
    return {"services": [patient_view, *orders]}


def _summary(text: str) -> str:
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1].rstrip() + "…"


def card_source() -> dict[str, Any]:
    return {
        "label": f"EANO–ESMO guideline · LeptoDx {__version__}",
        "url": ee_ref.G2023.url,
    }


def assessment_cards(
    result: Mapping[str, Any],
    *,
    case_url: str | None,
    patient_id: str,
    form_url: str | None = None,
) -> list[dict[str, Any]]:
    """One card for an assessment, with suggestions for the guideline's next steps; with findings
    missing, a link to the case form pre-filled with the record (``form_url``)."""
    a = AssessmentResult.of(result)
    ee = a.eano_esmo
    view = present(result)
    typical = a.csf.findings.lm_typical
    head = f"{view.headline_short} ({view.certainty_short})"
    if a.csf.analytes:
        head += f" — CSF: {len(typical)} LM-typical finding{'s' if len(typical) != 1 else ''}"
    card: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "summary": _summary(f"LeptoDx: {head}"),
        "indicator": _indicator(ee),
        "detail": _detail(view),
        "source": card_source(),
    }
    links = []
    if case_url:
        links.append({"label": "Open the assessment in LeptoDx", "url": case_url, "type": "absolute"})  # fmt: skip
    if form_url and ee.outcome == "incomplete":
        links.append({"label": "Add the missing findings in LeptoDx (pre-filled form)", "url": form_url, "type": "absolute"})  # fmt: skip
    if links:
        card["links"] = links
    suggestions = _suggestions(ee.next_steps, patient_id)
    if suggestions:
        card["suggestions"] = suggestions
        card["selectionBehavior"] = "any"
    return [card]


def incomplete_card(field: str, expected: str, *, form_url: str | None = None) -> dict[str, Any]:
    """The record cannot be assessed (e.g. no known cancer recorded): say what is needed (info)
    and link the case form, where the clinician can enter it."""
    card: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "summary": _summary(
            f"LeptoDx: findings incomplete for an EANO–ESMO level ({field} missing)"
        ),
        "indicator": "info",
        "detail": f"**{field}** is needed: {expected}.\n\n*{DECISION_SUPPORT_NOTICE}*",
        "source": card_source(),
    }
    if form_url:
        card["links"] = [{"label": "Enter the findings in LeptoDx", "url": form_url, "type": "absolute"}]  # fmt: skip
    return card


def _indicator(ee: EanoEsmoResult) -> str:
    if ee.level in _INDICATOR:
        return _INDICATOR[ee.level]
    if ee.outcome == "not_classifiable" or ee.rule_risk == "high":
        return "warning"
    return "info"


def _detail(v: AssessmentView) -> str:
    lines = [f"**{v.headline}**", "", f"*{v.certainty}* ({v.certainty_source})", "", v.rule]
    lines += ["", "**Findings**", *(f"- {line}" for line in v.findings)]
    if v.csf_rows:
        lines += [
            "",
            f"**CSF** (profile {v.csf_profile})",
            "",
            "| analyte | value | limit | status |",
            "|---|---|---|---|",
        ]
        lines += [f"| {r.analyte} | {r.canonical} | {r.limit} | {r.status} |" for r in v.csf_rows]
        lines += ["", *(line for line in (v.qalb, v.glucose_ratio) if line)]
        lines += ["", *v.csf_summary]
    if v.next_steps:
        lines += ["", "**Next steps to consider**"]
        lines += [f"- {s.text} ({s.source})" for s in v.next_steps]
    if v.warnings:
        lines += ["", "**Warnings**", *(f"- {w}" for w in v.warnings)]
    if v.missing:
        lines += ["", v.missing]
    lines += ["", f"*{v.notice}* {v.footer}."]
    return "\n".join(lines)


def _suggestions(steps: Sequence[NextStepEntry], patient_id: str) -> list[dict[str, Any]]:
    out = []
    for step in steps:
        label = _SUGGESTED.get(step.code)
        if label is None:
            continue
        out.append(
            {
                "label": label,
                "uuid": str(uuid.uuid4()),
                "isRecommended": False,
                "actions": [
                    {
                        "type": "create",
                        "description": f"Draft order for the clinician to review: {label.lower()}",
                        "resource": {
                            "resourceType": "ServiceRequest",
                            "status": "draft",
                            "intent": "proposal",
                            "code": {"text": label},
                            "subject": {"reference": f"Patient/{patient_id}"},
                            "note": [{"text": step.text}],
                        },
                    }
                ],
            }
        )
    return out
