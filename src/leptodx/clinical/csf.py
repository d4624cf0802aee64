"""CSF interpretation: each analyte against a named profile, QAlb, CSF/serum glucose ratio.

Quantities arrive converted to canonical units (rounded to the analyte's significant digits) by
:mod:`leptodx.domain.units`; limits come from :mod:`leptodx.reference.csf`. What cannot be judged
is said, with the reason, never replaced by a guess: an absolute CSF glucose without a simultaneous
serum glucose is judged only when the profile states an absolute range, a QAlb only within the
ages its rule states, and a value with a suspected unit mix-up not at all. Only LM-typical
abnormalities feed the LM summary; a normal CSF never excludes LM (``csf.md §CSF-5``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from leptodx.domain.plausibility import Implausible
from leptodx.domain.units import Quantity, round_significant
from leptodx.errors import InputError
from leptodx.reference import csf as ref
from leptodx.reference.analytes import GLUCOSE_RATIO, QALB
from leptodx.reference.citation import Source


class Basis(StrEnum):
    """What judged an analyte."""

    REFERENCE_LIMIT = "reference_limit"
    GLUCOSE_RATIO = "glucose_ratio"
    ALBUMIN_QUOTIENT = "albumin_quotient"


class NotJudged(StrEnum):
    """Why a value was not judged."""

    NO_SERUM_GLUCOSE = "no_serum_glucose"
    NO_SERUM_ALBUMIN = "no_serum_albumin"
    AGE_NOT_GIVEN = "age_not_given"
    AGE_OUTSIDE_PROFILE = "age_outside_profile"
    SUSPECTED_UNIT_MIXUP = "suspected_unit_mixup"
    QALB_NOT_JUDGED = "qalb_not_judged"


@dataclass(frozen=True, slots=True)
class AnalyteResult:
    name: str
    quantity: Quantity
    limit: ref.Limit | None
    status: str | None
    basis: Basis | None
    not_judged: NotJudged | None = None


@dataclass(frozen=True, slots=True)
class Ratio:
    """QAlb (× 10⁻³) or the CSF/serum glucose ratio; ``flag`` is None when not judged."""

    value: float
    limit: float | None
    limit_text: str
    flag: bool | None
    source: Source
    not_judged: NotJudged | None = None


@dataclass(frozen=True, slots=True)
class CsfSummary:
    """The pattern in codes: LM-typical findings, other abnormalities, what was not judged."""

    lm_typical: tuple[ref.CsfFinding, ...]
    other_abnormal: tuple[str, ...]
    not_judged: tuple[tuple[str, NotJudged], ...]
    judged: int
    """How many values (analytes and ratios) were judged."""


@dataclass(frozen=True, slots=True)
class CsfInterpretation:
    profile: ref.Profile
    analytes: tuple[AnalyteResult, ...]
    qalb: Ratio | None
    glucose_ratio: Ratio | None
    summary: CsfSummary
    warnings: tuple[str, ...] = field(default=())


def get_profile(name: str | None) -> ref.Profile:
    """Profile by name (``None`` → the default), or :class:`InputError` listing the names."""
    key = ref.DEFAULT_PROFILE if name is None else name
    if key not in ref.PROFILES:
        raise InputError("profile", name, f"one of: {', '.join(ref.PROFILES)}")
    return ref.PROFILES[key]


def qalb_upper_limit(age_years: float, rule: ref.QalbRule) -> float | None:
    """Age-dependent upper limit of QAlb (× 10⁻³) by ``rule``; None outside its stated ages."""
    piece = ref.qalb_limit_for(rule, age_years)
    return None if piece is None else piece.limit(age_years)


def _qalb(
    values: Mapping[str, Quantity], age: float | None, profile: ref.Profile, suspect: set[str]
) -> Ratio | None:
    csf_alb, serum_alb = values.get("csf.albumin"), values.get("serum.albumin")
    if csf_alb is None or serum_alb is None:
        return None
    value = round_significant(  # mg/L ÷ g/L = QAlb × 10⁻³ (csf.md §CSF-4)
        csf_alb.canonical_value / serum_alb.canonical_value, QALB.significant_digits
    )
    pieces = ref.QALB_LIMITS[profile.qalb_rule]
    source = pieces[-1].source
    if suspect & {"csf.albumin", "serum.albumin"}:
        return Ratio(value, None, "", None, source, NotJudged.SUSPECTED_UNIT_MIXUP)
    if age is None:
        return Ratio(value, None, "", None, source, NotJudged.AGE_NOT_GIVEN)
    piece = ref.qalb_limit_for(profile.qalb_rule, age)
    if piece is None:
        return Ratio(value, None, "", None, source, NotJudged.AGE_OUTSIDE_PROFILE)
    limit = round_significant(piece.limit(age), QALB.significant_digits)
    return Ratio(value, limit, piece.text, piece.exceeded(value, limit), piece.source)


def _glucose_ratio(
    values: Mapping[str, Quantity], profile: ref.Profile, suspect: set[str]
) -> Ratio | None:
    csf_glu, serum_glu = values.get("csf.glucose"), values.get("serum.glucose")
    if csf_glu is None or serum_glu is None:
        return None
    value = round_significant(
        csf_glu.canonical_value / serum_glu.canonical_value, GLUCOSE_RATIO.significant_digits
    )
    limit = profile.glucose_ratio
    if suspect & {"csf.glucose", "serum.glucose"}:
        return Ratio(
            value, limit.lower, limit.text, None, limit.source, NotJudged.SUSPECTED_UNIT_MIXUP
        )
    return Ratio(value, limit.lower, limit.text, limit.status(value) == "low", limit.source)


def _analyte(
    analyte: ref.Analyte,
    quantity: Quantity,
    profile: ref.Profile,
    qalb: Ratio | None,
    ratio: Ratio | None,
    suspect: set[str],
) -> AnalyteResult:
    name = analyte.value
    if f"csf.{name}" in suspect:
        return AnalyteResult(name, quantity, None, None, None, NotJudged.SUSPECTED_UNIT_MIXUP)
    if analyte is ref.Analyte.ALBUMIN:
        if qalb is None:
            return AnalyteResult(name, quantity, None, None, None, NotJudged.NO_SERUM_ALBUMIN)
        if qalb.flag is None:
            return AnalyteResult(
                name, quantity, None, None, Basis.ALBUMIN_QUOTIENT, NotJudged.QALB_NOT_JUDGED
            )
        return AnalyteResult(
            name, quantity, None, "high" if qalb.flag else "normal", Basis.ALBUMIN_QUOTIENT
        )
    if analyte is ref.Analyte.GLUCOSE and ratio is not None:
        status = None if ratio.flag is None else ("low" if ratio.flag else "normal")
        return AnalyteResult(
            name, quantity, profile.glucose_ratio, status, Basis.GLUCOSE_RATIO, ratio.not_judged
        )
    limit = profile.limits.get(analyte)
    if limit is None:  # only glucose: the profile states no absolute range
        return AnalyteResult(name, quantity, None, None, None, NotJudged.NO_SERUM_GLUCOSE)
    return AnalyteResult(
        name, quantity, limit, limit.status(quantity.canonical_value), Basis.REFERENCE_LIMIT
    )


def interpret_csf(
    values: Mapping[str, Quantity],
    *,
    age_years: float | None,
    profile: ref.Profile,
    implausible: Mapping[str, Implausible] | None = None,
) -> CsfInterpretation:
    """Interpret the canonical CSF and serum quantities of one lumbar puncture.

    ``implausible`` (field → finding) marks values with a suspected unit mix-up: they and the
    ratios built from them are shown but not judged.
    """
    suspect = {f for f, i in (implausible or {}).items() if i.likely_unit is not None}
    qalb = _qalb(values, age_years, profile, suspect)
    ratio = _glucose_ratio(values, profile, suspect)
    results = [
        _analyte(analyte, quantity, profile, qalb, ratio, suspect)
        for analyte in ref.Analyte
        if (quantity := values.get(f"csf.{analyte.value}")) is not None
    ]
    return CsfInterpretation(
        profile,
        tuple(results),
        qalb,
        ratio,
        _summary(results, qalb),
        _warnings(values, qalb, ratio),
    )


def _warnings(
    values: Mapping[str, Quantity], qalb: Ratio | None, ratio: Ratio | None
) -> tuple[str, ...]:
    typical = GLUCOSE_RATIO.typical
    return warning_texts(
        glucose_without_ratio="csf.glucose" in values and ratio is None,
        albumin_without_qalb="csf.albumin" in values and qalb is None,
        qalb_not_judged=qalb.not_judged if qalb is not None else None,
        ratio_above_typical=ratio.value
        if ratio is not None and typical is not None and ratio.value not in typical
        else None,
    )


def warning_texts(
    *,
    glucose_without_ratio: bool,
    albumin_without_qalb: bool,
    qalb_not_judged: NotJudged | None,
    ratio_above_typical: float | None,
) -> tuple[str, ...]:
    """The interpretation's warnings for the conditions found (one record, or any of many)."""
    out: list[str] = []
    if glucose_without_ratio:
        out.append(
            "CSF/serum glucose ratio not computed: no serum glucose drawn with the lumbar "
            "puncture; the ratio needs a simultaneous serum sample"
        )
    if albumin_without_qalb:
        out.append("Albumin quotient not computed: serum albumin missing")
    if qalb_not_judged is NotJudged.AGE_NOT_GIVEN:
        out.append("Barrier function not judged: the albumin quotient limit depends on age")
    if qalb_not_judged is NotJudged.AGE_OUTSIDE_PROFILE:
        out.append(
            "Barrier function not judged: the age is outside the ages the profile's albumin "
            "quotient limit was stated for"
        )
    if ratio_above_typical is not None:
        out.append(
            f"CSF/serum glucose ratio {ratio_above_typical:g} is above 1: check the units and "
            "that the serum sample was drawn at the same time as the CSF"
        )
    return tuple(out)


