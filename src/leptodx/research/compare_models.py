"""``leptodx compare-models``: a model refit, a published score and the EANO–ESMO level side by side.

All tests are compared on the same patients (those every compared test can be computed for):
AUC with DeLong CI, paired DeLong tests between every pair (DeLong 1988; pROC ``roc.test``), and
one decision curve holding the refitted model's risks and the published cut-offs used as rules.
A refitted model is fitted and evaluated on the same patients, so its AUC is apparent
(optimistic); with ``n_boot > 0`` the bootstrap optimism-corrected AUC is reported beside it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from leptodx import stats
from leptodx.errors import InputError
from leptodx.models.score import PointsScore
from leptodx.models.spec import ModelSpec
from leptodx.research import _engine as engine
from leptodx.research import eano_esmo_levels as ee
from leptodx.research.analysis_data import AnalysisData, load_with_every_field
from leptodx.research.develop import DCA_THRESHOLDS
from leptodx.research.score_validation import CutOffResult, cut_off_result

Array = NDArray[np.float64]
FULL_STAGE = 2


@dataclass(frozen=True)
class ComparedTest:
    """One test on the common patients: its values, AUC and rules for the decision curve."""

    name: str
    kind: str
    values: Array
    auc: engine.Auc
    note: str
    rules: dict[str, Array] = field(default_factory=dict)
    corrected_auc: float | None = None
    cut_offs: tuple[CutOffResult, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """One entry of ``tests`` of ``leptodx compare-models``."""
        return {
            "name": self.name,
            "kind": self.kind,
            "auc": self.auc.auc,
            "auc_ci": list(self.auc.ci),
            "auc_method": "DeLong",
            "optimism_corrected_auc": self.corrected_auc,
            "note": self.note,
            "cut_offs": [c.to_dict() for c in self.cut_offs],
        }


@dataclass(frozen=True)
class PairedTest:
    """Paired DeLong test of two compared tests on the same patients (pROC ``roc.test``)."""

    test_1: str
    test_2: str
    auc_1: float
    auc_2: float
    difference: float
    difference_ci: tuple[float, float]
    z: float
    p_value: float
    method: str = "paired DeLong test (pROC roc.test, paired)"

    def to_dict(self) -> dict[str, Any]:
        """One entry of ``comparisons`` of ``leptodx compare-models``."""
        return {
            "test_1": self.test_1,
            "test_2": self.test_2,
            "auc_1": self.auc_1,
            "auc_2": self.auc_2,
            "difference": self.difference,
            "difference_ci": list(self.difference_ci),
            "z": self.z,
            "p_value": self.p_value,
            "method": self.method,
        }


@dataclass(frozen=True)
class ModelComparison:
    cohort: AnalysisData
    outcome: str
    y: Array
    n_excluded: dict[str, int]
    tests: list[ComparedTest]
    pairs: list[PairedTest]
    decision: engine.Decision
    roc: dict[str, tuple[Array, Array]]
    eano_categories: list[ee.CategoryCount]
    warnings: list[str]
    sources: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": Path(self.cohort.file).name,
            "synthetic": self.cohort.synthetic,
            "outcome": self.outcome,
            "n": int(self.y.size),
            "n_events": int(self.y.sum()),
            "n_read": self.cohort.n_read,
            "excluded": self.n_excluded,
            "tests": [t.to_dict() for t in self.tests],
            "comparisons": [p.to_dict() for p in self.pairs],
            "eano_esmo_categories": [r.to_dict() for r in self.eano_categories],
            "decision_curve": {
                "thresholds": self.decision.thresholds,
                "net_benefit": self.decision.net_benefit,
            },
            "warnings": self.warnings,
            "sources": self.sources,
        }


def _model_rows(spec: ModelSpec, data: Any) -> tuple[Array, NDArray[np.bool_]]:
    x = spec.design_matrix(data)
    complete = np.asarray(np.isfinite(x).all(axis=1), dtype=np.bool_)
    return x, complete


def run_compare(
    path: Path,
    specs: list[ModelSpec | PointsScore],
    *,
    eano_esmo: bool,
    outcome: str = "lm",
    mapping: Path | None = None,
    drop_invalid: bool = False,
    level: float = 0.95,
    n_boot: int = 200,
    seed: int = 1,
) -> ModelComparison:
    """Compare ``specs`` (refit or published score) and optionally the EANO–ESMO level."""
    if len(specs) + int(eano_esmo) < 2:
        raise InputError(
            "--spec/--eano-esmo",
            [getattr(s, "name", "") for s in specs],
            "at least two tests to compare",
        )
    cohort = load_with_every_field(
        path, outcome=outcome, mapping=mapping, drop_invalid=drop_invalid
    )
    data = cohort.data
    y_all = data[outcome].to_numpy(dtype=float)
    available: dict[str, NDArray[np.bool_]] = {}
    inputs: dict[str, Any] = {}
    for spec in specs:
        if isinstance(spec, PointsScore):
            score = spec.stage_scores(data)[FULL_STAGE]
            inputs[spec.name] = score
            available[spec.name] = ~np.isnan(score)
        else:
            x, rows = _model_rows(spec, data)
            inputs[spec.name] = x
            available[spec.name] = rows
    levels = ee.classify_cohort(data) if eano_esmo else None
    common = (
        np.all(np.column_stack(list(available.values())), axis=1)
        if available
        else np.ones(len(data), bool)
    )
    n_excluded = {name: int((~rows).sum()) for name, rows in available.items()}
    y = y_all[common]
    if common.sum() < 10 or len(np.unique(y)) < 2:
        raise InputError(
            "FILE",
            f"{int(common.sum())} patients with every compared test",
            "at least 10 with both outcomes",
        )
    tests = [
        _compared(spec, inputs[spec.name][common], y, level=level, n_boot=n_boot, seed=seed)
        for spec in specs
    ]
    if levels is not None:
        rank = levels.rank[common]
        tests.append(
            ComparedTest(
                "EANO–ESMO level",
                "ordinal level (guideline classification)",
                rank,
                engine.auc(y, rank, level=level),
                "no level < lack of evidence < possible < probable < confirmed; patients without a "
                "level are their own (lowest) category",
                {name: (rank >= k).astype(float) for name, k in ee.RULES.items()},
            )
        )
    pairs = [_paired(a, b, y, level=level) for a, b in itertools.combinations(tests, 2)]
    curves: dict[str, Array] = {}
    for t in tests:
        if t.kind == "refitted model":
            curves[t.name] = t.values
        curves.update(t.rules)
    warnings = _warnings(specs, levels, common)
    sources = [s.source.citation for s in specs]
    if levels is not None:
        from leptodx.reference.eano_esmo import GUIDELINE, RULESET_VERSION

        sources.append(f"{GUIDELINE}; rule-set {RULESET_VERSION}")
    return ModelComparison(
        cohort=cohort,
        outcome=outcome,
        y=y,
        n_excluded=n_excluded,
        tests=tests,
        pairs=pairs,
        decision=engine.decision(y, curves, DCA_THRESHOLDS),
        roc={t.name: engine.roc_points(y, t.values) for t in tests},
        eano_categories=ee.category_table(levels, y_all, common) if levels is not None else [],
        warnings=warnings,
        sources=sources,
    )


def _compared(
    spec: ModelSpec | PointsScore, values: Array, y: Array, *, level: float, n_boot: int, seed: int
) -> ComparedTest:
    if isinstance(spec, PointsScore):
        cuts = [c for c in spec.cut_offs if c.stage == FULL_STAGE]
        return ComparedTest(
            f"{spec.name} score",
            "published points score (stage 2, after CSF)",
            values,
            engine.auc(y, values, level=level),
            "published points and cut-offs; LeptoDx mapping of inputs RECONSTRUCTED",
            {f"{spec.name} ≥ {c.at_least}": (values >= c.at_least).astype(float) for c in cuts},
            cut_offs=tuple(cut_off_result(y, values, c, level=level) for c in cuts),
        )
    from leptodx.research.develop import _procedure

    names = [p.name for p in spec.predictors]
    fit = engine.fit_logistic(values, y, names)
    risk = fit.predict_proba(values)
    corrected = None
    if n_boot > 0:
        boot = engine.bootstrap(
            _procedure(names, lasso=False, seed=seed),
            values,
            y,
            n_boot=n_boot,
            seed=seed,
            advance=lambda: None,
        )
        corrected = boot.corrected["auc"]
    return ComparedTest(
        f"{spec.name} refit",
        "refitted model",
        risk,
        engine.auc(y, risk, level=level),
        "logistic regression fitted and evaluated on these patients (apparent AUC is optimistic"
        + (f"; bootstrap optimism-corrected AUC with B = {n_boot}" if n_boot else "")
        + "); published coefficients NOT AVAILABLE",
        corrected_auc=corrected,
    )


def _paired(a: ComparedTest, b: ComparedTest, y: Array, *, level: float) -> PairedTest:
    r = stats.compare_auc(y, a.values, b.values, level=level)
    return PairedTest(
        a.name,
        b.name,
        float(r.auc1),
        float(r.auc2),
        float(r.difference),
        (float(r.ci[0]), float(r.ci[1])),
        float(r.z),
        float(r.p_value),
    )


def _warnings(
    specs: list[ModelSpec | PointsScore], levels: ee.LevelColumn | None, common: NDArray[np.bool_]
) -> list[str]:
    out = (
        [
            f"{int((~common).sum())} patients lacked an input of at least one compared test and were left out of every comparison."
        ]
        if (~common).any()
        else []
    )
    if any(isinstance(s, ModelSpec) for s in specs):
        out.append("A refitted model's AUC on its own development data is optimistic.")
    if any(isinstance(s, PointsScore) for s in specs):
        out.append(
            "The Pan 2018 score is applied through a RECONSTRUCTED mapping of LeptoDx inputs."
        )
    if levels is not None and levels.reconstructed[common].any():
        out.append(
            f"{int(levels.reconstructed[common].sum())} of the compared patients' EANO–ESMO levels "
            "came from reconstructed cells of the decision table (eano-esmo.md §EE-4)."
        )
    return out
