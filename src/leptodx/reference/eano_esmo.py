"""EANO–ESMO classification of LM from solid tumours, as data (``eano-esmo.md``).

The full decision table of the guideline (G2017 Table 3 / G2023 Table 2) was NOT AVAILABLE; the
rows below are the reference pack's reconstruction (§EE-4) plus the scope rule (§EE-1) and the
rows LeptoDx needs when a finding is missing. Every outcome comes from one row of
:data:`DECISION_TABLE`, which carries the level, type, rule status and risk, the pack citation and
the wording. The rows partition the space of categorical inputs: every combination matches
exactly one row (:func:`decision_lookup` checks it), so a correction is an edit of this table and
a columnar engine can evaluate the same table without a second copy of the rules
(docs/decisions/clinical-decision-table.md).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from enum import StrEnum

from leptodx.reference.citation import Source
from leptodx.reference.eano_esmo_sources import (
    G2017,
    HWT2019,
    LR2019,
    LR2021,
    LRW_CHAPTER,
    RECONSTRUCTION,
)
from leptodx.reference.eano_esmo_sources import G2023 as G2023  # re-exported for the work-up

RULESET_VERSION = (
    "eano-esmo-2017/2023 reconstruction v2 (LeptoDx reference pack eano-esmo.md EE-1, EE-4)"
)
GUIDELINE = "EANO–ESMO Clinical Practice Guideline, leptomeningeal metastasis from solid tumours (2017; 2023 update)"


class Outcome(StrEnum):
    """Exactly one of these is the result of every valid input."""

    CLASSIFIED = "classified"
    """A certainty level (and type where the table gives one)."""
    NOT_CLASSIFIABLE = "not_classifiable"
    """Within scope, but the verified rules give no level (no known cancer, §EE-4 row 9)."""
    INCOMPLETE = "incomplete"
    """A finding the level depends on is missing or not done."""
    OUT_OF_SCOPE = "out_of_scope"
    """Haematological or primary brain tumour (§EE-1): the guideline does not apply."""


class RuleStatus(StrEnum):
    """How sure the rule that produced an outcome is (the pack's marks, per row)."""

    VERIFIED = "verified"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"
    """A reconstruction: check against the guideline table."""
    IMPLEMENTATION_CHOICE = "implementation_choice"
    """A LeptoDx rule, not a guideline rule (e.g. no level while MRI is not done)."""


class RuleRisk(StrEnum):
    """The pack's grading of an unverified row: how much a wrong reconstruction could mislead."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Scope(StrEnum):
    """Whether the primary tumour is within the solid-tumour guideline (§EE-1)."""

    SOLID_TUMOUR = "solid_tumour"
    """A solid primary, a cancer of unknown primary, or no primary given (scope then unchecked)."""
    OUTSIDE = "outside"
    """Haematological or primary brain tumour."""


class Level(StrEnum):
    """EANO–ESMO certainty levels (G2017; seed editorial names the fourth)."""

    CONFIRMED = "confirmed"
    PROBABLE = "probable"
    POSSIBLE = "possible"
    LACK_OF_EVIDENCE = "lack_of_evidence"


class ClinicalSigns(StrEnum):
    """Clinical leg (G2023 Table 1)."""

    TYPICAL = "typical"
    """"Presence of typical clinical signs of LM"."""
    OTHER = "other"
    """"Any other neurological abnormality"."""
    NORMAL = "normal"
    """"Normal neurological evaluation"."""


class Mri(StrEnum):
    """MRI leg (G2023 Table 1; D split into hydrocephalus/normal in 2023)."""

    A = "A"
    B = "B"
    C = "C"
    D_HYDROCEPHALUS = "D-hydrocephalus"
    D_NORMAL = "D-normal"
    NOT_DONE = "not_done"

    @property
    def letter(self) -> str | None:
        """Subtype letter A–D (both 2023 D categories map to the 2017 letter D)."""
        return None if self is Mri.NOT_DONE else self.value[0]

    @property
    def typical(self) -> bool:
        """A, B or C: typical MRI findings of LM."""
        return self in (Mri.A, Mri.B, Mri.C)


class Cytology(StrEnum):
    """CSF cytology leg (G2023 Table 1) plus "not done"."""

    POSITIVE = "positive"
    EQUIVOCAL = "equivocal"
    NEGATIVE = "negative"
    NOT_DONE = "not_done"


class Biopsy(StrEnum):
    """Leptomeningeal biopsy (implementation input, §EE-2)."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NOT_DONE = "not_done"


OUT_OF_SCOPE_PRIMARIES: tuple[str, ...] = (
    "haematological",
    "lymphoma",
    "leukaemia",
    "primary_brain",
)
"""Primaries outside the guideline's scope (``eano-esmo.md §EE-1``, VERIFIED, G2017)."""

SOLID_PRIMARIES: tuple[str, ...] = (
    "breast",
    "lung",
    "melanoma",
    "gastrointestinal",
    "gynaecological",
    "genitourinary",
    "head_and_neck",
    "other",
    "unknown_primary",
)
"""Solid-tumour primary categories accepted by the input contract (implementation vocabulary)."""


def scope_of(primary_tumour: str | None) -> Scope:
    """Scope of a primary-tumour code (``None``: not given, treated as within scope)."""
    return Scope.OUTSIDE if primary_tumour in OUT_OF_SCOPE_PRIMARIES else Scope.SOLID_TUMOUR


DecisionKey = tuple[Scope, Cytology | None, Biopsy | None, ClinicalSigns | None, Mri | None, bool]
"""(scope, cytology, biopsy, clinical signs, MRI, known cancer); ``None`` = not recorded."""


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One row of the decision table.

    The row matches a :data:`DecisionKey` when every component is in the row's set; ``None`` in a
    set means "not recorded". ``rule_status`` and ``rule_risk`` are the pack's grading of the row
    (``eano-esmo.md §EE-4``); ``pack`` is the citation and ``wording`` the rule in words.
    """

    id: str
    scope: frozenset[Scope]
    cytology: frozenset[Cytology | None]
    biopsy: frozenset[Biopsy | None]
    clinical: frozenset[ClinicalSigns | None]
    mri: frozenset[Mri | None]
    known_cancer: frozenset[bool]
    outcome: Outcome
    level: Level | None
    type_prefix: str | None
    rule_status: RuleStatus
    rule_risk: RuleRisk | None
    pack: str
    wording: str
    sources: tuple[Source, ...]

    def matches(self, key: DecisionKey) -> bool:
        """True when every component of ``key`` is in this row's sets."""
        scope, cytology, biopsy, clinical, mri, known = key
        return (
            scope in self.scope
            and cytology in self.cytology
            and biopsy in self.biopsy
            and clinical in self.clinical
            and mri in self.mri
            and known in self.known_cancer
        )

    def type_for(self, mri: Mri | None) -> str | None:
        """Type with the MRI letter (``IIA``); without MRI A–D the bare type (``I``)."""
        if self.type_prefix is None:
            return None
        letter = mri.letter if mri is not None else None
        return self.type_prefix + (letter or "")


_IN = frozenset({Scope.SOLID_TUMOUR})
_ANY_CYTOLOGY: frozenset[Cytology | None] = frozenset({*Cytology, None})
_CYTOLOGY_NOT_POSITIVE: frozenset[Cytology | None] = frozenset(
    {Cytology.EQUIVOCAL, Cytology.NEGATIVE, Cytology.NOT_DONE}
)
_NEG_OR_NOT_DONE: frozenset[Cytology | None] = frozenset({Cytology.NEGATIVE, Cytology.NOT_DONE})
_EQUIVOCAL: frozenset[Cytology | None] = frozenset({Cytology.EQUIVOCAL})
_ANY_BIOPSY: frozenset[Biopsy | None] = frozenset({*Biopsy, None})
_BIOPSY_NOT_POSITIVE: frozenset[Biopsy | None] = frozenset({Biopsy.NEGATIVE, Biopsy.NOT_DONE, None})
_ANY_CLINICAL: frozenset[ClinicalSigns | None] = frozenset({*ClinicalSigns, None})
_TYPICAL_SIGNS: frozenset[ClinicalSigns | None] = frozenset({ClinicalSigns.TYPICAL})
_ATYPICAL: frozenset[ClinicalSigns | None] = frozenset({ClinicalSigns.OTHER, ClinicalSigns.NORMAL})
_ANY_MRI: frozenset[Mri | None] = frozenset({*Mri, None})
_MRI_A_TO_D: frozenset[Mri | None] = frozenset(m for m in Mri if m is not Mri.NOT_DONE)
_TYPICAL_MRI: frozenset[Mri | None] = frozenset({Mri.A, Mri.B, Mri.C})
_D_MRI: frozenset[Mri | None] = frozenset({Mri.D_HYDROCEPHALUS, Mri.D_NORMAL})
_EITHER = frozenset({True, False})
_KNOWN = frozenset({True})
_EE4 = "eano-esmo.md §EE-4"


def _row(
    id: str,
    outcome: Outcome,
    level: Level | None,
    type_prefix: str | None,
    status: RuleStatus,
    risk: RuleRisk | None,
    wording: str,
    sources: tuple[Source, ...],
    *,
    cytology: frozenset[Cytology | None] = _CYTOLOGY_NOT_POSITIVE,
    biopsy: frozenset[Biopsy | None] = _BIOPSY_NOT_POSITIVE,
    clinical: frozenset[ClinicalSigns | None] = _ANY_CLINICAL,
    mri: frozenset[Mri | None] = _ANY_MRI,
    known_cancer: frozenset[bool] = _KNOWN,
    scope: frozenset[Scope] = _IN,
    pack: str = _EE4,
) -> DecisionRow:
    return DecisionRow(
        id, scope, cytology, biopsy, clinical, mri, known_cancer, outcome, level, type_prefix,
        status, risk, pack, wording, sources,
    )  # fmt: skip


_V, _U, _I = RuleStatus.VERIFIED, RuleStatus.UNVERIFIED, RuleStatus.IMPLEMENTATION_CHOICE
_C, _N, _X = Outcome.CLASSIFIED, Outcome.NOT_CLASSIFIABLE, Outcome.INCOMPLETE

DECISION_TABLE: tuple[DecisionRow, ...] = (
    _row("EE-1", Outcome.OUT_OF_SCOPE, None, None, _V, None,
         "LM from lymphoma, leukaemia or a primary brain tumour is outside the scope of the "
         "solid-tumour guideline", (G2017,),
         scope=frozenset({Scope.OUTSIDE}), cytology=_ANY_CYTOLOGY, biopsy=_ANY_BIOPSY,
         known_cancer=_EITHER, pack="eano-esmo.md §EE-1"),
    _row("EE-4 row 1 (cytology)", _C, Level.CONFIRMED, "I", _V, None,
         "positive CSF cytology defines confirmed LM, type I; the MRI pattern gives the subtype "
         "letter", (LR2021, LR2019, LRW_CHAPTER),
         cytology=frozenset({Cytology.POSITIVE}), biopsy=_ANY_BIOPSY, known_cancer=_EITHER),
    _row("EE-4 row 1 (biopsy)", _C, Level.CONFIRMED, "I", _U, RuleRisk.LOW,
         "a positive leptomeningeal biopsy confirms LM; type I for biopsy-proven LM is consistent "
         "with the 2021 validation cohort but not stated verbatim", (LRW_CHAPTER, LR2021, RECONSTRUCTION),
         cytology=frozenset({*_CYTOLOGY_NOT_POSITIVE, None}), biopsy=frozenset({Biopsy.POSITIVE}),
         known_cancer=_EITHER),
    _row("cytology not recorded", _X, None, None, _I, None,
         "the CSF cytology result is not recorded: a positive cytology would confirm LM, so no "
         "level is given until it is known", (RECONSTRUCTION,),
         cytology=frozenset({None}), known_cancer=_EITHER),
    _row("EE-4 row 9", _N, None, None, _U, None,
         "no known cancer and no positive cytology or biopsy: the verified definition of probable "
         "LM requires a known cancer, and whether possible LM does is not known, so the verified "
         "rules give no level; this does not exclude LM", (HWT2019, LRW_CHAPTER, RECONSTRUCTION),
         known_cancer=frozenset({False})),
    _row("EE-4 row 10", _X, None, None, _I, None,
         "MRI not done and cytology or biopsy not positive: the work-up is incomplete, so no "
         "level is given (a LeptoDx rule, not a guideline rule)", (RECONSTRUCTION,),
         mri=frozenset({Mri.NOT_DONE})),
    _row("MRI not recorded", _X, None, None, _I, None,
         "the MRI result is not recorded and cytology or biopsy is not positive: the level depends "
         "on MRI, so no level is given until it is known", (RECONSTRUCTION,),
         mri=frozenset({None})),
    _row("clinical signs not recorded", _X, None, None, _I, None,
         "the neurological examination is not recorded and cytology or biopsy is not positive: "
         "the level depends on it, so no level is given until it is known", (RECONSTRUCTION,),
         clinical=frozenset({None}), mri=_MRI_A_TO_D),
    _row("EE-4 row 2", _C, Level.PROBABLE, "II", _V, None,
         "typical clinical signs and typical MRI in a patient with known cancer",
         (LR2021, LRW_CHAPTER, HWT2019),
         cytology=_NEG_OR_NOT_DONE, clinical=_TYPICAL_SIGNS, mri=_TYPICAL_MRI),
    _row("EE-4 row 3", _C, Level.PROBABLE, "II", _U, RuleRisk.LOW,
         "the verified wording of probable LM does not depend on cytology; equivocal cytology is "
         "assumed not to change it", (LR2021, RECONSTRUCTION),
         cytology=_EQUIVOCAL, clinical=_TYPICAL_SIGNS, mri=_TYPICAL_MRI),
    _row("EE-4 row 4", _C, Level.POSSIBLE, "II", _U, RuleRisk.MEDIUM,
         "typical MRI without typical clinical signs", (LR2019, RECONSTRUCTION),
         clinical=_ATYPICAL, mri=_TYPICAL_MRI),
    _row("EE-4 row 5", _C, Level.POSSIBLE, "II", _U, RuleRisk.HIGH,
         "typical clinical signs, MRI type D and equivocal cytology: type IID occurred as possible "
         "LM in the 2021 validation cohort; which cytology result it had is not published",
         (LR2019, RECONSTRUCTION),
         cytology=_EQUIVOCAL, clinical=_TYPICAL_SIGNS, mri=_D_MRI),
    _row("EE-4 row 6", _C, Level.LACK_OF_EVIDENCE, None, _U, RuleRisk.HIGH,
         "typical clinical signs, MRI type D and cytology not positive: no source was found for "
         "this combination", (RECONSTRUCTION,),
         cytology=_NEG_OR_NOT_DONE, clinical=_TYPICAL_SIGNS, mri=_D_MRI),
    _row("EE-4 row 7", _C, Level.LACK_OF_EVIDENCE, None, _U, RuleRisk.HIGH,
         "no typical clinical signs, MRI type D and equivocal cytology: no source was found for "
         "this combination", (RECONSTRUCTION,),
         cytology=_EQUIVOCAL, clinical=_ATYPICAL, mri=_D_MRI),
    _row("EE-4 row 8", _C, Level.LACK_OF_EVIDENCE, None, _U, RuleRisk.LOW,
         "no typical clinical signs, MRI type D and cytology not positive: cannot be confirmed or "
         "probable under the verified wording", (RECONSTRUCTION,),
         cytology=_NEG_OR_NOT_DONE, clinical=_ATYPICAL, mri=_D_MRI),
)  # fmt: skip
"""Every outcome of the classifier: scope, rows 1–10 of §EE-4 and the missing-finding rows."""


class DecisionTableError(AssertionError):
    """The table does not give exactly one row for some combination (a data error)."""


def all_keys() -> itertools.product[DecisionKey]:
    """Every combination of categorical inputs, ``None`` (not recorded) included."""
    return itertools.product(
        tuple(Scope),
        (*Cytology, None),
        (*Biopsy, None),
        (*ClinicalSigns, None),
        (*Mri, None),
        (True, False),
    )


@functools.cache
def decision_lookup() -> dict[DecisionKey, DecisionRow]:
    """Every combination of categorical inputs → its one row (a precomputed lookup).

    Raises :class:`DecisionTableError` if a combination matches no row or several rows.
    """
    lookup: dict[DecisionKey, DecisionRow] = {}
    for key in all_keys():
        rows = [row for row in DECISION_TABLE if row.matches(key)]
        if len(rows) != 1:
            raise DecisionTableError(f"{key}: {len(rows)} matching rows {[r.id for r in rows]}")
        lookup[key] = rows[0]
    return lookup


def decide(key: DecisionKey) -> DecisionRow:
    """The one decision row for a combination of categorical inputs."""
    return decision_lookup()[key]
