"""Checks of one record beyond the classification: qualifiers of the level, contradictions in the
input, implausible values and pre-analytic problems (``eano-esmo.md §EE-5``, ``csf.md §CSF-4``).

Each check returns :class:`Notice` items: a code for machines, a sentence for people and the
source it rests on (None for LeptoDx's own data-quality checks). The comparisons with the
thresholds of ``reference.workup`` are small functions that take one value or a column, so the
columnar engine (:mod:`leptodx.clinical.columnar`) applies the very same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, overload

from leptodx.domain.patient import PatientInput
from leptodx.domain.plausibility import Implausible, check_typical
from leptodx.domain.units import Quantity
from leptodx.presentation.labels import ANALYTE, PRIMARY_TUMOUR, label
from leptodx.presentation.numbers import format_number, format_quantity
from leptodx.reference import workup as ref
from leptodx.reference.analytes import ANALYTES
from leptodx.reference.citation import Source
from leptodx.reference.eano_esmo import G2023, Biopsy, ClinicalSigns, Cytology


class NoticeCode(StrEnum):
    """Codes of the record-level notices (qualifiers, contradictions, pre-analytics)."""

    CYTOLOGY_POSSIBLY_FALSE_POSITIVE = "cytology_possibly_false_positive"
    BIOPSY_NEGATIVE = "biopsy_negative"
    PRIMARY_WITHOUT_KNOWN_CANCER = "primary_without_known_cancer"
    SYMPTOMS_WITH_NORMAL_EXAMINATION = "symptoms_with_normal_examination"
    CSF_VOLUME_BELOW_MINIMUM = "csf_volume_below_minimum"
    CSF_VOLUME_BELOW_IDEAL = "csf_volume_below_ideal"
    PROCESSING_DELAY = "processing_delay"
    LP_SOON_AFTER_SURGERY = "lp_soon_after_surgery"


@dataclass(frozen=True, slots=True)
class Notice:
    code: str
    text: str
    source: Source | None = None


if TYPE_CHECKING:  # the column overloads; the per-record path never imports NumPy
    import numpy as np
    from numpy.typing import NDArray

    Column = NDArray[np.float64]
    Flags = NDArray[np.bool_]


@overload
def volume_below_minimum(volume_ml: float) -> bool: ...
@overload
def volume_below_minimum(volume_ml: Column) -> Flags: ...
def volume_below_minimum(volume_ml: float | Column) -> bool | Flags:
    """Less CSF than the minimum for cytology (G2023 Table 1)."""
    return volume_ml < ref.CSF_VOLUME_MINIMUM_ML


@overload
def volume_not_above_ideal(volume_ml: float) -> bool: ...
@overload
def volume_not_above_ideal(volume_ml: Column) -> Flags: ...
def volume_not_above_ideal(volume_ml: float | Column) -> bool | Flags:
    """Not more CSF than the ideal volume (G2023: ideally > 10 ml)."""
    return volume_ml <= ref.CSF_VOLUME_IDEAL_ML


@overload
def processing_delayed(delay_min: float) -> bool: ...
@overload
def processing_delayed(delay_min: Column) -> Flags: ...
def processing_delayed(delay_min: float | Column) -> bool | Flags:
    """Processed later than the guideline's ideal (G2023 Table 1)."""
    return delay_min > ref.PROCESSING_DELAY_MAX_MIN


@overload
def soon_after_surgery(days: float) -> bool: ...
@overload
def soon_after_surgery(days: Column) -> Flags: ...
def soon_after_surgery(days: float | Column) -> bool | Flags:
    """Lumbar puncture sooner after brain surgery than the secondary source advises."""
    return days < ref.LP_AFTER_SURGERY_MIN_DAYS


FALSE_POSITIVE_MATTERS: frozenset[Cytology | None] = frozenset(
    {Cytology.EQUIVOCAL, Cytology.NOT_DONE, None}
)
"""Cytology results for which an early lumbar puncture's false-positive risk is worth a warning
(positive: a qualifier of the level instead; negative: a false positive is not at issue)."""


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
    if days is not None and soon_after_surgery(days):
        out.append(
            Notice(
                NoticeCode.CYTOLOGY_POSSIBLY_FALSE_POSITIVE.value,
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
                NoticeCode.BIOPSY_NEGATIVE.value,
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
                NoticeCode.PRIMARY_WITHOUT_KNOWN_CANCER.value,
                f"Primary tumour given ({label(PRIMARY_TUMOUR, patient.primary_tumour)}) but "
                "known cancer is 'no': check the record — the classification used 'no known cancer'",
            )
        )
    if patient.symptoms and patient.clinical_signs is ClinicalSigns.NORMAL:
        out.append(
            Notice(
                NoticeCode.SYMPTOMS_WITH_NORMAL_EXAMINATION.value,
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
    if csf.volume_ml is not None and volume_below_minimum(csf.volume_ml):
        out.append(
            Notice(
                NoticeCode.CSF_VOLUME_BELOW_MINIMUM.value,
                f"CSF volume {format_number(csf.volume_ml)} ml is below the minimum of "
                f"{ref.CSF_VOLUME_MINIMUM_ML:g} ml for cytology: a negative result is unreliable",
                G2023,
            )
        )
    elif csf.volume_ml is not None and volume_not_above_ideal(csf.volume_ml):
        out.append(
            Notice(
                NoticeCode.CSF_VOLUME_BELOW_IDEAL.value,
                f"CSF volume {format_number(csf.volume_ml)} ml: ideally more than "
                f"{ref.CSF_VOLUME_IDEAL_ML:g} ml for cytology",
                G2023,
            )
        )
    delay = csf.processing_delay_min
    if delay is not None and processing_delayed(delay):
        out.append(
            Notice(
                NoticeCode.PROCESSING_DELAY.value,
                f"CSF processed after {format_number(delay)} min (ideally within "
                f"{ref.PROCESSING_DELAY_MAX_MIN:g} min): cells degrade, false-negative risk",
                G2023,
            )
        )
    days = csf.days_since_brain_surgery
    if days is not None and soon_after_surgery(days) and patient.cytology in FALSE_POSITIVE_MATTERS:
        out.append(
            Notice(
                NoticeCode.LP_SOON_AFTER_SURGERY.value,
                f"Lumbar puncture {format_number(days)} days after brain surgery (less than "
                f"{ref.LP_AFTER_SURGERY_MIN_DAYS:g}): risk of false-positive cytology "
                "(secondary, low-reliability source)",
                ref.NEWSFLASH,
            )
        )
    return tuple(out)