_TYPICAL = {
    ("leukocytes", "high"): ref.CsfFinding.CELLS_HIGH,
    ("protein", "high"): ref.CsfFinding.PROTEIN_HIGH,
    ("lactate", "high"): ref.CsfFinding.LACTATE_HIGH,
}


def _summary(results: list[AnalyteResult], qalb: Ratio | None) -> CsfSummary:
    typical: list[ref.CsfFinding] = []
    other: list[str] = []
    not_judged: list[tuple[str, NotJudged]] = []
    judged = 0
    for r in results:
        if r.status is None:
            if r.basis is not Basis.ALBUMIN_QUOTIENT and r.not_judged is not None:
                not_judged.append((r.name, r.not_judged))
            continue
        if r.basis is Basis.ALBUMIN_QUOTIENT:
            continue  # judged as the albumin quotient below, not twice
        judged += 1
        if r.basis is Basis.GLUCOSE_RATIO:
            if r.status == "low":
                typical.append(ref.CsfFinding.GLUCOSE_RATIO_LOW)
        elif (r.name, r.status) in _TYPICAL:
            typical.append(_TYPICAL[(r.name, r.status)])
        elif r.status != "normal":
            other.append(f"{r.name}_{r.status}")
    if qalb is not None:
        if qalb.flag is None and qalb.not_judged is not None:
            not_judged.append(("qalb", qalb.not_judged))
        else:
            judged += 1
            if qalb.flag:
                typical.append(ref.CsfFinding.BARRIER_DYSFUNCTION)
    return CsfSummary(
        tuple(dict.fromkeys(typical)), tuple(other), tuple(dict.fromkeys(not_judged)), judged
    )
