"""The columnar engine: the per-record assessment's rules applied to whole columns at once.

Nothing here is a rule of its own. The EANO–ESMO outcome indexes the one decision table
(:func:`leptodx.reference.eano_esmo.decision_lookup`, every combination of categorical inputs,
missing legs included) by category codes; CSF values are judged by the profile's limits through
:meth:`Limit.is_high`/:meth:`Limit.is_low` and the QAlb pieces through :meth:`AgeRange.contains`,
:meth:`QalbLimit.limit` and :meth:`QalbLimit.exceeded`; ratios are rounded by the one
:func:`~leptodx.domain.units.round_significant_array`; notices use the predicates of
:mod:`leptodx.clinical.checks`. A property test compares every output column with
:func:`leptodx.clinical.assess.assess`, record by record (docs/decisions/scale-columnar-engine.md).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from leptodx.clinical import checks
from leptodx.clinical.csf import NotJudged
from leptodx.domain.columns import (
    VOCABULARIES,
    MeasuredColumns,
    PatientColumns,
    likely_unit_labels,
)
from leptodx.domain.units import round_significant_array
from leptodx.reference import csf as csf_ref
from leptodx.reference import eano_esmo as ee
from leptodx.reference.analytes import ANALYTE_TABLE, GLUCOSE_RATIO, QALB

Flags = NDArray[np.bool_]
Floats = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Coded:
    """A column of codes: ``labels[codes[i]]``, or null where ``codes[i] == -1``."""

    codes: NDArray[np.int16]
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Flag:
    """A yes/no column that may be unknown (``known`` False: not judged)."""

    value: Flags
    known: Flags


Column = Coded | Flag | Floats | Flags
"""Floats hold NaN where a value is absent; plain flags are never null."""

STATUS = ("high", "low", "normal")
NOT_JUDGED = tuple(n.value for n in NotJudged)
PLAUSIBILITY = ("typical", "atypical", "suspected_unit_mixup")
_HIGH, _LOW, _NORMAL = 0, 1, 2
_NJ = {n: i for i, n in enumerate(NotJudged)}


@dataclass(frozen=True)
class _Decisions:
    """The decision lookup as arrays over the flat index of every key."""

    shape: tuple[int, ...]
    outcome: NDArray[np.int16]
    level: NDArray[np.int16]
    type: NDArray[np.int16]
    types: tuple[str, ...]
    rule_status: NDArray[np.int16]
    rule_risk: NDArray[np.int16]
    cell: NDArray[np.int16]
    cells: tuple[str, ...]


def _position(values: tuple[object, ...], value: object) -> int:
    return -1 if value is None else values.index(value)


@functools.cache
def _decisions() -> _Decisions:
    lookup = ee.decision_lookup()
    keys = list(ee.all_keys())
    rows = [lookup[key] for key in keys]
    types = tuple(
        sorted({t for key, r in zip(keys, rows, strict=True) if (t := r.type_for(key[4]))})
    )
    cells = tuple(r.id for r in ee.DECISION_TABLE)
    legs = (ee.Cytology, ee.Biopsy, ee.ClinicalSigns, ee.Mri)  # each with None: not recorded
    shape = (len(ee.Scope), *(len(leg) + 1 for leg in legs), 2)

    def codes(values: list[int]) -> NDArray[np.int16]:
        return np.array(values, dtype=np.int16)

    return _Decisions(
        shape,
        codes([_position(tuple(ee.Outcome), r.outcome) for r in rows]),
        codes([_position(tuple(ee.Level), r.level) for r in rows]),
        codes([_position(types, r.type_for(k[4])) for k, r in zip(keys, rows, strict=True)]),
        types,
        codes([_position(tuple(ee.RuleStatus), r.rule_status) for r in rows]),
        codes([_position(tuple(ee.RuleRisk), r.rule_risk) for r in rows]),
        codes([cells.index(r.id) for r in rows]),
        cells,
    )


def _leg(columns: PatientColumns, name: str) -> NDArray[np.intp]:
    """Codes of a leg in the decision key's order: the enum order, then None (not recorded)."""
    codes = columns.codes[name].astype(np.intp)
    return np.where(codes < 0, len(VOCABULARIES[name]), codes)


