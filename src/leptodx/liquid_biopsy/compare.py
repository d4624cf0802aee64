"""CSF versus plasma ctDNA: per-patient alteration sets and cohort detection rates.

Pairing (``docs/decisions/ctdna-pairing.md``): each patient contributes **one index sample per
sample type**. For a patient with both types it is the CSF–plasma pair nearest in time (ties: the
most recent pair); for a patient with one type it is the latest sample. Every count below — the
per-patient sets, both detection rates and the McNemar table — uses these index samples, so the
McNemar margins equal the detection counts among paired patients. Other samples are reported as
not used.

All outputs are descriptive statistics of the data supplied and supportive evidence only
(``liquid-biopsy.md §LB-5``); actionable matches are labelled for tumour-board discussion and
name no drug.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from leptodx.liquid_biopsy.io import Call, Sample, SampleType
from leptodx.liquid_biopsy.variants import Alteration
from leptodx.reference.actionable import (
    ACTIONABLE_VERSION,
    DESCRIPTIVE_ONLY,
    REVIEW_DATE,
    SNO_ASCO_2024,
    SUPPORTIVE_ONLY,
    TUMOUR_BOARD_LABEL,
    VALIDATION_NOTE,
    ActionableEntry,
    actionable_matches,
)
from leptodx.reference.citation import Source
from leptodx.stats.proportions import Proportion, TableTest, mcnemar_exact, wilson_ci

NOTICE = f"{SUPPORTIVE_ONLY} {DESCRIPTIVE_ONLY}"
PAIRING_RULE = (
    "one index sample per patient and sample type: the CSF–plasma pair nearest in time "
    "(ties: the most recent pair) for patients with both; otherwise the latest sample"
)


@dataclass(frozen=True, slots=True)
class ComparedAlteration:
    """One alteration of a patient with its VAF in the CSF and plasma index samples."""

    alteration: Alteration
    csf: Call | None
    plasma: Call | None

    @property
    def vaf_csf(self) -> float | None:
        return None if self.csf is None else self.csf.vaf

    @property
    def vaf_plasma(self) -> float | None:
        return None if self.plasma is None else self.plasma.vaf

    @property
    def vaf_difference(self) -> float | None:
        """CSF VAF − plasma VAF when both were reported (descriptive)."""
        if self.vaf_csf is None or self.vaf_plasma is None:
            return None
        return round(self.vaf_csf - self.vaf_plasma, 12)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gene": self.alteration.gene,
            "variant": self.alteration.change,
            "kind": self.alteration.kind,
            "vaf_csf": self.vaf_csf,
            "vaf_plasma": self.vaf_plasma,
            "vaf_difference": self.vaf_difference,
            "as_written": {
                "csf": None if self.csf is None else self.csf.as_written,
                "plasma": None if self.plasma is None else self.plasma.as_written,
            },
        }


@dataclass(frozen=True, slots=True)
class ActionableMatch:
    """A detected alteration covered by the actionable table (for tumour-board discussion)."""

    alteration: Alteration
    sample_types: tuple[SampleType, ...]
    entry: ActionableEntry

    def to_dict(self) -> dict[str, Any]:
        return {
            "gene": self.alteration.gene,
            "variant": self.alteration.change,
            "found_in": [st.value for st in self.sample_types],
            "entry": self.entry.key,
            "match_scope": self.entry.match_scope,
            "cns_lm_evidence": self.entry.evidence,
            "evidence_status": self.entry.status.value,
            "source": self.entry.source.key,
            "label": TUMOUR_BOARD_LABEL,
        }


@dataclass(frozen=True, slots=True)
class PatientComparison:
    """CSF versus plasma for one patient, from the index samples."""

    patient_id: str
    csf: Sample | None
    plasma: Sample | None
    alterations: tuple[ComparedAlteration, ...]
    samples_not_used: tuple[Sample, ...]
    actionable: tuple[ActionableMatch, ...]

    @property
    def paired(self) -> bool:
        return self.csf is not None and self.plasma is not None

    @property
    def days_apart(self) -> int | None:
        if self.csf is None or self.plasma is None:
            return None
        return abs((self.csf.sample_date - self.plasma.sample_date).days)

    def _select(self, csf: bool, plasma: bool) -> list[ComparedAlteration]:
        return [
            a
            for a in self.alterations
            if (a.csf is not None) == csf and (a.plasma is not None) == plasma
        ]

    @property
    def csf_only(self) -> list[ComparedAlteration] | None:
        return self._select(True, False) if self.paired else None

    @property
    def plasma_only(self) -> list[ComparedAlteration] | None:
        return self._select(False, True) if self.paired else None

    @property
    def shared(self) -> list[ComparedAlteration] | None:
        return self._select(True, True) if self.paired else None

    def to_dict(self) -> dict[str, Any]:
        def sample(s: Sample | None) -> dict[str, Any] | None:
            if s is None:
                return None
            return {
                "date": s.sample_date.isoformat(),
                "n_alterations": len(s.calls),
                "rows": list(s.rows),
            }

        def listing(items: list[ComparedAlteration] | None) -> list[dict[str, Any]] | None:
            return None if items is None else [a.to_dict() for a in items]

        return {
            "patient_id": self.patient_id,
            "paired": self.paired,
            "csf_sample": sample(self.csf),
            "plasma_sample": sample(self.plasma),
            "days_apart": self.days_apart,
            "csf_only": listing(self.csf_only),
            "plasma_only": listing(self.plasma_only),
            "shared": listing(self.shared),
            "unpaired_alterations": None
            if self.paired
            else [a.to_dict() for a in self.alterations],
            "samples_not_used": [
                {"sample_type": s.sample_type.value, "date": s.sample_date.isoformat()}
                for s in self.samples_not_used
            ],
            "actionable": [m.to_dict() for m in self.actionable],
        }


@dataclass(frozen=True, slots=True)
class CohortSummary:
    """Detection rates per sample type and the paired exact McNemar test."""

    detection_rate_csf: Proportion | None
    detection_rate_plasma: Proportion | None
    both_detected: int
    csf_only_detected: int
    plasma_only_detected: int
    neither_detected: int
    mcnemar: TableTest | None

    @property
    def n_paired(self) -> int:
        return (
            self.both_detected
            + self.csf_only_detected
            + self.plasma_only_detected
            + self.neither_detected
        )

    def to_dict(self) -> dict[str, Any]:
        def rate(p: Proportion | None) -> dict[str, Any] | None:
            if p is None:
                return None
            return {
                "patients_detected": p.events,
                "patients_tested": p.n,
                "estimate": p.estimate,
                "ci": list(p.ci),
                "level": p.level,
                "method": p.method,
            }

        return {
            "detection_rate_csf": rate(self.detection_rate_csf),
            "detection_rate_plasma": rate(self.detection_rate_plasma),
            "paired": {
                "n_patients": self.n_paired,
                "both_detected": self.both_detected,
                "csf_only_detected": self.csf_only_detected,
                "plasma_only_detected": self.plasma_only_detected,
                "neither_detected": self.neither_detected,
            },
            "mcnemar_p": None if self.mcnemar is None else self.mcnemar.p_value,
            "mcnemar_method": None if self.mcnemar is None else self.mcnemar.method,
        }


@dataclass(frozen=True, slots=True)
class ComparisonResult:
    """Everything ``leptodx ctdna compare`` reports."""

    patients: tuple[PatientComparison, ...]
    cohort: CohortSummary
    warnings: tuple[str, ...]
    sources: tuple[Source, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "patients": [p.to_dict() for p in self.patients],
            "cohort": self.cohort.to_dict(),
            "pairing": PAIRING_RULE,
            "actionable_table": {"version": ACTIONABLE_VERSION, "review_date": REVIEW_DATE},
            "sources": [s.as_dict() for s in self.sources],
            "warnings": list(self.warnings),
            "notice": NOTICE,
        }


def _index_samples(
    samples: Sequence[Sample],
) -> tuple[Sample | None, Sample | None, tuple[Sample, ...]]:
    csf = [s for s in samples if s.sample_type is SampleType.CSF]
    plasma = [s for s in samples if s.sample_type is SampleType.PLASMA]
    chosen_csf: Sample | None
    chosen_plasma: Sample | None
    if csf and plasma:
        chosen_csf, chosen_plasma = min(
            ((c, p) for c in csf for p in plasma),
            key=lambda cp: (
                abs((cp[0].sample_date - cp[1].sample_date).days),
                -max(cp[0].sample_date, cp[1].sample_date).toordinal(),
                -min(cp[0].sample_date, cp[1].sample_date).toordinal(),
            ),
        )
    else:
        chosen_csf = max(csf, key=lambda s: s.sample_date) if csf else None
        chosen_plasma = max(plasma, key=lambda s: s.sample_date) if plasma else None
    unused = tuple(s for s in samples if s is not chosen_csf and s is not chosen_plasma)
    return chosen_csf, chosen_plasma, unused


def _compare_patient(patient_id: str, samples: Sequence[Sample]) -> PatientComparison:
    csf, plasma, unused = _index_samples(samples)
    by_key: dict[tuple[str, str], dict[SampleType, Call]] = {}
    for sample in (csf, plasma):
        if sample is None:
            continue
        for call in sample.calls:
            by_key.setdefault(call.alteration.key, {})[sample.sample_type] = call
    alterations: list[ComparedAlteration] = []
    actionable: list[ActionableMatch] = []
    for key in sorted(by_key):
        found = by_key[key]
        alteration = next(iter(found.values())).alteration
        alterations.append(
            ComparedAlteration(alteration, found.get(SampleType.CSF), found.get(SampleType.PLASMA))
        )
        types = tuple(st for st in SampleType if st in found)
        actionable.extend(
            ActionableMatch(alteration, types, entry)
            for entry in actionable_matches(alteration.gene, alteration.change)
        )
    return PatientComparison(patient_id, csf, plasma, tuple(alterations), unused, tuple(actionable))


def _rate(detected: int, tested: int, level: float) -> Proportion | None:
    return wilson_ci(detected, tested, level=level) if tested else None


def compare_samples(samples: Iterable[Sample], *, level: float = 0.95) -> ComparisonResult:
    """Per-patient CSF/plasma comparison and cohort detection rates (Wilson CI, exact McNemar)."""
    by_patient: dict[str, list[Sample]] = {}
    for sample in samples:
        by_patient.setdefault(sample.patient_id, []).append(sample)
    patients = tuple(_compare_patient(pid, group) for pid, group in by_patient.items())

    warnings: list[str] = [VALIDATION_NOTE]
    csf_tested = [p for p in patients if p.csf is not None]
    plasma_tested = [p for p in patients if p.plasma is not None]
    paired = [p for p in patients if p.paired]
    counts = {(a, b): 0 for a in (True, False) for b in (True, False)}
    for p in paired:
        assert p.csf is not None and p.plasma is not None
        counts[(p.csf.detected, p.plasma.detected)] += 1
    cohort = CohortSummary(
        _rate(sum(p.csf.detected for p in csf_tested if p.csf), len(csf_tested), level),
        _rate(sum(p.plasma.detected for p in plasma_tested if p.plasma), len(plasma_tested), level),
        counts[(True, True)],
        counts[(True, False)],
        counts[(False, True)],
        counts[(False, False)],
        mcnemar_exact(counts[(True, False)], counts[(False, True)]) if paired else None,
    )

    for p in patients:
        if not p.paired:
            only = "CSF" if p.csf is not None else "plasma"
            warnings.append(
                f"patient {p.patient_id}: {only} sample only; counted in the {only} detection "
                "rate, not in the paired comparison or the McNemar test"
            )
        if p.samples_not_used:
            warnings.append(
                f"patient {p.patient_id}: {len(p.samples_not_used)} further sample(s) not used "
                f"({PAIRING_RULE})"
            )
        for a in p.alterations:
            for call in (a.csf, a.plasma):
                if call is not None and call.vaf is None:
                    warnings.append(
                        f"patient {p.patient_id}: no VAF reported for {a.alteration.label} "
                        f"(row {call.row}); counted as detected"
                    )
                elif call is not None and call.vaf == 0.0:
                    warnings.append(
                        f"patient {p.patient_id}: VAF 0 reported for {a.alteration.label} "
                        f"(row {call.row}); counted as detected because the row lists it"
                    )
    if not paired:
        warnings.append("no patient has both a CSF and a plasma sample: McNemar test not done")
    for name, rate in (
        ("CSF", cohort.detection_rate_csf),
        ("plasma", cohort.detection_rate_plasma),
    ):
        if rate is None:
            warnings.append(f"no {name} samples: {name} detection rate not available")

    sources: list[Source] = []
    for p in patients:
        for m in p.actionable:
            if m.entry.source not in sources:
                sources.append(m.entry.source)
    sources.append(SNO_ASCO_2024)
    return ComparisonResult(patients, cohort, tuple(warnings), tuple(sources))
