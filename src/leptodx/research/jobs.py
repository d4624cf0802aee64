"""Whole research runs that write an output directory: shared by the CLI and web cohort jobs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from leptodx.jsonsafe import json_safe
from leptodx.models.fitted import FittedModel
from leptodx.research.develop import Development, DevelopOptions


def develop_to(
    file: Path, options: DevelopOptions, out: Path, *, advance: Callable[[], None], pdf: bool = True
) -> tuple[Development, FittedModel]:
    """Run ``develop`` and write model.json, results.json, report.html (and .pdf) and figures."""
    from leptodx.cohort.io import write_bytes_atomic
    from leptodx.reports.document import write_report
    from leptodx.research.develop import fitted_model, run_develop
    from leptodx.research.develop_report import develop_report

    dev = run_develop(file, options, advance=advance)
    model = fitted_model(dev).sealed()
    model.save(out / "model.json")
    results = {
        "model": model.metrics,
        "calibration": dev.calibration,
        "comparisons": dev.comparisons,
        "selected": dev.selected,
        "decision_curve": {
            "thresholds": dev.decision.thresholds,
            "net_benefit": dev.decision.net_benefit,
            "interventions_avoided_per_100": dev.decision.interventions_avoided_per_100,
        },
        "content_hash": model.content_hash,
        "synthetic": dev.cohort.synthetic,
    }
    text = json.dumps(json_safe(results), indent=2)
    write_bytes_atomic(out / "results.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    write_report(develop_report(dev, out, model.content_hash), out, pdf=pdf)
    return dev, model
