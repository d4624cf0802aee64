"""Response history: each RANO/LANO visit and what changed since the previous one.

Never computes an overall response: the rater's category is shown as recorded (RF-3). The
measurable-nodule boundary (> 5 × 5 mm verified vs ≥ 5 × 5 mm secondary) and the neurological
progression rule (secondary) come from a named :class:`ResponseProfile`, shown in every output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leptodx.followup.events import ResponseVisit, Timeline
from leptodx.reference import response as ref
from leptodx.reference.citation import Source

NOTES = (
    "The overall LM response is the rater's category; LeptoDx does not compute one "
    "(numeric CR/PR/SD/PD thresholds: NOT AVAILABLE).",
    "Inter-rater agreement on the overall response is moderate (median kappa 0.44).",
)


@dataclass(frozen=True, slots=True)
class Nodule:
    """One nodule, X × Y mm, and whether it is measurable under the profile's rule."""

    x_mm: float
    y_mm: float
    measurable: bool

    @property
    def product_mm2(self) -> float:
        return self.x_mm * self.y_mm

    def to_dict(self) -> dict[str, Any]:
        return {
            "x_mm": self.x_mm,
            "y_mm": self.y_mm,
            "product_mm2": self.product_mm2,
            "measurable": self.measurable,
        }


@dataclass(frozen=True, slots=True)
class VisitResponse:
    """One response visit: the rater's items and categories, and what changed since the last."""

    date: str
    items: dict[str, str]
    nodules: tuple[Nodule, ...]
    overall_rater: str | None
    parenchymal_rater: str | None
    cytology: str | None
    neuro: dict[str, int]
    steroids: Any
    changes: tuple[str, ...]
    flags: tuple[str, ...]

    @property
    def sum_of_products_mm2(self) -> float | None:
        """Sum of the measurable nodules' products (None without one)."""
        return sum(n.product_mm2 for n in self.nodules if n.measurable) or None

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "items": dict(self.items),
            "nodules": [n.to_dict() for n in self.nodules],
            "sum_of_products_mm2": self.sum_of_products_mm2,
            "overall_rater": self.overall_rater,
            "parenchymal_rater": self.parenchymal_rater,
            "cytology": self.cytology,
            "neuro": dict(self.neuro),
            "steroids": self.steroids,
            "changes": list(self.changes),
            "flags": list(self.flags),
        }


@dataclass(frozen=True, slots=True)
class ResponseHistory:
    """Every response visit under one :class:`~leptodx.reference.response.ResponseProfile`."""

    profile: ref.ResponseProfile
    visits: tuple[VisitResponse, ...]
    notes: tuple[str, ...] = NOTES

    @property
    def sources(self) -> tuple[Source, ...]:
        """Each source once, in first-cited order (the nodule rule cites the scorecard)."""
        p = self.profile
        cited = (
            ref.SCORECARD_2019,
            ref.LANO_APPENDIX,
            p.nodule_source,
            p.progression_source,
            ref.RELIABILITY_2022,
        )
        once: dict[str, Source] = {}
        for source in cited:
            once.setdefault(source.key, source)
        return tuple(once.values())

    @property
    def nodule_rule(self) -> str:
        return self.profile.nodule_rule

    @property
    def nodule_rule_status(self) -> str:
        return self.profile.nodule_source.status.value

    @property
    def progression_rule(self) -> str:
        levels = self.profile.progression_levels
        return f"worsening by ≥ {levels} levels in a LANO domain, or to its worst level, after excluding other causes"  # fmt: skip

    @property
    def progression_rule_status(self) -> str:
        return self.profile.progression_source.status.value

    def to_dict(self) -> dict[str, Any]:
        """JSON of the history (the ``response`` part of ``leptodx followup show``)."""
        return {
            "profile": self.profile.name,
            "nodule_rule": self.nodule_rule,
            "nodule_rule_status": self.nodule_rule_status,
            "progression_rule": self.progression_rule,
            "progression_rule_status": self.progression_rule_status,
            "visits": [v.to_dict() for v in self.visits],
            "notes": list(self.notes),
            "sources": [s.as_dict() for s in self.sources],
        }


def response_history(
    timeline: Timeline, *, profile: str = ref.DEFAULT_RESPONSE_PROFILE
) -> ResponseHistory:
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
    return ResponseHistory(prof, tuple(out))


def _visit(
    visit: ResponseVisit, previous: ResponseVisit | None, prof: ref.ResponseProfile
) -> VisitResponse:
    mri = visit.mri
    nodules = tuple(Nodule(x, y, prof.measurable(x, y)) for x, y in (mri.nodules_mm if mri else []))
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
    return VisitResponse(
        date=visit.date.isoformat(),
        items=dict(mri.items) if mri else {},
        nodules=nodules,
        overall_rater=mri.overall if mri else None,
        parenchymal_rater=mri.parenchymal if mri else None,
        cytology=visit.cytology.value if visit.cytology else None,
        neuro=dict(visit.neuro),
        steroids=visit.steroids,
        changes=tuple(changes),
        flags=tuple(flags),
    )


def _item_changes(visit: ResponseVisit, previous: ResponseVisit) -> list[str]:
    now = visit.mri.items if visit.mri else {}
    before = previous.mri.items if previous.mri else {}
    return [
        f"{ref.MRI_ITEMS[k]}: {before[k]} → {now[k]}"
        for k in ref.MRI_ITEMS
        if k in now and k in before and now[k] != before[k]
    ]