def classify_columns(columns: PatientColumns) -> dict[str, Column]:
    """EANO–ESMO outcome, level, type, rule status and risk and decision row of every record."""
    d = _decisions()
    scopes = tuple(ee.Scope)
    primaries = (*VOCABULARIES["primary_tumour"], None)  # code -1 picks the last entry: None
    scope_of_code = np.array([scopes.index(ee.scope_of(p)) for p in primaries], dtype=np.intp)
    key = (
        scope_of_code[columns.codes["primary_tumour"].astype(np.intp)],
        _leg(columns, "cytology"),
        _leg(columns, "biopsy"),
        _leg(columns, "clinical_signs"),
        _leg(columns, "mri"),
        np.where(columns.known_cancer, 0, 1),
    )
    flat = np.ravel_multi_index(key, d.shape)
    return {
        "outcome": Coded(d.outcome[flat], tuple(o.value for o in ee.Outcome)),
        "level": Coded(d.level[flat], tuple(v.value for v in ee.Level)),
        "type": Coded(d.type[flat], d.types),
        "rule_status": Coded(d.rule_status[flat], tuple(s.value for s in ee.RuleStatus)),
        "rule_risk": Coded(d.rule_risk[flat], tuple(r.value for r in ee.RuleRisk)),
        "decision_cell": Coded(d.cell[flat], d.cells),
    }


def _not_judged(n: int) -> NDArray[np.int16]:
    return np.full(n, -1, dtype=np.int16)


@dataclass(frozen=True)
class _Ratio:
    present: Flags
    value: Floats
    limit: Floats
    flag: Flags
    not_judged: NDArray[np.int16]

    @property
    def judged(self) -> Flags:
        return self.present & (self.not_judged < 0)


def _qalb(
    measured: MeasuredColumns, age: Floats, profile: csf_ref.Profile, suspect: dict[str, Flags]
) -> _Ratio:
    csf_alb, serum_alb = measured.canonical["csf.albumin"], measured.canonical["serum.albumin"]
    present = ~np.isnan(csf_alb) & ~np.isnan(serum_alb)
    with np.errstate(invalid="ignore"):
        value = round_significant_array(csf_alb / serum_alb, QALB.significant_digits)
    pieces = csf_ref.QALB_LIMITS[profile.qalb_rule]
    piece_of = np.full(age.size, -1, dtype=np.int8)
    for j, piece in enumerate(pieces):
        piece_of[(piece_of < 0) & piece.ages.contains(age)] = j
    nj = _not_judged(age.size)
    mixup = present & (suspect["csf.albumin"] | suspect["serum.albumin"])
    nj[present & (piece_of < 0)] = _NJ[NotJudged.AGE_OUTSIDE_PROFILE]
    nj[present & np.isnan(age)] = _NJ[NotJudged.AGE_NOT_GIVEN]
    nj[mixup] = _NJ[NotJudged.SUSPECTED_UNIT_MIXUP]  # checked first per record
    # whole columns, one rounding: each judged row takes its own piece's limit and comparison
    judged = present & (nj < 0)
    limit = np.full(age.size, np.nan)
    for j, piece in enumerate(pieces):
        np.copyto(limit, piece.limit(age), where=judged & (piece_of == j))
    limit = round_significant_array(limit, QALB.significant_digits)
    flag = np.zeros(age.size, dtype=bool)
    with np.errstate(invalid="ignore"):
        for j, piece in enumerate(pieces):
            np.copyto(flag, piece.exceeded(value, limit), where=judged & (piece_of == j))
    return _Ratio(present, value, limit, flag, nj)


