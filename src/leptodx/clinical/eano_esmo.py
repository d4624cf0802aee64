"""EANO–ESMO certainty level and type from the clinical, MRI and CSF legs (``eano-esmo.md``).

The classifier only walks the data table of :mod:`leptodx.reference.eano_esmo`; it holds no rule
of its own beyond the scope checks (§EE-1) and the two "no level" cases of §EE-4 rows 9–10.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from leptodx.domain.patient import PatientInput
from leptodx.reference import eano_esmo as ref
from leptodx.reference.citation import Source, Status


class Outcome(StrEnum):
    """Exactly one of these is the result of every valid input."""

    CLASSIFIED = "classified"
    OUT_OF_SCOPE = "out_of_scope"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, slots=True)
class Classification:
    """EANO–ESMO result for one patient."""

    outcome: Outcome
    level: ref.Level | None
    type: str | None
    mri_category: str
    cell: str
    rationale: tuple[str, ...]
    reconstructed_cells: tuple[str, ...]
    sources: tuple[Source, ...]
    reason: str | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def applicable(self) -> bool:
        """False when the guideline does not apply to this patient (scope, unknown cancer)."""
        return self.outcome is not Outcome.OUT_OF_SCOPE

    @property
    def reconstructed(self) -> bool:
        """True when a reconstructed (unverified) cell of the table produced the result."""
        return bool(self.reconstructed_cells)


def _legs(patient: PatientInput) -> list[str]:
    biopsy = patient.biopsy.value if patient.biopsy else "not recorded"
    return [
        f"clinical signs: {patient.clinical_signs.value}",
        f"MRI: {patient.mri.value} ({ref.MRI_DESCRIPTIONS[patient.mri]})",
        f"CSF cytology: {patient.cytology.value}",
        f"leptomeningeal biopsy: {biopsy}",
        f"known cancer: {'yes' if patient.known_cancer else 'no'}",
    ]


def _type(row: ref.DecisionRow, mri: ref.Mri) -> str | None:
    if row.type_prefix is None or mri.letter is None:
        return row.type_prefix
    return row.type_prefix + mri.letter


def _from_row(row: ref.DecisionRow, patient: PatientInput, rationale: list[str]) -> Classification:
    rationale.append(f"decision cell {row.cell}: {row.note}")
    warnings: list[str] = []
    if row.level is ref.Level.CONFIRMED and patient.mri is ref.Mri.NOT_DONE:
        warnings.append("type I reported without a letter: MRI not done (the letter needs MRI)")
    reconstructed = (row.cell,) if row.status is Status.RECONSTRUCTED else ()
    return Classification(
        outcome=Outcome.CLASSIFIED,
        level=row.level,
        type=_type(row, patient.mri),
        mri_category=patient.mri.value,
        cell=row.cell,
        rationale=tuple(rationale),
        reconstructed_cells=reconstructed,
        sources=row.sources,
        warnings=tuple(warnings),
    )


def classify(patient: PatientInput) -> Classification:
    """Classify one patient by the (reconstructed) EANO–ESMO decision table.

    Returns exactly one outcome: a level (with type where the table gives one), out of scope
    (haematological or primary brain tumour, or no known cancer without positive cytology/biopsy,
    §EE-1 and §EE-4 row 9), or incomplete (MRI not done without a positive cytology/biopsy,
    §EE-4 row 10).
    """
    rationale = _legs(patient)

    def no_level(outcome: Outcome, cell: str, source: Source, reason: str) -> Classification:
        return Classification(
            outcome=outcome,
            level=None,
            type=None,
            mri_category=patient.mri.value,
            cell=cell,
            rationale=tuple(rationale),
            reconstructed_cells=(),
            sources=(source,),
            reason=reason,
        )

    scope_reason = ref.OUT_OF_SCOPE_PRIMARIES.get(patient.primary_tumour or "")
    if scope_reason is not None:
        return no_level(Outcome.OUT_OF_SCOPE, "EE-1", ref.G2017, scope_reason)
    if patient.cytology is ref.Cytology.POSITIVE:
        return _from_row(ref.CONFIRMED_BY_CYTOLOGY, patient, rationale)
    if patient.biopsy is ref.Biopsy.POSITIVE:
        return _from_row(ref.CONFIRMED_BY_BIOPSY, patient, rationale)
    if not patient.known_cancer:
        return no_level(
            Outcome.OUT_OF_SCOPE,
            ref.UNKNOWN_CANCER_CELL,
            ref.RECONSTRUCTION,
            "no known cancer and no positive cytology or biopsy: not classifiable under the "
            "verified rules (whether 'possible' requires known cancer is unknown, §EE-4 row 9)",
        )
    if patient.mri is ref.Mri.NOT_DONE:
        return no_level(
            Outcome.INCOMPLETE,
            ref.MRI_NOT_DONE_CELL,
            ref.G2023,
            "work-up incomplete: MRI not done and cytology/biopsy not positive, so no level can "
            "be given (implementation choice, §EE-4 row 10)",
        )
    for row in ref.DECISION_ROWS:
        if (
            patient.cytology in row.cytology
            and patient.clinical_signs in row.clinical
            and patient.mri in row.mri
        ):
            return _from_row(row, patient, rationale)
    raise AssertionError(f"decision table has no row for {rationale}")  # pragma: no cover
