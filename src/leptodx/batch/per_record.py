"""The per-record engine: ``assess`` on each record, read back into the batch output's columns.

It is the reference the columnar engine is tested against (and ``--engine per-record``): every
value comes from the :class:`~leptodx.clinical.assess.Assessment` that ``leptodx assess``
builds, nothing is recomputed here.
"""

from __future__ import annotations

from typing import Any

from leptodx.clinical import checks
from leptodx.clinical.assess import Assessment, assess
from leptodx.domain.patient import parse_patient
from leptodx.reference import csf as csf_ref
from leptodx.reference.analytes import ANALYTE_TABLE


def _code(value: Any) -> str | None:
    return None if value is None else str(value.value)


def assessment_row(a: Assessment) -> dict[str, Any]:
    """One batch output row (without ``row``, ``patient_id`` and versions) from an assessment."""
    c = a.classification
    out: dict[str, Any] = {
        "outcome": c.outcome.value,
        "level": _code(c.level),
        "type": c.type,
        "rule_status": c.row.rule_status.value,
        "rule_risk": _code(c.row.rule_risk),
        "decision_cell": c.row.id,
    }
    analytes = {r.name: r for r in a.csf.analytes}
    for analyte in csf_ref.Analyte:
        r = analytes.get(analyte.value)
        out[f"csf_{analyte.value}_value"] = r.quantity.canonical_value if r else None
        out[f"csf_{analyte.value}_status"] = r.status if r else None
        out[f"csf_{analyte.value}_not_judged"] = _code(r.not_judged) if r else None
    q, g = a.csf.qalb, a.csf.glucose_ratio
    out["qalb"] = q.value if q else None
    out["qalb_limit"] = q.limit if q else None
    out["barrier_dysfunction"] = q.flag if q else None
    out["qalb_not_judged"] = _code(q.not_judged) if q else None
    out["glucose_ratio"] = g.value if g else None
    out["glucose_ratio_low"] = g.flag if g else None
    out["glucose_ratio_not_judged"] = _code(g.not_judged) if g else None
    for entry in ANALYTE_TABLE:
        panel = getattr(a.patient, entry.specimen)
        present = panel is not None and getattr(panel, entry.name) is not None
        odd = a.implausible.get(entry.field)
        kind = None
        if present:
            kind = "typical" if odd is None else "atypical"
            if odd is not None and odd.likely_unit is not None:
                kind = "suspected_unit_mixup"
        out[f"{entry.column}_plausibility"] = kind
        out[f"{entry.column}_suspected_unit"] = odd.likely_unit if odd else None
    raised = {*a.qualifiers, *a.contradictions}
    raised |= {n.code for n in checks.preanalytic_notices(a.patient)}
    for code in checks.NoticeCode:
        out[f"notice_{code.value}"] = code.value in raised
    return out


def assess_one(record: Any, *, profile: str | None) -> dict[str, Any]:
    """Validate and assess one record as ``leptodx assess`` does; raises ``InputError``."""
    patient, _ = parse_patient(record)
    return assessment_row(assess(patient, profile=profile))
