"""Checks of one record beyond the classification: qualifiers of the level, contradictions in the
input, implausible values and pre-analytic problems (``eano-esmo.md §EE-5``, ``csf.md §CSF-4``).

Each check returns :class:`Notice` items: a code for machines, a sentence for people and the
source it rests on (None for LeptoDx's own data-quality checks).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from leptodx.domain.patient import PatientInput
from leptodx.domain.plausibility import Implausible, check_typical
from leptodx.domain.units import Quantity
from leptodx.presentation.labels import ANALYTE, PRIMARY_TUMOUR, label
from leptodx.presentation.numbers import format_number, format_quantity
from leptodx.reference import workup as ref
from leptodx.reference.analytes import ANALYTES
from leptodx.reference.citation import Source
from leptodx.reference.eano_esmo import G2023, Biopsy, ClinicalSigns, Cytology


@dataclass(frozen=True, slots=True)
class Notice:
    code: str
    text: str
    source: Source | None = None


def implausible_values(values: Mapping[str, Quantity]) -> dict[str, Implausible]:
    """Values outside their analyte's typical range (``reference.analytes``), by field."""
    out = {}
    for name, quantity in values.items():
        finding = check_typical(ANALYTES[name], quantity)
        if finding is not None:
            out[name] = finding
    return out


def _specimen(field: str) -> str:
    specimen, name = field.split(".")
    return f"{'CSF' if specimen == 'csf' else 'serum'} {label(ANALYTE, name).lower()}"


def plausibility_notices(found: Mapping[str, Implausible]) -> list[Notice]:
    """A warning per implausible value, naming the likely unit mix-up where there is one."""
    out = []
    for name, f in found.items():
        a = f.analyte
        entered = format_quantity(f.quantity.value, f.quantity.unit)
        if f.quantity.unit != a.canonical_unit:
            entered += f" (= {format_quantity(f.quantity.canonical_value, a.canonical_unit)})"
        typical = f"{format_number(a.typical.low)}–{format_number(a.typical.high)} {a.display_unit}"
        text = f"{_specimen(name)} {entered} is outside the typical range {typical}"
        if f.likely_unit is not None and f.likely_value is not None:
            meant = format_quantity(f.quantity.value, f.likely_unit)
            if f.likely_unit != a.canonical_unit:
                meant += f" (= {format_quantity(f.likely_value, a.canonical_unit)})"
            text += (
                f": was it {meant}? Suspected unit mix-up — the value and the ratios built from "
                "it are not judged; check the unit"
            )
            out.append(Notice("suspected_unit_mixup", text))
        else:
            out.append(Notice("atypical_value", text + ": check the value and its unit"))
    return out


def qualifiers(patient: PatientInput) -> tuple[Notice, ...]:
    """Findings that qualify a confirmed level in its headline (not only in a warning)."""
    if patient.cytology is not Cytology.POSITIVE:
        return ()
    out = []
    days = patient.csf.days_since_brain_surgery if patient.csf is not None else None
    if days is not None and days < ref.LP_AFTER_SURGERY_MIN_DAYS:
        out.append(
            Notice(
                "cytology_possibly_false_positive",
                f"Positive cytology from a lumbar puncture {format_number(days)} days after brain "
                f"surgery (less than {ref.LP_AFTER_SURGERY_MIN_DAYS:g}): possibly false-positive "
                "(secondary, low-reliability source); consider repeating the lumbar puncture "
                f"at least {ref.LP_AFTER_SURGERY_MIN_DAYS:g} days after surgery",
                ref.NEWSFLASH,
            )
        )
    if patient.biopsy is Biopsy.NEGATIVE:
        out.append(
            Notice(
                "biopsy_negative",
                "Positive CSF cytology with a negative leptomeningeal biopsy: the level rests on "
                "the cytology; review the discordant results",
            )
        )
    return tuple(out)


def contradictions(patient: PatientInput) -> tuple[Notice, ...]:
    """Inputs that contradict each other (the record is assessed as entered)."""
    out = []
    if patient.primary_tumour is not None and not patient.known_cancer:
        out.append(
            Notice(
                "primary_without_known_cancer",
                f"Primary tumour given ({label(PRIMARY_TUMOUR, patient.primary_tumour)}) but "
                "known cancer is 'no': check the record — the classification used 'no known cancer'",
            )
        )
    if patient.symptoms and patient.clinical_signs is ClinicalSigns.NORMAL:
        out.append(
            Notice(
                "symptoms_with_normal_examination",
                f"{len(patient.symptoms)} symptom(s) listed but the neurological evaluation is "
                "recorded as normal: check the clinical leg",
            )
        )
    return tuple(out)


def preanalytic_notices(patient: PatientInput) -> tuple[Notice, ...]:
    """Sampling problems that can cause false-negative or false-positive cytology."""
    csf = patient.csf
    if csf is None:
        return ()
    out: list[Notice] = []
    if csf.volume_ml is not None and csf.volume_ml < ref.CSF_VOLUME_MINIMUM_ML:
        out.append(
            Notice(
                "csf_volume_below_minimum",
                f"CSF volume {format_number(csf.volume_ml)} ml is below the minimum of "
                f"{ref.CSF_VOLUME_MINIMUM_ML:g} ml for cytology: a negative result is unreliable",
                G2023,
            )
        )
    elif csf.volume_ml is not None and csf.volume_ml <= ref.CSF_VOLUME_IDEAL_ML:
        out.append(
            Notice(
                "csf_volume_below_ideal",
                f"CSF volume {format_number(csf.volume_ml)} ml: ideally more than "
                f"{ref.CSF_VOLUME_IDEAL_ML:g} ml for cytology",
                G2023,
            )
        )
    delay = csf.processing_delay_min
    if delay is not None and delay > ref.PROCESSING_DELAY_MAX_MIN:
        out.append(
            Notice(
                "processing_delay",
                f"CSF processed after {format_number(delay)} min (ideally within "
                f"{ref.PROCESSING_DELAY_MAX_MIN:g} min): cells degrade, false-negative risk",
                G2023,
            )
        )
    days = csf.days_since_brain_surgery
    if (
        days is not None
        and days < ref.LP_AFTER_SURGERY_MIN_DAYS
        and patient.cytology is not Cytology.POSITIVE  # positive: a qualifier of the level
        and patient.cytology is not Cytology.NEGATIVE  # the risk is a false-positive result
    ):
        out.append(
            Notice(
                "lp_soon_after_surgery",
                f"Lumbar puncture {format_number(days)} days after brain surgery (less than "
                f"{ref.LP_AFTER_SURGERY_MIN_DAYS:g}): risk of false-positive cytology "
                "(secondary, low-reliability source)",
                ref.NEWSFLASH,
            )
        )
    return tuple(out)
