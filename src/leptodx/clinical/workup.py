"""Next diagnostic steps and pre-analytic warnings that the sources support (``§EE-5``).

Steps are suggestions for the clinician, each with its source; LeptoDx never orders a test.
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.clinical.eano_esmo import Classification, Outcome
from leptodx.domain.patient import PatientInput
from leptodx.reference import workup as ref
from leptodx.reference.citation import Source
from leptodx.reference.eano_esmo import G2023, Cytology, Level, Mri


@dataclass(frozen=True, slots=True)
class NextStep:
    code: str
    text: str
    sources: tuple[Source, ...]


def next_steps(patient: PatientInput, result: Classification) -> tuple[NextStep, ...]:
    """Suggested next diagnostic steps for the classification of ``patient``."""
    if result.outcome is Outcome.OUT_OF_SCOPE and result.cell == "EE-1":
        return ()
    steps: list[NextStep] = []
    if patient.mri is Mri.NOT_DONE:
        steps.append(
            NextStep("mri_neuraxis", f"Consider MRI of the neuraxis. {ref.MRI_PROTOCOL}.", (G2023,))
        )
    if result.level is not Level.CONFIRMED:
        if patient.cytology is Cytology.NEGATIVE:
            steps.append(
                NextStep(
                    "repeat_lp",
                    "Consider a second lumbar puncture with optimised handling: a second CSF sample "
                    f"should be analysed if the first is negative. {ref.CSF_HANDLING}.",
                    (G2023, ref.GLANTZ_1998),
                )
            )
        elif patient.cytology is Cytology.EQUIVOCAL:
            steps.append(
                NextStep(
                    "repeat_lp",
                    "Consider a repeat lumbar puncture with optimised conditions after equivocal "
                    f"cytology (2023 recommendation, secondary digest). {ref.CSF_HANDLING}.",
                    (ref.PATHWAY_DIGEST, G2023),
                )
            )
        elif patient.cytology is Cytology.NOT_DONE and not patient.mri.typical:
            steps.append(
                NextStep(
                    "lumbar_puncture",
                    f"MRI is not diagnostic: consider CSF examination (cytology). {ref.CSF_HANDLING}.",
                    (ref.DUTCH_GUIDELINE, G2023),
                )
            )
        elif patient.cytology is Cytology.NOT_DONE:
            steps.append(
                NextStep(
                    "csf_optional",
                    "Typical MRI with known cancer: per the Dutch guideline no further test is needed "
                    "for the diagnosis; CSF cytology would confirm LM (type I).",
                    (ref.DUTCH_GUIDELINE,),
                )
            )
    return tuple(steps)


def preanalytic_warnings(patient: PatientInput) -> tuple[tuple[str, Source], ...]:
    """Warnings about CSF sampling that can cause false-negative or false-positive cytology."""
    csf = patient.csf
    if csf is None:
        return ()
    out: list[tuple[str, Source]] = []
    if csf.volume_ml is not None and csf.volume_ml < ref.CSF_VOLUME_MINIMUM_ML:
        out.append(
            (
                f"CSF volume {csf.volume_ml:g} ml is below the minimum of "
                f"{ref.CSF_VOLUME_MINIMUM_ML:g} ml for cytology: a negative result is unreliable",
                G2023,
            )
        )
    elif csf.volume_ml is not None and csf.volume_ml <= ref.CSF_VOLUME_IDEAL_ML:
        out.append(
            (
                f"CSF volume {csf.volume_ml:g} ml: ideally more than {ref.CSF_VOLUME_IDEAL_ML:g} ml "
                "for cytology",
                G2023,
            )
        )
    if (
        csf.processing_delay_min is not None
        and csf.processing_delay_min > ref.PROCESSING_DELAY_MAX_MIN
    ):
        out.append(
            (
                f"CSF processed after {csf.processing_delay_min:g} min (ideally within "
                f"{ref.PROCESSING_DELAY_MAX_MIN:g} min): cells degrade, false-negative risk",
                G2023,
            )
        )
    if (
        csf.days_since_brain_surgery is not None
        and csf.days_since_brain_surgery < ref.LP_AFTER_SURGERY_MIN_DAYS
    ):
        out.append(
            (
                f"LP {csf.days_since_brain_surgery:g} days after brain surgery (< "
                f"{ref.LP_AFTER_SURGERY_MIN_DAYS:g}): risk of false-positive cytology "
                "(secondary, low-reliability source)",
                ref.NEWSFLASH,
            )
        )
    return tuple(out)
