"""Follow-up events in words for the patient page: labels, units and nested findings as short
phrases ("cytology positive; leukocytes 38 /µL; protein 1.4 g/L (1400 mg/L)"), never dicts.

Units are converted only by :mod:`leptodx.domain.units`; labels come from
:mod:`leptodx.presentation.labels` and :mod:`leptodx.reference.response`.
"""

from __future__ import annotations

from typing import Any

from leptodx.domain.patient import Measured, measured_quantity
from leptodx.errors import InputError
from leptodx.presentation.labels import CYTOLOGY, LEVEL_SHORT, MRI_SHORT
from leptodx.presentation.numbers import format_number, format_quantity
from leptodx.reference import response as ref
from leptodx.reference.analytes import ANALYTES

KIND_LABELS = {
    "diagnosis": "Diagnosis",
    "lumbar_puncture": "Lumbar puncture",
    "mri": "MRI",
    "treatment": "Treatment line",
    "ctdna": "ctDNA",
    "response": "Response visit",
}
MODALITY = {
    "systemic": "systemic therapy",
    "intrathecal": "intrathecal therapy",
    "radiotherapy": "radiotherapy",
    "surgery": "surgery",
    "other": "other treatment",
}
ITEM_SHORT = {
    "brain_nodules": "brain nodules",
    "brain_linear": "brain linear enhancement",
    "hydrocephalus": "hydrocephalus",
    "spine_nodules": "spine nodules",
    "spine_linear": "spine linear enhancement",
}
CHANGE = {"improved": "improved", "no_change": "no change", "worse": "worse"}


def cytology(code: str) -> str:
    return CYTOLOGY.get(code, code).split(" (")[0]


def csf_value(name: str, entry: dict[str, Any]) -> str:
    """``protein 1.4 g/L (1400 mg/L)``: as entered, and in the canonical unit when it differs."""
    analyte = ANALYTES[f"csf.{name}"]
    value, unit = float(entry["value"]), str(entry["unit"])
    text = f"{name} {format_quantity(value, unit)}"
    try:
        quantity = measured_quantity(analyte, Measured(value=value, unit=unit))
    except InputError:
        return text
    if quantity.unit != analyte.canonical_unit:
        text += f" ({format_quantity(quantity.canonical_value, analyte.canonical_unit)})"
    return text


def _diagnosis(e: dict[str, Any]) -> list[str]:
    out = []
    if e.get("level"):
        out.append(LEVEL_SHORT.get(e["level"], e["level"]))
    if e.get("type"):
        out.append(f"type {e['type']}")
    return out or ["no level recorded"]


def _lumbar_puncture(e: dict[str, Any]) -> list[str]:
    out = [f"cytology {cytology(e['cytology'])}"] if e.get("cytology") else []
    csf = e.get("csf") or {}
    out += [csf_value(name, csf[name]) for name in ("leukocytes", "protein", "glucose", "lactate", "albumin") if name in csf]  # fmt: skip
    return out or ["no results recorded"]


def _treatment(e: dict[str, Any]) -> list[str]:
    out = [MODALITY.get(e["modality"], e["modality"])]
    if e.get("agent"):
        out.append(str(e["agent"]))
    if e.get("line"):
        out.append(f"line {e['line']}")
    out.append(f"until {e['end']}" if e.get("end") else "ongoing")
    return out


def _ctdna(e: dict[str, Any]) -> list[str]:
    out = [f"{e['sample_type']} sample"]
    if e.get("tumour_fraction") is not None:
        out.append(f"tumour fraction {format_number(e['tumour_fraction'], 3)}")
    alterations = [
        f"{a['gene']} {a['variant']}"
        + (f" (VAF {format_number(a['vaf'], 3)})" if a.get("vaf") is not None else "")
        for a in e.get("alterations") or []
    ]
    out.append(", ".join(alterations) if alterations else "no alterations reported")
    return out


def _response(e: dict[str, Any]) -> list[str]:
    out = []
    mri = e.get("mri") or {}
    if mri.get("overall"):
        out.append(f"overall {mri['overall']} (rater)")
    items = mri.get("items") or {}
    present = [ITEM_SHORT.get(k, k) for k, v in items.items() if v == "present"]
    absent = [ITEM_SHORT.get(k, k) for k, v in items.items() if v == "absent"]
    unknown = [ITEM_SHORT.get(k, k) for k, v in items.items() if v == "NE"]
    if present:
        out.append("MRI: " + ", ".join(present) + " present")
    if absent:
        out.append(("MRI: " if not present else "") + ", ".join(absent) + " absent")
    if unknown:
        out.append(", ".join(unknown) + " not evaluable")
    changes = mri.get("vs_previous") or {}
    if changes:
        out.append("vs previous: " + ", ".join(f"{ITEM_SHORT.get(k, k)} {CHANGE.get(v, v)}" for k, v in changes.items()))  # fmt: skip
    nodules = mri.get("nodules_mm") or []
    if nodules:
        sizes = ", ".join(f"{format_number(x)} × {format_number(y)} mm" for x, y in nodules)
        out.append(f"nodule{'s' if len(nodules) > 1 else ''} {sizes}")
    if mri.get("parenchymal"):
        out.append(f"parenchymal {mri['parenchymal']}")
    if e.get("cytology"):
        out.append(f"cytology {cytology(e['cytology'])}")
    neuro = e.get("neuro") or {}
    if neuro:
        out.append("LANO " + ", ".join(f"{d.replace('_', ' ')} {lvl} ({ref.LANO_DOMAINS[d][lvl]})" if d in ref.LANO_DOMAINS and 0 <= lvl < len(ref.LANO_DOMAINS[d]) else f"{d} {lvl}" for d, lvl in neuro.items()))  # fmt: skip
    if e.get("steroids") is not None:
        out.append("on steroids" if e["steroids"] else "no steroids")
    return out or ["no findings recorded"]


def phrases(event: dict[str, Any]) -> list[str]:
    """The event's findings as short phrases (JSON form of an event, as stored)."""
    kind = event.get("kind")
    if kind == "diagnosis":
        out = _diagnosis(event)
    elif kind == "lumbar_puncture":
        out = _lumbar_puncture(event)
    elif kind == "mri":
        out = [f"type {MRI_SHORT.get(event['pattern'], event['pattern'])}"]
    elif kind == "treatment":
        out = _treatment(event)
    elif kind == "ctdna":
        out = _ctdna(event)
    elif kind == "response":
        out = _response(event)
    else:
        out = []
    if event.get("note"):
        out.append(f"note: {event['note']}")
    return out


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " "))
