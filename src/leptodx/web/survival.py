"""Researcher page: survival by EANO–ESMO type (or any group) on an uploaded cohort file."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from leptodx.cohort.table import read_table
from leptodx.errors import InputError
from leptodx.reports.kaplan_meier import km_figure
from leptodx.reports.survival_tables import estimates_csv, summary_csv
from leptodx.research.survival import analyse_survival
from leptodx.web.deps import CurrentUser, SettingsDep
from leptodx.web.templating import render
from leptodx.web.uploads import save_upload, upload_suffix

router = APIRouter(include_in_schema=False)


@router.get("/research/survival")
def survival_form(request: Request, user: CurrentUser) -> HTMLResponse:
    return render(request, "survival.html", values={}, result=None, error=None)


@router.post("/research/survival")
def survival_run(
    request: Request,
    user: CurrentUser,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
    time: Annotated[str, Form(max_length=200)],
    event: Annotated[str, Form(max_length=200)],
    group: Annotated[str, Form(max_length=200)] = "",
    level: Annotated[float, Form(allow_inf_nan=False)] = 0.95,
    ci_band: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    """Kaplan–Meier per group with R survfit's median CI, log-rank test and the figure; the
    figure (PNG, SVG) and tables (CSV) are offered as downloads embedded in the page, so nothing
    of the cohort is kept on the server (docs/decisions/reports-kaplan-meier.md)."""
    values = {"time": time, "event": event, "group": group, "level": level, "ci_band": ci_band}
    try:
        suffix = upload_suffix(file.filename)
        if not 0.5 <= level < 1:
            raise InputError("level", level, "a confidence level between 0.5 and 1")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"cohort{suffix}"
            save_upload(file.file, path, filename=file.filename, settings=settings)
            frame = read_table(path)
        analysis = analyse_survival(
            frame,
            time.strip(),
            event.strip(),
            group.strip() or None,
            level=level,
            options=("time", "event", "group"),
        )
    except InputError as exc:
        return render(request, "survival.html", 422, values=values, result=None, error=str(exc))
    logrank = analysis.logrank
    figure = {
        fmt: km_figure(
            analysis.curves,
            logrank_p=None if logrank is None else logrank.p_value,
            time_label=time.strip(),
            ci_band=ci_band,
            fmt=fmt,
        )
        for fmt in ("png", "svg")
    }
    files = {
        "png": ("image/png", figure["png"]),
        "svg": ("image/svg+xml", figure["svg"]),
        "summary": (CSV, summary_csv(analysis).encode()),
        "estimates": (CSV, estimates_csv(analysis.curves).encode()),
    }
    downloads = {key: _data_uri(media, data) for key, (media, data) in files.items() if len(data) <= EMBED_LIMIT}  # fmt: skip
    too_large = {key: len(data) for key, (_, data) in files.items() if len(data) > EMBED_LIMIT}
    return render(
        request,
        "survival.html",
        values=values,
        result=analysis,
        figure=_data_uri("image/png", figure["png"]),
        downloads=downloads,
        too_large=too_large,
        error=None,
    )


CSV = "text/csv;charset=utf-8"
EMBED_LIMIT = 4 * 1024 * 1024
"""Largest download embedded in the result page (bytes before base64); larger ones (the
per-time estimates or the SVG of a very large cohort) are named with their size instead."""


def _data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64," + base64.b64encode(data).decode("ascii")
