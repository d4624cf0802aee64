"""The patient page's follow-up event forms: one small form per event kind (declared here as
data, rendered by ``patient.html``), form fields → event dict, and back (to amend an event).

Units of CSF values are chosen from the analyte table (``reference.analytes``), the canonical
unit pre-selected; values are checked by :func:`leptodx.followup.events.parse_event` (plausible
ranges of the same table), so the form, the API and the CLI refuse the same values.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from leptodx.domain.units import accepted_units
from leptodx.errors import InputError
from leptodx.followup.events import EVENT_KINDS
from leptodx.presentation.labels import CYTOLOGY, LEVEL_SHORT, MRI
from leptodx.presentation.numbers import display_unit
from leptodx.reference import response as ref
from leptodx.reference.analytes import ANALYTE_TABLE, Analyte
from leptodx.web.event_text import KIND_LABELS, MODALITY

Options = tuple[tuple[str, str], ...]
CSF_ANALYTES: tuple[Analyte, ...] = tuple(a for a in ANALYTE_TABLE if a.specimen == "csf")
MAX_NODULES = ref.MAX_NODULES


@dataclass(frozen=True, slots=True)
class FormField:
    """One input of an event form; ``widget`` is date, select, number, text, textarea or
    quantity (a number with a unit select)."""

    name: str
    label: str
    widget: str
    options: Options = ()
    required: bool = False
    hint: str = ""
    unit: str = ""
    """Pre-selected unit of a quantity (the analyte's canonical unit)."""


def _units(analyte: Analyte) -> Options:
    codes = [analyte.canonical_unit] + [
        u for u in accepted_units(analyte.dimension) if u != analyte.canonical_unit
    ]
    return tuple((u, display_unit(u)) for u in codes)


def _quantity(analyte: Analyte) -> FormField:
    low, high = analyte.plausible.low, analyte.plausible.high
    return FormField(
        analyte.name,
        f"CSF {analyte.name}",
        "quantity",
        _units(analyte),
        hint=f"{low:g}–{high:g} {analyte.display_unit}",
        unit=analyte.canonical_unit,
    )


DATE = FormField("date", "Date", "date", required=True)
NOTE = FormField("note", "Note (optional)", "text")
CYTOLOGY_FIELD = FormField(
    "cytology", "CSF cytology", "select", tuple((k, v) for k, v in CYTOLOGY.items())
)
TYPES = tuple((f"{p}{t}", f"{p}{t}") for p in ("I", "II") for t in "ABCD")
FORMS: dict[str, tuple[FormField, ...]] = {
    "diagnosis": (
        DATE,
        FormField("level", "EANO–ESMO level", "select", tuple(LEVEL_SHORT.items())),
        FormField("type", "EANO–ESMO type", "select", TYPES),
        NOTE,
    ),
    "lumbar_puncture": (DATE, CYTOLOGY_FIELD, *(_quantity(a) for a in CSF_ANALYTES), NOTE),
    "mri": (
        DATE,
        FormField(
            "pattern",
            "MRI type",
            "select",
            tuple((k, v) for k, v in MRI.items() if k != "not_done"),
            required=True,
        ),
        NOTE,
    ),
    "treatment": (
        FormField("date", "Start date", "date", required=True),
        FormField("modality", "Modality", "select", tuple(MODALITY.items()), required=True),
        FormField("agent", "Agent / regimen", "text"),
        FormField("line", "Line", "number", hint="1–50"),
        FormField("end", "End date (empty: ongoing)", "date"),
        NOTE,
    ),
    "ctdna": (
        DATE,
        FormField(
            "sample_type", "Sample", "select", (("CSF", "CSF"), ("plasma", "plasma")), required=True
        ),
        FormField("tumour_fraction", "Tumour fraction", "number", hint="0–1"),
        FormField(
            "alterations",
            "Alterations, one per line",
            "textarea",
            hint="GENE VARIANT [VAF], e.g. EGFR L858R 0.12",
        ),
        NOTE,
    ),
    "response": (
        DATE,
        FormField(
            "overall",
            "Overall LM response (rater)",
            "select",
            tuple((c, c) for c in ref.OVERALL_CATEGORIES),
        ),
        *(
            FormField(
                f"item_{k}",
                label,
                "select",
                (("present", "present"), ("absent", "absent"), ("NE", "not evaluable")),
            )
            for k, label in ref.MRI_ITEMS.items()
        ),
        FormField(
            "nodules",
            "Nodules, longest × perpendicular diameter (mm)",
            "text",
            hint=f"up to {MAX_NODULES}, e.g. 8 × 6, 5 × 5",
        ),
        CYTOLOGY_FIELD,
        *(
            FormField(
                f"lano_{d}",
                f"LANO {d.replace('_', ' ')}",
                "select",
                tuple((str(i), f"{i} – {text}") for i, text in enumerate(levels)),
            )
            for d, levels in ref.LANO_DOMAINS.items()
        ),
        FormField("steroids", "On steroids", "select", (("yes", "yes"), ("no", "no"))),
        NOTE,
    ),
}
"""Event kind → its form's fields (every kind of :data:`EVENT_KINDS`)."""
assert tuple(FORMS) == EVENT_KINDS


def field_id(kind: str, name: str) -> str:
    return f"{kind}-{name}"


def _number(values: dict[str, str], key: str) -> float | None:
    text = values.get(key, "").strip()
    if not text:
        return None
    try:
        number = float(text.replace(",", ".").replace("−", "-"))
    except ValueError:
        raise InputError(key, text, "a number") from None
    if not math.isfinite(number):
        raise InputError(key, text, "a finite number")
    return number


def _whole(values: dict[str, str], key: str, what: str) -> int | None:
    text = values.get(key, "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 3):
        raise InputError(key, text, what)
    return int(text)


def _alteration(line: str, i: int) -> dict[str, Any]:
    parts = line.split()
    if len(parts) not in (2, 3):
        raise InputError(f"alterations line {i + 1}", line, "GENE VARIANT [VAF], e.g. EGFR L858R 0.12")  # fmt: skip
    out: dict[str, Any] = {"gene": parts[0], "variant": parts[1]}
    if len(parts) == 3:
        vaf = _number({"vaf": parts[2]}, "vaf")
        if vaf is None or not 0 <= vaf <= 1:
            raise InputError(f"alterations line {i + 1}", parts[2], "a VAF between 0 and 1")
        out["vaf"] = vaf
    return out


_NODULE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*[x×*]\s*(\d+(?:[.,]\d+)?)\s*$")


def _nodules(text: str) -> list[list[float]]:
    out = []
    for part in [p for p in re.split(r"[;\n]|,\s(?=\d)", text) if p.strip()]:
        match = _NODULE.match(part)
        if match is None:
            raise InputError("nodules", part.strip(), "diameters in mm as 8 × 6 (longest × perpendicular)")  # fmt: skip
        out.append([float(match.group(1).replace(",", ".")), float(match.group(2).replace(",", "."))])  # fmt: skip
    return out


def event_from_form(kind: str, values: dict[str, str]) -> dict[str, Any]:
    """The event dict of one kind's form (empty fields left out)."""
    if kind not in FORMS:
        raise InputError("kind", kind, f"one of {', '.join(EVENT_KINDS)}")
    pick = {k: v.strip() for k, v in values.items() if isinstance(v, str) and v.strip()}
    event: dict[str, Any] = {"kind": kind, "date": pick.get("date", "")}
    if "note" in pick:
        event["note"] = pick["note"]
    if kind == "diagnosis":
        event.update({k: pick[k] for k in ("level", "type") if k in pick})
    elif kind == "lumbar_puncture":
        if "cytology" in pick:
            event["cytology"] = pick["cytology"]
        csf = {
            a.name: {
                "value": _number(pick, a.name),
                "unit": pick.get(f"{a.name}_unit", a.canonical_unit),
            }
            for a in CSF_ANALYTES
            if a.name in pick
        }
        if csf:
            event["csf"] = csf
    elif kind == "mri":
        event["pattern"] = pick.get("pattern")
    elif kind == "treatment":
        event.update({k: pick[k] for k in ("modality", "agent", "end") if k in pick})
        line = _whole(pick, "line", "a treatment line from 1 to 50")
        if line is not None:
            event["line"] = line
    elif kind == "ctdna":
        event["sample_type"] = pick.get("sample_type")
        if "tumour_fraction" in pick:
            event["tumour_fraction"] = _number(pick, "tumour_fraction")
        lines = [line for line in pick.get("alterations", "").splitlines() if line.strip()]
        event["alterations"] = [_alteration(line, i) for i, line in enumerate(lines)]
    else:
        event.update(_response(pick))
    return event


def _response(pick: dict[str, str]) -> dict[str, Any]:
    mri: dict[str, Any] = {"items": {k: pick[f"item_{k}"] for k in ref.MRI_ITEMS if f"item_{k}" in pick}}  # fmt: skip
    if "overall" in pick:
        mri["overall"] = pick["overall"]
    if "nodules" in pick:
        mri["nodules_mm"] = _nodules(pick["nodules"])
    out: dict[str, Any] = {"mri": mri}
    if "cytology" in pick:
        out["cytology"] = pick["cytology"]
    out["neuro"] = {
        d: _whole(pick, f"lano_{d}", "a LANO level")
        for d in ref.LANO_DOMAINS
        if f"lano_{d}" in pick
    }
    if "steroids" in pick:
        out["steroids"] = {"yes": True, "no": False}.get(pick["steroids"], pick["steroids"])
    return out


def form_values(event: dict[str, Any]) -> dict[str, str]:
    """A stored event as its form's values (to amend it)."""
    out: dict[str, str] = {
        k: str(event[k])
        for k in (
            "date",
            "note",
            "level",
            "type",
            "pattern",
            "modality",
            "agent",
            "end",
            "sample_type",
            "cytology",
        )
        if event.get(k) is not None
    }
    if event.get("line") is not None:
        out["line"] = str(event["line"])
    for name, entry in (event.get("csf") or {}).items():
        out[name], out[f"{name}_unit"] = f"{entry['value']:g}", str(entry["unit"])
    if event.get("tumour_fraction") is not None:
        out["tumour_fraction"] = f"{event['tumour_fraction']:g}"
    alterations = event.get("alterations") or []
    out["alterations"] = "\n".join(
        f"{a['gene']} {a['variant']}" + (f" {a['vaf']:g}" if a.get("vaf") is not None else "")
        for a in alterations
    )
    mri = event.get("mri") or {}
    out |= {f"item_{k}": v for k, v in (mri.get("items") or {}).items()}
    if mri.get("overall"):
        out["overall"] = mri["overall"]
    if mri.get("nodules_mm"):
        out["nodules"] = ", ".join(f"{x:g} × {y:g}" for x, y in mri["nodules_mm"])
    out |= {f"lano_{d}": str(level) for d, level in (event.get("neuro") or {}).items()}
    if event.get("steroids") is not None:
        out["steroids"] = "yes" if event["steroids"] else "no"
    return out


def error_field(kind: str, field: str) -> str:
    """The form field (its element id) that shows an error for an event path
    (``event.csf.protein.value`` → ``lumbar_puncture-protein``)."""
    parts = re.sub(r"^event\.", "", field).split(".")
    if parts[0] == "csf" and len(parts) >= 2:
        name = parts[1] + ("_unit" if parts[-1] == "unit" else "")
    elif parts[0] == "mri" and len(parts) >= 3 and parts[1] == "items":
        name = f"item_{parts[2]}"
    elif parts[0] == "mri" and len(parts) >= 2 and parts[1] == "nodules_mm":
        name = "nodules"
    elif parts[0] == "mri" and len(parts) >= 2:
        name = parts[1]
    elif parts[0] == "neuro" and len(parts) >= 2:
        name = f"lano_{parts[1]}"
    elif parts[0].startswith("alterations"):
        name = "alterations"
    else:
        name = parts[0]
    names = {f.name for f in FORMS.get(kind, ())} | {"reason"}
    return field_id(kind, name if name in names or name.endswith("_unit") else "date")


def kind_title(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)
