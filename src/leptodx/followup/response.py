"""Response history: each RANO/LANO visit and what changed since the previous one.

Never computes an overall response: the rater's category is shown as recorded (RF-3). The
measurable-nodule boundary (> 5 × 5 mm verified vs ≥ 5 × 5 mm secondary) and the neurological
progression rule (secondary) come from a named :class:`ResponseProfile`, shown in every output.
"""

from __future__ import annotations

from typing import Any

from leptodx.followup.events import ResponseVisit, Timeline
from leptodx.reference import response as ref


def response_history(
    timeline: Timeline, *, profile: str = ref.DEFAULT_RESPONSE_PROFILE
) -> dict[str, Any]:
    """Visits with measurable nodules, item and LANO changes and the rater's categories."""
    if profile not in ref.RESPONSE_PROFILES:
        from leptodx.errors import InputError

        raise InputError("profile", profile, f"one of {', '.join(ref.RESPONSE_PROFILES)}")
    prof = ref.RESPONSE_PROFILES[profile]
    visits = [e for e in timeline.events if isinstance(e, ResponseVisit)]
    out = []
    previous: ResponseVisit | None = None
    for visit in visits:
        out.append(_visit(visit, previous, prof))
        previous = visit
    return {
        "profile": prof.name,
        "nodule_rule": prof.nodule_rule,
        "nodule_rule_status": prof.nodule_source.status.value,
        "progression_rule": f"worsening by ≥ {prof.progression_levels} levels in a LANO domain, or to its worst level, after excluding other causes",
        "progression_rule_status": prof.progression_source.status.value,
        "visits": out,
        "notes": [
            "The overall LM response is the rater's category; LeptoDx does not compute one "
            "(numeric CR/PR/SD/PD thresholds: NOT AVAILABLE).",
            "Inter-rater agreement on the overall response is moderate (median kappa 0.44).",
        ],
        "sources": [
            s.as_dict()
            for s in (
                ref.SCORECARD_2019,
                ref.LANO_APPENDIX,
                prof.nodule_source,
                prof.progression_source,
                ref.RELIABILITY_2022,
            )
        ],
    }


def _visit(
    visit: ResponseVisit, previous: ResponseVisit | None, prof: ref.ResponseProfile
) -> dict[str, Any]:
    mri = visit.mri
    nodules = [
        {"x_mm": x, "y_mm": y, "product_mm2": x * y, "measurable": prof.measurable(x, y)}
        for x, y in (mri.nodules_mm if mri else [])
    ]
    changes: list[str] = []
    flags: list[str] = []
    if previous is not None:
        changes += _item_changes(visit, previous)
        c_now, c_before = visit.cytology, previous.cytology
        if c_now is not None and c_before is not None and c_now != c_before:
            changes.append(f"CSF cytology {c_before.value} → {c_now.value}")
        for domain, level in visit.neuro.items():
            before = previous.neuro.get(domain)
            if before is None or before == level:
                continue
            names = ref.LANO_DOMAINS[domain]
            changes.append(f"LANO {domain}: {names[before]} ({before}) → {names[level]} ({level})")
            worst = len(names) - 1
            if level - before >= prof.progression_levels or (level == worst and before < worst):
                flags.append(
                    f"LANO {domain} worsened {before} → {level}: meets the neurological progression "
                    f"rule ({prof.progression_source.status.value}) if brain metastases, systemic "
                    "progression and toxicity are excluded"
                )
    if mri is not None and mri.vs_previous:
        changes += [
            f"{ref.MRI_ITEMS[k]}: {v.replace('_', ' ')} (rater)" for k, v in mri.vs_previous.items()
        ]
    return {
        "date": visit.date.isoformat(),
        "items": dict(mri.items) if mri else {},
        "nodules": nodules,
        "sum_of_products_mm2": sum(n["product_mm2"] for n in nodules if n["measurable"]) or None,
        "overall_rater": mri.overall if mri else None,
        "parenchymal_rater": mri.parenchymal if mri else None,
        "cytology": visit.cytology.value if visit.cytology else None,
        "neuro": dict(visit.neuro),
        "steroids": visit.steroids,
        "changes": changes,
        "flags": flags,
    }


def _item_changes(visit: ResponseVisit, previous: ResponseVisit) -> list[str]:
    now = visit.mri.items if visit.mri else {}
    before = previous.mri.items if previous.mri else {}
    return [
        f"{ref.MRI_ITEMS[k]}: {before[k]} → {now[k]}"
        for k in ref.MRI_ITEMS
        if k in now and k in before and now[k] != before[k]
    ]
