"""CSF interpretation: each analyte against a named profile, QAlb, CSF/serum glucose ratio.

Quantities arrive converted to canonical units by :mod:`leptodx.domain.units`; limits come from
:mod:`leptodx.reference.csf`. A normal CSF never excludes LM (``csf.md §CSF-5``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from leptodx.domain.units import Quantity
from leptodx.errors import InputError
from leptodx.reference import csf as ref
from leptodx.reference.citation import Source


@dataclass(frozen=True, slots=True)
class AnalyteResult:
    name: str
    quantity: Quantity
    limit: ref.Limit | None
    status: str | None
    basis: str


@dataclass(frozen=True, slots=True)
class Ratio:
    value: float | None
    limit: float | None
    limit_text: str
    flag: bool | None
    source: Source
    note: str = ""


@dataclass(frozen=True, slots=True)
class CsfInterpretation:
    profile: ref.Profile
    analytes: tuple[AnalyteResult, ...]
    qalb: Ratio | None
    glucose_ratio: Ratio | None
    summary: str
    warnings: tuple[str, ...]


def get_profile(name: str | None) -> ref.Profile:
    """Profile by name (``None`` → the default), or :class:`InputError` listing the names."""
    key = ref.DEFAULT_PROFILE if name is None else name
    if key not in ref.PROFILES:
        raise InputError("profile", name, f"one of: {', '.join(ref.PROFILES)}")
    return ref.PROFILES[key]


def qalb_upper_limit(age_years: float, rule: ref.QalbRule) -> float:
    """Age-dependent upper limit of QAlb (× 10⁻³) by ``rule`` (``csf.md §CSF-3``)."""
    if rule is ref.QalbRule.REIBER:
        return ref.REIBER_INTERCEPT + age_years / ref.REIBER_AGE_DIVISOR
    if rule is ref.QalbRule.HEGEN:
        return age_years / ref.HEGEN_AGE_DIVISOR + ref.HEGEN_INTERCEPT
    return next(limit for upper_age, limit in ref.QALB_AGE_BANDS if age_years < upper_age)


def _qalb(values: Mapping[str, Quantity], age: float | None, profile: ref.Profile) -> Ratio | None:
    csf_alb, serum_alb = values.get("csf.albumin"), values.get("serum.albumin")
    if csf_alb is None or serum_alb is None:
        return None
    source = ref.QALB_SOURCES[profile.qalb_rule]
    value = csf_alb.canonical_value / serum_alb.canonical_value  # mg/L ÷ g/L = × 10⁻³
    if age is None or (profile.qalb_rule is ref.QalbRule.REIBER and age < ref.REIBER_MIN_AGE):
        return Ratio(
            value,
            None,
            f"age-dependent; age not given or below {ref.REIBER_MIN_AGE:g} years",
            None,
            source,
            "barrier function not judged: the QAlb limit depends on age",
        )
    limit = qalb_upper_limit(age, profile.qalb_rule)
    # Reiber/Hegen give a cut-off (above = dysfunction); the bands are "< limit" normal.
    flag = value >= limit if profile.qalb_rule is ref.QalbRule.AGE_BANDS else value > limit
    return Ratio(value, limit, f"{profile.qalb_rule.value} limit at age {age:g}", flag, source)


def _glucose_ratio(values: Mapping[str, Quantity], profile: ref.Profile) -> Ratio | None:
    csf_glu, serum_glu = values.get("csf.glucose"), values.get("serum.glucose")
    if csf_glu is None or serum_glu is None:
        return None
    value = csf_glu.canonical_value / serum_glu.canonical_value
    limit = profile.glucose_ratio
    return Ratio(value, limit.lower, limit.text, limit.status(value) == "low", limit.source)


def interpret_csf(
    values: Mapping[str, Quantity], *, age_years: float | None, profile: ref.Profile
) -> CsfInterpretation:
    """Interpret the canonical CSF and serum quantities of one lumbar puncture."""
    warnings: list[str] = []
    qalb = _qalb(values, age_years, profile)
    ratio = _glucose_ratio(values, profile)
    results: list[AnalyteResult] = []
    for analyte in ref.Analyte:
        quantity = values.get(f"csf.{analyte.value}")
        if quantity is None:
            continue
        if analyte is ref.Analyte.ALBUMIN:
            status = (
                None if qalb is None or qalb.flag is None else ("high" if qalb.flag else "normal")
            )
            results.append(AnalyteResult(analyte.value, quantity, None, status, "albumin quotient"))
            continue
        if analyte is ref.Analyte.GLUCOSE and ratio is not None:
            status = "low" if ratio.flag else "normal"
            results.append(
                AnalyteResult(
                    analyte.value, quantity, profile.glucose_ratio, status, "CSF/serum ratio"
                )
            )
            continue
        limit = profile.limits[analyte]
        results.append(
            AnalyteResult(
                analyte.value,
                quantity,
                limit,
                limit.status(quantity.canonical_value),
                "reference limit",
            )
        )
    if "csf.glucose" in values and ratio is None:
        warnings.append(
            "CSF/serum glucose ratio not computed: no serum glucose drawn with the LP; "
            "the absolute CSF glucose was judged instead (csf.md §CSF-2)"
        )
    if "csf.albumin" in values and qalb is None:
        warnings.append("albumin quotient not computed: serum albumin missing")
    if qalb is not None and qalb.flag is None:
        warnings.append(qalb.note)
    return CsfInterpretation(
        profile, tuple(results), qalb, ratio, _summary(results, qalb), tuple(warnings)
    )


def _summary(results: list[AnalyteResult], qalb: Ratio | None) -> str:
    if not results:
        return "No CSF values entered."
    abnormal = [f"{r.name} {r.status}" for r in results if r.status in ("high", "low")]
    if qalb is not None and qalb.flag:
        abnormal.append("blood–CSF barrier dysfunction")
    if not abnormal:
        return "CSF values within the profile's limits. " + ref.NORMAL_CSF_DOES_NOT_EXCLUDE_LM
    return (
        "Abnormal: " + ", ".join(dict.fromkeys(abnormal)) + ". Abnormal CSF chemistry is common "
        "in LM but not specific; cytology decides the certainty level."
    )
