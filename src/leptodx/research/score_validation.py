"""``leptodx validate --spec pan2018``: a published points score validated as is.

For each stage of the score: AUC of the score as an ordinal test with its DeLong CI, sensitivity
and specificity of each published cut-off with Wilson CIs, the score's distribution by outcome,
and decision curves of each cut-off used as a rule ("treat if score ≥ cut-off"). The score has no
published risk per point, so its decision curve is that of the rules, not of a risk model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from leptodx import stats
from leptodx.models.score import PointsScore
from leptodx.research import _engine as engine
from leptodx.research.analysis_data import AnalysisData, load_with_every_field
from leptodx.research.develop import DCA_THRESHOLDS

Array = NDArray[np.float64]
MIN_PATIENTS = 10


@dataclass(frozen=True)
class CutOffResult:
    """One published rule applied to the patients with that stage's score."""

    stage: int
    at_least: int
    meaning: str
    true_positive: int
    false_negative: int
    true_negative: int
    false_positive: int
    sensitivity: Any
    specificity: Any

    @property
    def label(self) -> str:
        return f"stage {self.stage} score ≥ {self.at_least}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "rule": f"score >= {self.at_least}",
            "meaning": self.meaning,
            "true_positive": self.true_positive,
            "false_negative": self.false_negative,
            "true_negative": self.true_negative,
            "false_positive": self.false_positive,
            "sensitivity": self.sensitivity.estimate,
            "sensitivity_ci": list(self.sensitivity.ci),
            "specificity": self.specificity.estimate,
            "specificity_ci": list(self.specificity.ci),
            "ci_method": "Wilson score",
        }


@dataclass(frozen=True)
class StageResult:
    stage: int
    description: str
    n: int
    n_events: int
    n_not_scored: int
    auc: engine.Auc
    cut_offs: tuple[CutOffResult, ...]
    distribution: tuple[tuple[int, int, int], ...]
    """(score, patients with the outcome, patients without)."""
    roc: tuple[Array, Array]
    decision: engine.Decision

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "description": self.description,
            "n": self.n,
            "n_events": self.n_events,
            "n_not_scored": self.n_not_scored,
            "auc": self.auc.auc,
            "auc_ci": list(self.auc.ci),
            "auc_method": "DeLong",
            "cut_offs": [c.to_dict() for c in self.cut_offs],
            "distribution": [
                {"score": s, "with_outcome": a, "without_outcome": b}
                for s, a, b in self.distribution
            ],
            "decision_curve": {
                "thresholds": self.decision.thresholds,
                "net_benefit": self.decision.net_benefit,
            },
        }


@dataclass(frozen=True)
class ScoreValidation:
    score: PointsScore
    cohort: AnalysisData
    outcome: str
    stages: list[StageResult]
    csf_profile: str | None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score.describe(),
            "file": Path(self.cohort.file).name,
            "synthetic": self.cohort.synthetic,
            "outcome": self.outcome,
            "reconstructed": self.score.reconstructed,
            "csf_profile": self.csf_profile,
            "stages": [s.to_dict() for s in self.stages],
            "warnings": self.warnings,
        }


def cut_off_result(y: Array, score: Array, cut: Any, *, level: float) -> CutOffResult:
    """2×2 counts of ``score ≥ cut.at_least`` against ``y`` with Wilson CIs."""
    positive = score >= cut.at_least
    events = y == 1
    tp, fn = int((positive & events).sum()), int((~positive & events).sum())
    tn, fp = int((~positive & ~events).sum()), int((positive & ~events).sum())
    return CutOffResult(
        cut.stage,
        cut.at_least,
        cut.meaning,
        tp,
        fn,
        tn,
        fp,
        stats.wilson_ci(tp, tp + fn, level=level),
        stats.wilson_ci(tn, tn + fp, level=level),
    )


def stage_result(
    score: PointsScore, stage: int, y: Array, values: Array, *, level: float
) -> StageResult:
    """Discrimination, cut-offs, distribution and decision curves of one stage's score."""
    have = ~np.isnan(values)
    ys, vs = y[have], values[have]
    if have.sum() < MIN_PATIENTS or len(np.unique(ys)) < 2:
        raise_not_enough(score, stage, int(have.sum()))
    cuts = tuple(cut_off_result(ys, vs, c, level=level) for c in score.cut_offs if c.stage == stage)
    rules = {c.label: (vs >= c.at_least).astype(float) for c in cuts}
    levels = np.unique(vs).astype(int)
    distribution = tuple(
        (int(s), int(((vs == s) & (ys == 1)).sum()), int(((vs == s) & (ys == 0)).sum()))
        for s in levels
    )
    return StageResult(
        stage,
        score.stages[stage],
        int(have.sum()),
        int(ys.sum()),
        int((~have).sum()),
        engine.auc(ys, vs, level=level),
        cuts,
        distribution,
        engine.roc_points(ys, vs),
        engine.decision(ys, rules, DCA_THRESHOLDS),
    )


def raise_not_enough(score: PointsScore, stage: int, n: int) -> None:
    from leptodx.errors import InputError

    raise InputError(
        "FILE",
        f"{n} patients with a stage-{stage} {score.name} score",
        f"at least {MIN_PATIENTS} scored patients with both outcomes (check the MRI, cytology and "
        "CSF columns the score needs)",
    )


def run_score_validation(
    path: Path,
    score: PointsScore,
    *,
    outcome: str = "lm",
    mapping: Path | None = None,
    drop_invalid: bool = False,
    level: float = 0.95,
    csf_profile: str | None = None,
) -> ScoreValidation:
    """Score every patient of ``path`` and validate each stage of ``score``."""
    from leptodx.clinical.csf import get_profile

    profile = get_profile(csf_profile).name
    cohort = load_with_every_field(
        path, outcome=outcome, mapping=mapping, drop_invalid=drop_invalid
    )
    y = cohort.data[outcome].to_numpy(dtype=float)
    stage_scores = score.stage_scores(cohort.data, csf_profile=profile)
    stages = [stage_result(score, s, y, v, level=level) for s, v in stage_scores.items()]
    warnings = [
        "Applying the score to LeptoDx data uses a RECONSTRUCTED mapping (imaging-feature and "
        "abnormal-biochemistry definitions are NOT AVAILABLE in the source); see the mapping table.",
    ]
    warnings += [
        f"Stage {s.stage}: {s.n_not_scored} patients not scored (an item's input missing or not done)."
        for s in stages
        if s.n_not_scored
    ]
    return ScoreValidation(score, cohort, outcome, stages, profile, warnings)
