"""Input errors in people's words for the pages (the API keeps the field/value/expected triple).

``csf.protein.value: got '-0.9 g/L'; expected a plausible value between 0 and 40000 mg/L`` reads
on a form as "CSF protein must be between 0 and 40 000 mg/L (you entered −0.9 g/L)". Limits come
from the one analyte table (:mod:`leptodx.reference.analytes`) and the plausibility table
(:mod:`leptodx.reference.plausibility`); nothing here converts units.
"""

from __future__ import annotations

import math
import re
from typing import Any

from leptodx.errors import InputError, cut
from leptodx.presentation.labels import INPUT_FIELDS
from leptodx.presentation.numbers import display_unit, format_number
from leptodx.reference.analytes import ANALYTES, Analyte
from leptodx.reference.plausibility import PLAUSIBLE_RANGES

SPECIMEN = {"csf": "CSF", "serum": "Serum"}
FIELD_LABELS: dict[str, str] = {
    **{k: v[:1].upper() + v[1:] for k, v in INPUT_FIELDS.items()},
    "age_years": "Age",
    "csf.volume_ml": "CSF volume",
    "csf.processing_delay_min": "Processing delay",
    "csf.lp_number": "LP number",
    "csf.days_since_brain_surgery": "Days since brain surgery",
    "date": "Date",
    "end": "End date",
    "kind": "Event",
    "level": "EANO–ESMO level",
    "type": "EANO–ESMO type",
    "pattern": "MRI pattern",
    "modality": "Treatment modality",
    "agent": "Agent / regimen",
    "sample_type": "Sample",
    "tumour_fraction": "Tumour fraction",
    "alterations": "Alterations",
    "reason": "Reason",
    "note": "Note",
    "file": "Cohort file",
    "spec": "Model specification",
    "bootstrap": "Bootstrap resamples",
    "seed": "Seed",
    "username": "User name",
    "password": "Password",
    "role": "Role",
    "team": "Team",
}
"""Form field (input-contract path without the leading ``event.``) → label."""
RANGE_UNITS = {"age_years": "years", "csf.volume_ml": "ml", "csf.processing_delay_min": "min"}
_JSON_NOTE = re.compile(r" \((a )?JSON [^)]*\)")
"""Notes for API callers ("(a JSON integer, not text …)") that mean nothing on a form."""
_BOUND = re.compile(r"^(greater|less) than( or equal to)? (-?[\d.]+)$")


def number(value: float) -> str:
    """A number for a sentence: no float noise, thousands grouped, a real minus sign."""
    text = format_number(value)
    whole, _, fraction = text.lstrip("-").partition(".")
    if len(whole) > 4:
        whole = f"{int(whole):,}".replace(",", "\u00a0")
    sign = "−" if text.startswith("-") else ""
    return sign + whole + (f".{fraction}" if fraction else "")


def entered(value: Any) -> str:
    """What the user typed, as they would write it (``-0.9 g/L`` → ``−0.9 g/L``)."""
    if value is None or value == "":
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and math.isfinite(value):
        return number(float(value))
    text = cut(str(value), 80)
    head, _, unit = text.partition(" ")
    try:
        parsed = float(head)
    except ValueError:
        return f"“{text}”"
    if not math.isfinite(parsed):
        return f"“{text}”"
    return f"{number(parsed)} {display_unit(unit)}".rstrip()


def _path(field: str) -> str:
    """The contract path of an error field, without the event prefix (``event.csf.protein``)."""
    return re.sub(r"^(event|events\[\d+\])\.", "", field)


def _analyte(path: str) -> tuple[Analyte, str] | None:
    parts = path.split(".")
    if len(parts) == 3 and f"{parts[0]}.{parts[1]}" in ANALYTES:
        return ANALYTES[f"{parts[0]}.{parts[1]}"], parts[2]
    return None


def analyte_label(analyte: Analyte) -> str:
    return f"{SPECIMEN[analyte.specimen]} {analyte.name}"


def label(field: str) -> str:
    """The label a form shows for an error's field."""
    path = _path(field)
    found = _analyte(path)
    if found is not None:
        analyte, part = found
        return analyte_label(analyte) + (" unit" if part == "unit" else "")
    if path in FIELD_LABELS:
        return FIELD_LABELS[path]
    text = path.rsplit(".", 1)[-1].replace("_", " ")
    return text[:1].upper() + text[1:]


def readable(exc: InputError) -> str:
    """One sentence naming the field by its label, what is allowed, and what was entered."""
    path = _path(exc.field)
    found = _analyte(path)
    you = f"(you entered {entered(exc.value)})"
    if found is not None and found[1] == "value" and exc.expected.startswith("a plausible value"):
        analyte = found[0]
        low, high = analyte.plausible.low, analyte.plausible.high
        hint = re.search(r"\(was it (.+)\?\)", exc.expected)
        tail = f" Was it {entered(hint.group(1))}?" if hint else ""
        unit = analyte.display_unit
        return f"{analyte_label(analyte)} must be between {number(low)} and {number(high)} {unit} {you}.{tail}"  # fmt: skip
    if found is not None and found[1] == "unit":
        return f"{label(path)}: choose one of the listed units {you}."
    bound = _BOUND.match(exc.expected)
    flat = path.replace(".", "_") if path.startswith("csf.") else path
    limits = PLAUSIBLE_RANGES.get(flat) or PLAUSIBLE_RANGES.get(flat.replace("csf_", ""))
    if bound and limits is not None:
        unit = RANGE_UNITS.get(path, "")
        span = f"{number(limits.low)} and {number(limits.high)}{' ' + unit if unit else ''}"
        return f"{label(path)} must be between {span} {you}."
    if exc.value is None and "required" in exc.expected:
        return f"{label(path)} is required."
    expected = _JSON_NOTE.sub("", exc.expected[:1].lower() + exc.expected[1:])
    return f"{label(path)}: expected {expected} {you}."
