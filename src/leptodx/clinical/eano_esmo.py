"""EANO–ESMO certainty level and type from the clinical, MRI and CSF legs (``eano-esmo.md``).

The classifier only looks the patient's categorical inputs up in the one decision table of
:mod:`leptodx.reference.eano_esmo` (scope, rows 1–10 of §EE-4 and the missing-finding rows); it
holds no rule of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.domain.patient import LEGS, PatientInput
from leptodx.reference import eano_esmo as ref
from leptodx.reference.citation import Source


@dataclass(frozen=True, slots=True)
class Classification:
    """EANO–ESMO result for one patient: the decision row and what it gives."""

    row: ref.DecisionRow
    type: str | None
    mri_category: str | None
    missing_legs: tuple[str, ...]
    """The legs (``clinical_signs``, ``mri``, ``cytology``) that were not recorded."""

    @property
    def outcome(self) -> ref.Outcome:
        return self.row.outcome

    @property
    def level(self) -> ref.Level | None:
        return self.row.level

    @property
    def cell(self) -> str:
        return self.row.id

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.row.sources

    @property
    def applicable(self) -> bool:
        """False only outside the guideline's scope (haematological or primary brain tumour)."""
        return self.outcome is not ref.Outcome.OUT_OF_SCOPE

    @property
    def reconstructed(self) -> bool:
        """True when an unverified (reconstructed) row of the table produced the result."""
        return self.row.rule_status is ref.RuleStatus.UNVERIFIED


def decision_key(patient: PatientInput) -> ref.DecisionKey:
    """The categorical inputs the decision table is indexed by."""
    return (
        ref.scope_of(patient.primary_tumour),
        patient.cytology,
        patient.biopsy,
        patient.clinical_signs,
        patient.mri,
        patient.known_cancer,
    )


def classify(patient: PatientInput) -> Classification:
    """Classify one patient by the EANO–ESMO decision table (exactly one row per input)."""
    row = ref.decide(decision_key(patient))
    return Classification(
        row=row,
        type=row.type_for(patient.mri),
        mri_category=patient.mri.value if patient.mri is not None else None,
        missing_legs=tuple(leg for leg in LEGS if getattr(patient, leg) is None),
    )
