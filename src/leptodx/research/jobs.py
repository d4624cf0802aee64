"""Whole research runs that write an output directory: shared by the CLI and web cohort jobs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leptodx.jsonsafe import json_safe
from leptodx.models.fitted import FittedModel
from leptodx.research.develop import Development, DevelopOptions


def develop_to(
    file: Path,
    options: DevelopOptions,
    out: Path,
    *,
    advance: Callable[[], None],
    pdf: bool = True,
    save_imputations: Path | None = None,
    replicates: Any = None,
) -> tuple[Development, FittedModel]:
    """Run ``develop`` and write model.json, results.json, report.html (and .pdf) and figures.

    With ``save_imputations`` (and ``options.imputation``) the imputed datasets go there too;
    ``replicates``: where the bootstrap replicates run (e.g. a Dask runner's).
    """
    from leptodx.cohort.io import write_bytes_atomic
    from leptodx.reports.document import write_report
    from leptodx.research.develop import fitted_model, run_develop
    from leptodx.research.develop_report import develop_report

    dev = run_develop(file, options, advance=advance, replicates=replicates)
    if save_imputations is not None and dev.imputation is not None:
        from leptodx.research.imputation_files import save_imputations as save

        save(dev.imputation.design, dev.cohort, options.spec, save_imputations)
    model = fitted_model(dev).sealed()
    model.save(out / "model.json")
    text = json.dumps(json_safe(dev.to_dict(model)), indent=2)
    write_bytes_atomic(out / "results.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    write_report(develop_report(dev, out, model.content_hash), out, pdf=pdf)
    return dev, model
