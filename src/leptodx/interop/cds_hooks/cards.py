"""Assessment → CDS Hooks cards (pure; https://cds-hooks.hl7.org/2.0/#cds-service-response).

Indicator by EANO–ESMO level (docs/decisions/interop-cds-hooks.md): confirmed → critical;
probable and possible → warning; lack of evidence, no level or incomplete findings → info.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from leptodx import DECISION_SUPPORT_NOTICE, __version__
from leptodx.interop.fhir.client import PREFETCH
from leptodx.reference import eano_esmo as ee_ref

SERVICE_ID = "leptodx-patient-view"
SUMMARY_MAX = 140
_INDICATOR = {"confirmed": "critical", "probable": "warning", "possible": "warning"}
_LEVEL_TEXT = {
    "confirmed": "Confirmed LM",
    "probable": "Probable LM",
    "possible": "Possible LM",
    "lack_of_evidence": "Lack of evidence for LM",
}
_SUGGESTED = {
    "repeat_lp": "Repeat lumbar puncture (CSF cytology)",
    "lumbar_puncture": "Lumbar puncture (CSF cytology and biochemistry)",
    "mri_neuraxis": "Contrast-enhanced MRI of the neuraxis",
}


def discovery() -> dict[str, Any]:
    """The discovery document (``GET /cds-services``)."""
    return {
        "services": [
            {
                "hook": "patient-view",
                "id": SERVICE_ID,
                "title": "LeptoDx: leptomeningeal metastasis assessment",
                "description": (
                    "EANO–ESMO level and type of LM, CSF interpretation and the guideline's next "
                    "steps from the patient's CSF results and findings (decision support)."
                ),
                "prefetch": dict(PREFETCH),
                "usageRequirements": (
                    "Signed JWT (ES384 or RS384) from a registered issuer; FHIR read access to "
                    "Patient, Observation, Condition, DiagnosticReport and Specimen."
                ),
            }
        ]
    }


def _summary(text: str) -> str:
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1].rstrip() + "…"


def _source() -> dict[str, Any]:
    return {
        "label": f"EANO–ESMO guideline · LeptoDx {__version__}",
        "url": ee_ref.G2023.url,
    }


def assessment_cards(
    result: Mapping[str, Any], *, case_url: str | None, patient_id: str
) -> list[dict[str, Any]]:
    """One card for an assessment, with suggestions for the guideline's next steps."""
    ee = result["eano_esmo"]
    csf = result["csf"]
    abnormal = [a for a in csf["analytes"] if a["status"] in {"high", "low"}]
    if ee["level"]:
        head = _LEVEL_TEXT[ee["level"]] + (f", EANO–ESMO type {ee['type']}" if ee["type"] else "")
    else:
        head = f"No EANO–ESMO level ({ee['outcome'].replace('_', ' ')})"
    if csf["analytes"]:
        head += f" — CSF: {len(abnormal)} of {len(csf['analytes'])} analytes abnormal"
    card: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "summary": _summary(f"LeptoDx: {head}"),
        "indicator": _INDICATOR.get(ee["level"] or "", "info"),
        "detail": _detail(result),
        "source": _source(),
    }
    if case_url:
        card["links"] = [
            {"label": "Open the assessment in LeptoDx", "url": case_url, "type": "absolute"}
        ]
    suggestions = _suggestions(ee["next_steps"], patient_id)
    if suggestions:
        card["suggestions"] = suggestions
        card["selectionBehavior"] = "any"
    return [card]


def incomplete_card(field: str, expected: str) -> dict[str, Any]:
    """Findings exist but a required leg is missing: say what is needed (info)."""
    return {
        "uuid": str(uuid.uuid4()),
        "summary": _summary(
            f"LeptoDx: findings incomplete for an EANO–ESMO level ({field} missing)"
        ),
        "indicator": "info",
        "detail": f"**{field}** is needed: {expected}.\n\n*{DECISION_SUPPORT_NOTICE}*",
        "source": _source(),
    }


def _detail(result: Mapping[str, Any]) -> str:
    ee = result["eano_esmo"]
    lines = ["**Rationale**", *(f"- {r}" for r in ee["rationale"])]
    if ee["reconstructed"]:
        lines += [
            "",
            f"⚠ Rests on a reconstructed (unverified) rule: {', '.join(ee['reconstructed_cells'])}",
        ]
    if result["csf"]["analytes"]:
        lines += [
            "",
            f"**CSF** ({result['csf']['profile']})",
            "",
            "| analyte | value | limit | status |",
            "|---|---|---|---|",
        ]
        for a in result["csf"]["analytes"]:
            lines.append(
                f"| {a['name']} | {a['value']:g} {a['unit']} | {a['limit'] or a['basis']} | {a['status'] or '—'} |"
            )
        lines += ["", result["csf"]["summary"]]
    if ee["next_steps"]:
        lines += ["", "**Next steps (guideline)**", *(f"- {s['text']}" for s in ee["next_steps"])]
    if result["warnings"]:
        lines += ["", "**Warnings**", *(f"- {w}" for w in result["warnings"])]
    lines += ["", f"*{DECISION_SUPPORT_NOTICE}* {ee['ruleset_version']}."]
    return "\n".join(lines)


def _suggestions(steps: list[Mapping[str, Any]], patient_id: str) -> list[dict[str, Any]]:
    out = []
    for step in steps:
        label = _SUGGESTED.get(step["code"])
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
                            "note": [{"text": step["text"]}],
                        },
                    }
                ],
            }
        )
    return out
