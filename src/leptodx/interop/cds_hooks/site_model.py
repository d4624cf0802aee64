"""A locally validated prediction model for the order cards: risk against the site's threshold.

The site configures a fitted-model file, the ``results.json`` that ``leptodx research validate``
wrote for that model on the site's own cohort, and its decision threshold, which must be a
threshold of that validation's decision curve. The card then shows the patient's model risk
against the threshold — the use Gao's models were built for (sparing needless lumbar punctures
and MRIs) — with the model's net benefit at that threshold from the local validation (Vickers &
Elkin 2006). If the model showed no net benefit there, its risk is not shown. Support only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leptodx.errors import InputError
from leptodx.models.fitted import FittedModel, load_fitted
from leptodx.presentation.numbers import format_number

_QUANTITIES = ("leukocytes", "protein", "glucose", "lactate", "albumin")
_STEP_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class SiteModel:
    """The model, its local decision curve and the site's threshold on it."""

    model: FittedModel
    threshold: float
    net_benefit_model: float
    net_benefit_all: float
    auc: float | None
    synthetic: bool

    @property
    def useful(self) -> bool:
        """Net benefit above both treat-all and treat-none at the threshold (local validation)."""
        return self.net_benefit_model > max(self.net_benefit_all, 0.0)


def load_site_model(model_file: Path, validation_file: Path, threshold: float) -> SiteModel:
    """Load and cross-check the model, its validation results and the threshold (start-up)."""
    model = load_fitted(model_file)
    try:
        results = json.loads(Path(validation_file).read_text(encoding="utf-8"))
        curve = results["decision_curve"]
        thresholds = [float(t) for t in curve["thresholds"]]
        nb_model = [float(v) for v in curve["net_benefit"]["model"]]
        nb_all = [float(v) for v in curve["net_benefit"]["all"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError("cds_model_validation_file", str(validation_file), f"the results.json of `leptodx research validate` ({exc})") from None  # fmt: skip
    if results.get("model_hash") != model.content_hash:
        raise InputError("cds_model_validation_file", str(validation_file), f"the validation of this model ({model.content_hash[:19]}…), not of {str(results.get('model_hash'))[:19]}…")  # fmt: skip
    index = min(range(len(thresholds)), key=lambda i: abs(thresholds[i] - threshold))
    if abs(thresholds[index] - threshold) > _STEP_TOLERANCE:
        shown = f"{format_number(thresholds[0])}–{format_number(thresholds[-1])}"
        raise InputError("cds_decision_threshold", threshold, f"a threshold of the validated decision curve ({shown}, as listed in {validation_file})")  # fmt: skip
    auc = (results.get("auc") or {}).get("auc")
    return SiteModel(model, thresholds[index], nb_model[index], nb_all[index], float(auc) if auc is not None else None, bool(results.get("synthetic")))  # fmt: skip


def predictor_values(record: Mapping[str, Any]) -> dict[str, Any]:
    """The cohort fields a model may use, from an input-contract record (nothing is guessed:
    a field the record does not hold is absent)."""
    out: dict[str, Any] = {}
    for key in ("age_years", "sex", "primary_tumour", "clinical_signs", "mri", "cytology", "biopsy"):  # fmt: skip
        if record.get(key) is not None:
            out[key] = record[key]
    if isinstance(record.get("known_cancer"), bool):
        out["known_cancer"] = int(record["known_cancer"])
    if "symptoms" in record:
        out["n_symptoms"] = len(record["symptoms"])
    for panel in ("csf", "serum"):
        for analyte in _QUANTITIES:
            entry = (record.get(panel) or {}).get(analyte)
            if isinstance(entry, Mapping):
                out[f"{panel}_{analyte}"] = dict(entry)
    return out


def _percent(p: float) -> str:
    return f"{format_number(100 * p, 3)} %"


def support_lines(site: SiteModel, record: Mapping[str, Any]) -> list[str]:
    """What the card says about the model for this patient (Markdown lines)."""
    name = site.model.spec.name
    caution = ["**Validated on synthetic data: not for clinical use.**"] if site.synthetic else []
    values = predictor_values(record)
    missing = [p.name for p in site.model.spec.predictors if values.get(p.field) is None]
    if missing:
        return [*caution, f"Model risk ({name}) not computed: the record does not hold {', '.join(missing)}. Enter them in LeptoDx to see it."]  # fmt: skip
    benefit = f"net benefit {format_number(site.net_benefit_model, 3)} vs {format_number(site.net_benefit_all, 3)} when treating all and 0 when treating none"  # fmt: skip
    if not site.useful:
        return [*caution, f"At the site's decision threshold of {_percent(site.threshold)} the model ({name}) showed no net benefit in local validation ({benefit}): its risk is not shown."]  # fmt: skip
    prediction = site.model.predict(values)
    side = "below" if prediction.probability < site.threshold else "at or above"
    auc = f"AUC {format_number(site.auc, 3)}, " if site.auc is not None else ""
    lines = [
        *caution,
        f"Model risk ({name}): **{_percent(prediction.probability)}**, {side} the site's decision threshold of {_percent(site.threshold)}.",
        f"Local validation ({auc}decision curve at this threshold): {benefit}.",
    ]
    lines += [f"Note: {w}." for w in prediction.warnings]
    return lines