def _glucose_ratio(
    measured: MeasuredColumns, profile: csf_ref.Profile, suspect: dict[str, Flags]
) -> _Ratio:
    csf_glu, serum_glu = measured.canonical["csf.glucose"], measured.canonical["serum.glucose"]
    present = ~np.isnan(csf_glu) & ~np.isnan(serum_glu)
    with np.errstate(invalid="ignore"):
        value = round_significant_array(csf_glu / serum_glu, GLUCOSE_RATIO.significant_digits)
    limit = profile.glucose_ratio
    nj = _not_judged(present.size)
    nj[present & (suspect["csf.glucose"] | suspect["serum.glucose"])] = _NJ[
        NotJudged.SUSPECTED_UNIT_MIXUP
    ]
    with np.errstate(invalid="ignore"):
        low = ~limit.is_high(value) & limit.is_low(value)
    lower = np.nan if limit.lower is None else limit.lower
    return _Ratio(present, value, np.where(present, lower, np.nan), low, nj)


def _limit_status(limit: csf_ref.Limit, values: Floats) -> NDArray[np.int16]:
    with np.errstate(invalid="ignore"):
        low = np.where(limit.is_low(values), np.int16(_LOW), np.int16(_NORMAL))
        return np.where(limit.is_high(values), np.int16(_HIGH), low)


def _code(
    where: Flags, code: int | NDArray[np.int16], otherwise: NDArray[np.int16]
) -> NDArray[np.int16]:
    """``code`` where ``where`` holds, else ``otherwise`` (whole columns, no gathers)."""
    out: NDArray[np.int16] = np.where(
        where, np.int16(code) if isinstance(code, int) else code, otherwise
    )
    return out


def _analyte(
    analyte: csf_ref.Analyte,
    measured: MeasuredColumns,
    profile: csf_ref.Profile,
    qalb: _Ratio,
    ratio: _Ratio,
    suspect: dict[str, Flags],
) -> tuple[NDArray[np.int16], NDArray[np.int16]]:
    """Status and not-judged codes of one CSF analyte (the branches of ``csf._analyte``)."""
    field = f"csf.{analyte.value}"
    values = measured.canonical[field]
    present = ~np.isnan(values)
    status = _not_judged(present.size)
    mixup = present & suspect[field]
    nj = _code(mixup, _NJ[NotJudged.SUSPECTED_UNIT_MIXUP], _not_judged(present.size))
    open_ = present & ~mixup
    if analyte is csf_ref.Analyte.ALBUMIN:
        nj = _code(open_ & ~qalb.present, _NJ[NotJudged.NO_SERUM_ALBUMIN], nj)
        unjudged = open_ & qalb.present & (qalb.not_judged >= 0)
        nj = _code(unjudged, _NJ[NotJudged.QALB_NOT_JUDGED], nj)
        high = _code(qalb.flag, _HIGH, np.full(present.size, _NORMAL, np.int16))
        return _code(open_ & qalb.judged, high, status), nj
    if analyte is csf_ref.Analyte.GLUCOSE:
        by_ratio = open_ & ratio.present
        nj = _code(by_ratio, ratio.not_judged, nj)
        low = _code(ratio.flag, _LOW, np.full(present.size, _NORMAL, np.int16))
        status = _code(by_ratio & (ratio.not_judged < 0), low, status)
        open_ &= ~ratio.present
    limit = profile.limits.get(analyte)
    if limit is None:
        nj = _code(open_, _NJ[NotJudged.NO_SERUM_GLUCOSE], nj)
    else:
        status = _code(open_, _limit_status(limit, values), status)
    return status, nj


def _flag(ratio: _Ratio) -> Flag:
    return Flag(ratio.flag & ratio.judged, ratio.judged)


