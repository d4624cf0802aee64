"""Next diagnostic steps that the sources support, from every input (``eano-esmo.md §EE-5``).

Steps are suggestions for the clinician, each with its source; LeptoDx never orders a test. The
levels exist to say when to treat and when to intensify the diagnostic work-up (§EE-1), so no
outcome short of confirmed LM ends with "no further test" unless a verified source says so for
that situation (typical MRI with known cancer, Dutch guideline).
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.clinical.csf import CsfInterpretation, NotJudged
from leptodx.clinical.eano_esmo import Classification
from leptodx.domain.patient import PatientInput
from leptodx.presentation.numbers import format_number
from leptodx.reference import csf as csf_ref
from leptodx.reference import diagnostic_accuracy as acc
from leptodx.reference import workup as ref
from leptodx.reference.actionable import SNO_ASCO_2024
from leptodx.reference.citation import Source
from leptodx.reference.eano_esmo import ClinicalSigns, Cytology, Level, Mri, Outcome
from leptodx.reference.eano_esmo_sources import G2023, HWT2019, LRW_CHAPTER


@dataclass(frozen=True, slots=True)
class NextStep:
    code: str
    text: str
    sources: tuple[Source, ...]


_LP_HANDLING = f"{ref.CSF_HANDLING}; {ref.SIMULTANEOUS_SERUM}"


def _mri_step(patient: PatientInput) -> NextStep | None:
    if patient.mri is Mri.NOT_DONE:
        head = "Consider MRI of the neuraxis"
    elif patient.mri is None:
        head = "Record the MRI result; if no MRI has been done, consider MRI of the neuraxis"
    else:
        return None
    return NextStep("mri_neuraxis", f"{head}. Protocol: {ref.MRI_PROTOCOL}.", (G2023,))


def _repeat_after_first(patient: PatientInput) -> NextStep:
    cytology = patient.cytology
    first = patient.csf is not None and patient.csf.lp_number == 1
    opening = "Consider" if first else "If this was the first lumbar puncture, consider"
    if cytology is Cytology.NEGATIVE:
        return NextStep(
            "repeat_lp",
            f"{opening} a second lumbar puncture with optimised handling: a second CSF sample "
            f"should be analysed if the first is negative. {_LP_HANDLING}.",
            (G2023, ref.GLANTZ_1998, ref.TUMANI_SAMPLING),
        )
    return NextStep(
        "repeat_lp",
        f"{opening} a repeat lumbar puncture with optimised conditions after equivocal cytology "
        f"(2023 recommendation, secondary digest). {_LP_HANDLING}.",
        (ref.PATHWAY_DIGEST, G2023, ref.TUMANI_SAMPLING),
    )


def _after_repeat(patient: PatientInput, lp_number: int) -> NextStep:
    cytology = "negative" if patient.cytology is Cytology.NEGATIVE else "equivocal"
    low, high = acc.CYTOLOGY_SENSITIVITY_FIRST_LP
    low2, high2 = acc.CYTOLOGY_SENSITIVITY_AFTER_SECOND_LP
    return NextStep(
        "cytology_sensitivity",
        f"Cytology was {cytology} at lumbar puncture number {lp_number}. The sources advise one "
        "repeat after a negative first sample, not a series. Cytology finds LM in "
        f"{low:g}–{high:g} % at the first and {low2:g}–{high2:g} % after the second lumbar "
        f"puncture (secondary review); {acc.POSITIVE_AT_FIRST_LP_PERCENT:g} % of "
        f"cytology-positive cases are found at the first and {acc.POSITIVE_AT_SECOND_LP_PERCENT:g}"
        " % at the second. A negative result therefore does not exclude LM: weigh MRI, the "
        "clinical course and the CSF pattern.",
        (acc.NKI_REVIEW, acc.TSWJ_2013, G2023, ref.GLANTZ_1998),
    )


def _percent(value: float) -> str:
    """One decimal as the source prints it (87.0, 89.0), but 100 as 100."""
    return "100" if value == 100.0 else f"{value:.1f}"


def _liquid_biopsy_context() -> NextStep:
    parts = []
    for row in acc.NAKASU_POOLED:
        sens = f"{_percent(row.sensitivity)} %"
        if row.sensitivity_ci:
            sens += f" ({_percent(row.sensitivity_ci[0])}–{_percent(row.sensitivity_ci[1])})"
        spec = f"{_percent(row.specificity)} %"
        if row.specificity_ci:
            spec += f" ({_percent(row.specificity_ci[0])}–{_percent(row.specificity_ci[1])})"
        note = f", {row.note}" if row.note else ""
        parts.append(f"{row.test}: sensitivity {sens}, specificity {spec}{note}")
    return NextStep(
        "liquid_biopsy_context",
        "CSF liquid biopsy has verified accuracy data (meta-analysis, pooled, 95 % CI): "
        + "; ".join(parts)
        + ". Its role in the EANO–ESMO levels is not available: a result is supportive only and "
        "never makes LM confirmed, and validated assays are available at few centres.",
        (acc.NAKASU_2023, SNO_ASCO_2024),
    )


def _lumbar_puncture(patient: PatientInput, result: Classification) -> NextStep:
    if patient.cytology is None:
        head = (
            "Record the CSF cytology result; if no CSF has been examined, consider a lumbar "
            "puncture for cytology"
        )
    elif result.level is Level.POSSIBLE:
        head = "Possible LM: intensify the diagnostic work-up with CSF examination (cytology)"
    else:
        head = "Consider CSF examination (cytology)"
    return NextStep(
        "lumbar_puncture",
        f"{head}, with optimised handling: {_LP_HANDLING}.",
        (G2023, ref.DUTCH_GUIDELINE, ref.TUMANI_SAMPLING),
    )


def _cytology_steps(patient: PatientInput, result: Classification) -> list[NextStep]:
    cytology = patient.cytology
    lp_number = patient.csf.lp_number if patient.csf is not None else None
    if cytology in (Cytology.NEGATIVE, Cytology.EQUIVOCAL):
        step = (
            _after_repeat(patient, lp_number)
            if lp_number is not None and lp_number >= 2
            else _repeat_after_first(patient)
        )
        return [step, _liquid_biopsy_context()]
    if (
        cytology is Cytology.NOT_DONE
        and result.level is Level.PROBABLE
        and patient.mri is not None
        and patient.mri.typical
    ):
        return [
            NextStep(
                "csf_optional",
                "Typical MRI with known cancer: per the Dutch guideline no further test is needed "
                "for the diagnosis of probable LM; positive CSF cytology would make it confirmed "
                f"LM, type I. If CSF is examined: {_LP_HANDLING}.",
                (ref.DUTCH_GUIDELINE, ref.TUMANI_SAMPLING),
            )
        ]
    return [_lumbar_puncture(patient, result)]


def _search_primary() -> NextStep:
    return NextStep(
        "search_primary",
        "No known cancer: establish whether the patient has a cancer. Probable LM requires a "
        "known cancer (verified definition); positive CSF cytology or a positive leptomeningeal "
        "biopsy confirms LM with or without a known primary.",
        (HWT2019, LRW_CHAPTER),
    )


def _infection_differential(csf: CsfInterpretation) -> NextStep | None:
    lactate = next((a for a in csf.analytes if a.name == "lactate"), None)
    if lactate is None or lactate.not_judged is NotJudged.SUSPECTED_UNIT_MIXUP:
        return None
    value = lactate.quantity.canonical_value
    if value <= csf_ref.LACTATE_INFECTION_THRESHOLD:
        return None
    return NextStep(
        "infection_differential",
        f"CSF lactate {format_number(value)} mmol/L is above "
        f"{csf_ref.LACTATE_INFECTION_THRESHOLD:g} mmol/L, which is typical of bacterial or "
        "tuberculous meningitis: consider infection in the differential diagnosis.",
        (csf_ref.NRP20,),
    )


def next_steps(
    patient: PatientInput, result: Classification, csf: CsfInterpretation
) -> tuple[NextStep, ...]:
    """Suggested next diagnostic steps, using every input of ``patient``."""
    infection = _infection_differential(csf)
    if result.outcome is Outcome.OUT_OF_SCOPE:
        return (infection,) if infection else ()
    steps: list[NextStep] = []
    if (mri := _mri_step(patient)) is not None:
        steps.append(mri)
    if patient.clinical_signs is None and result.level is not Level.CONFIRMED:
        steps.append(
            NextStep(
                "neurological_examination",
                "Record the neurological examination (typical clinical signs of LM, another "
                "neurological abnormality, or normal): the level depends on it.",
                (G2023,),
            )
        )
    if result.outcome is Outcome.NOT_CLASSIFIABLE:
        steps.append(_search_primary())
    if result.level is not Level.CONFIRMED:
        steps += _cytology_steps(patient, result)
    if infection is not None:
        steps.append(infection)
    return tuple(steps)


def symptoms_contradict_examination(patient: PatientInput) -> bool:
    """Symptoms are listed while the neurological evaluation is recorded as normal."""
    return bool(patient.symptoms) and patient.clinical_signs is ClinicalSigns.NORMAL
