"""Gao et al. 2022 diagnostic models A and B: specification and reported performance only.

Coefficients, intercepts, final variables, predictor definitions, units and cut-points are NOT
AVAILABLE (``prediction-models.md §PM-2``) and are therefore absent here by design.
"""

from __future__ import annotations

from dataclasses import dataclass

from leptodx.reference.citation import Source, Status

GAO_2022 = Source(
    key="Gao2022",
    citation=(
        "Gao T, Chen F, Li M. Development of two diagnostic prediction models for leptomeningeal "
        "metastasis in patients with solid tumors. Front Neurol 2022;13:899153"
    ),
    pack="prediction-models.md §PM-1",
    status=Status.VERIFIED,
    url="https://doi.org/10.3389/fneur.2022.899153",
)
EDITORIAL_MODEL_B = Source(
    key="SeedEditorial-GaoB",
    citation="Seed editorial (Frontiers in Neurology Research Topic): B = A + CSF protein, glucose",
    pack="prediction-models.md §PM-1",
    status=Status.SECONDARY,
)


@dataclass(frozen=True, slots=True)
class ReportedAuc:
    """An AUC as reported in the source (``None`` = NOT AVAILABLE)."""

    value: float
    ci_low: float | None
    ci_high: float | None
    comparator: str | None
    comparator_auc: float | None
    p_value: float | None
    note: str
    source: Source = GAO_2022


MODEL_A_PREDICTORS = (
    "skull metastasis",
    "active brain metastasis",
    "progressed extracranial disease",
    "number of extracranial organs involved",
    "number of symptoms",
)
MODEL_B_EXTRA_PREDICTORS = ("CSF protein", "CSF glucose")

MODEL_A_COHORT = (
    "All patients with a solid tumour and clinical suspicion of LM admitted January 2005 - "
    "December 2021, Department of Oncology, Second Affiliated Hospital of Dalian Medical "
    "University (retrospective); n = 206"
)
MODEL_B_COHORT = (
    "Subset of the model A cohort who had a lumbar puncture for cytology and biochemistry; "
    "n = 152 of 206 (a selected subset: applies only to patients who had an LP)"
)
OUTCOME = "clinical diagnosis of LM (operational definition NOT AVAILABLE)"
METHOD = (
    "logistic LASSO for selection and fitting; calibration curve and concordance index; internal "
    "validation by n-fold cross-validation; decision curve and interventions-avoided analysis"
)

MODEL_A_AUC = ReportedAuc(
    0.812,
    0.751,
    0.874,
    "first MRI",
    0.743,
    0.087,
    "comparison test not named; cross-validated c-index 0.810 (lower 95 % "
    "bound 0.670, upper NOT AVAILABLE)",
)
MODEL_B_AUC = ReportedAuc(
    0.901,
    0.852,
    0.949,
    "first LP",
    0.800,
    0.010,
    "comparison test not named; cross-validated c-index NOT AVAILABLE",
)
