"""Built-in specifications: Gao et al. 2022 models A and B (specification only) and the Pan et al.
2018 points score (``pan2018``, validated as published: :mod:`leptodx.models.score`).

Predictor names are the published ones; the cohort field, type and unit attached to each are
LeptoDx's encoding choices (Gao's definitions, units and scales are NOT AVAILABLE,
``prediction-models.md §PM-2``), and every fitted model records them as the user's choices.
"""

from __future__ import annotations

from pathlib import Path

from leptodx.errors import InputError
from leptodx.models.score import PAN_2018_SCORE, PointsScore
from leptodx.models.spec import (
    ModelSpec,
    Predictor,
    PredictorType,
    ReportedPerformance,
    SpecSource,
    load_spec,
)
from leptodx.reference import gao2022 as g
from leptodx.reference.citation import Source

_FIELD_OF = {
    "skull metastasis": ("skull_metastasis", PredictorType.BINARY, None),
    "active brain metastasis": ("active_brain_metastasis", PredictorType.BINARY, None),
    "progressed extracranial disease": (
        "progressed_extracranial_disease",
        PredictorType.BINARY,
        None,
    ),
    "number of extracranial organs involved": ("n_extracranial_organs", PredictorType.COUNT, None),
    "number of symptoms": ("n_symptoms", PredictorType.COUNT, None),
    "CSF protein": ("csf_protein", PredictorType.CONTINUOUS, "g/L"),
    "CSF glucose": ("csf_glucose", PredictorType.CONTINUOUS, "mmol/L"),
}
_NOT_GAO = (
    "Published coefficients are NOT AVAILABLE: fit this specification on your own cohort. "
    "Predictor definitions, units and scales are encodings chosen by the user, not Gao's."
)


def _source(src: Source) -> SpecSource:
    return SpecSource(citation=src.citation, pack=src.pack, status=src.status.value, url=src.url)


def _predictors(names: tuple[str, ...]) -> tuple[Predictor, ...]:
    return tuple(
        Predictor(name=n, field=_FIELD_OF[n][0], type=_FIELD_OF[n][1], unit=_FIELD_OF[n][2])
        for n in names
    )


def _performance(auc: g.ReportedAuc) -> ReportedPerformance:
    return ReportedPerformance(
        auc=auc.value,
        ci_low=auc.ci_low,
        ci_high=auc.ci_high,
        comparator=auc.comparator,
        comparator_auc=auc.comparator_auc,
        p_value=auc.p_value,
        note=auc.note,
    )


GAO_A = ModelSpec(
    name="gao-a",
    title="Gao 2022 model A (all patients with suspected LM)",
    predictors=_predictors(g.MODEL_A_PREDICTORS),
    cohort=g.MODEL_A_COHORT,
    method=g.METHOD,
    source=_source(g.GAO_2022),
    reported_performance=_performance(g.MODEL_A_AUC),
    coefficients_available=False,
    notes=(_NOT_GAO, f"Outcome: {g.OUTCOME}."),
)
GAO_B = ModelSpec(
    name="gao-b",
    title="Gao 2022 model B (patients who had a lumbar puncture)",
    predictors=_predictors(g.MODEL_A_PREDICTORS + g.MODEL_B_EXTRA_PREDICTORS),
    cohort=g.MODEL_B_COHORT,
    method=g.METHOD,
    source=_source(g.GAO_2022),
    sources=(_source(g.EDITORIAL_MODEL_B),),
    reported_performance=_performance(g.MODEL_B_AUC),
    coefficients_available=False,
    notes=(
        _NOT_GAO,
        f"Outcome: {g.OUTCOME}.",
        "Model B applies only to patients who had an LP; its development cohort was a "
        "selected subset (152 of 206).",
    ),
)
BUILTIN_SPECS = {s.name: s for s in (GAO_A, GAO_B)}
BUILTIN_SCORES: dict[str, PointsScore] = {PAN_2018_SCORE.name: PAN_2018_SCORE}


def resolve_spec(name_or_path: str, *, option: str = "--spec") -> ModelSpec:
    """``gao-a``, ``gao-b`` or the path of a user YAML specification (a model to fit)."""
    if name_or_path in BUILTIN_SCORES:
        raise InputError(
            option,
            name_or_path,
            "a model specification to fit (gao-a, gao-b or a YAML file); "
            f"{name_or_path} is a published points score: use `leptodx validate --spec "
            f"{name_or_path}` or `leptodx compare-models`",
        )
    if name_or_path in BUILTIN_SPECS:
        return BUILTIN_SPECS[name_or_path]
    return load_spec(Path(name_or_path))


def resolve_score(name: str, *, option: str = "--spec") -> PointsScore:
    """A built-in published points score by name."""
    if name not in BUILTIN_SCORES:
        raise InputError(option, name, f"a published points score: {', '.join(BUILTIN_SCORES)}")
    return BUILTIN_SCORES[name]


def resolve_any(name_or_path: str, *, option: str = "--spec") -> ModelSpec | PointsScore:
    """A points score by name, else a model specification (built-in or YAML)."""
    if name_or_path in BUILTIN_SCORES:
        return BUILTIN_SCORES[name_or_path]
    return resolve_spec(name_or_path, option=option)