def interpret_columns(
    columns: PatientColumns, measured: MeasuredColumns, *, profile: csf_ref.Profile
) -> dict[str, Column]:
    """CSF analytes, QAlb and glucose ratio of every record (``interpret_csf``)."""
    suspect = {field: likely >= 0 for field, likely in measured.likely_unit.items()}
    qalb = _qalb(measured, columns.numbers["age_years"], profile, suspect)
    ratio = _glucose_ratio(measured, profile, suspect)
    out: dict[str, Column] = {}
    for analyte in csf_ref.Analyte:
        status, nj = _analyte(analyte, measured, profile, qalb, ratio, suspect)
        out[f"csf_{analyte.value}_value"] = measured.canonical[f"csf.{analyte.value}"]
        out[f"csf_{analyte.value}_status"] = Coded(status, STATUS)
        out[f"csf_{analyte.value}_not_judged"] = Coded(nj, NOT_JUDGED)
    out["qalb"] = np.where(qalb.present, qalb.value, np.nan)
    out["qalb_limit"] = qalb.limit
    out["barrier_dysfunction"] = _flag(qalb)
    out["qalb_not_judged"] = Coded(qalb.not_judged, NOT_JUDGED)
    out["glucose_ratio"] = np.where(ratio.present, ratio.value, np.nan)
    out["glucose_ratio_low"] = _flag(ratio)
    out["glucose_ratio_not_judged"] = Coded(ratio.not_judged, NOT_JUDGED)
    return out


def plausibility_columns(measured: MeasuredColumns) -> dict[str, Column]:
    """Per analyte: typical, atypical or suspected unit mix-up, and the suspected unit."""
    out: dict[str, Column] = {}
    for entry in ANALYTE_TABLE:
        present = ~np.isnan(measured.canonical[entry.field])
        likely = measured.likely_unit[entry.field]
        kind = np.where(measured.typical[entry.field], 0, np.where(likely >= 0, 2, 1))
        out[f"{entry.column}_plausibility"] = Coded(
            np.where(present, kind, -1).astype(np.int16), PLAUSIBILITY
        )
        out[f"{entry.column}_suspected_unit"] = Coded(
            likely.astype(np.int16), likely_unit_labels(entry.field)
        )
    return out


def _is(columns: PatientColumns, name: str, value: object) -> Flags:
    flags: Flags = columns.codes[name] == VOCABULARIES[name].index(str(value))
    return flags


def notice_columns(columns: PatientColumns) -> dict[str, Column]:
    """The record-level notices of :mod:`leptodx.clinical.checks`, one flag column each."""
    code = checks.NoticeCode
    n = columns.numbers
    days, volume = n["csf.days_since_brain_surgery"], n["csf.volume_ml"]
    positive = _is(columns, "cytology", ee.Cytology.POSITIVE)
    vocabulary = VOCABULARIES["cytology"]
    matters = [
        -1 if c is None else vocabulary.index(c.value) for c in checks.FALSE_POSITIVE_MATTERS
    ]
    with np.errstate(invalid="ignore"):
        soon = checks.soon_after_surgery(days)
        below_minimum = checks.volume_below_minimum(volume)
        flags = {
            code.CYTOLOGY_POSSIBLY_FALSE_POSITIVE: positive & soon,
            code.BIOPSY_NEGATIVE: positive & _is(columns, "biopsy", ee.Biopsy.NEGATIVE),
            code.PRIMARY_WITHOUT_KNOWN_CANCER: (columns.codes["primary_tumour"] >= 0)
            & ~columns.known_cancer,
            code.SYMPTOMS_WITH_NORMAL_EXAMINATION: (columns.n_symptoms > 0)
            & _is(columns, "clinical_signs", ee.ClinicalSigns.NORMAL),
            code.CSF_VOLUME_BELOW_MINIMUM: below_minimum,
            code.CSF_VOLUME_BELOW_IDEAL: ~below_minimum & checks.volume_not_above_ideal(volume),
            code.PROCESSING_DELAY: checks.processing_delayed(n["csf.processing_delay_min"]),
            code.LP_SOON_AFTER_SURGERY: soon & np.isin(columns.codes["cytology"], matters),
        }
    return {f"notice_{c.value}": f for c, f in flags.items()}


def assess_columns(
    columns: PatientColumns, measured: MeasuredColumns, *, profile: csf_ref.Profile
) -> dict[str, Column]:
    """Every output column of ``leptodx batch assess`` for validated records."""
    return {
        **classify_columns(columns),
        **interpret_columns(columns, measured, profile=profile),
        **plausibility_columns(measured),
        **notice_columns(columns),
    }
