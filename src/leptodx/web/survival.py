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
from leptodx.research.survival import km_figure_png, survival_analysis
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
) -> HTMLResponse:
    """Kaplan–Meier per group with R survfit's median CI, log-rank test and the figure."""
    values = {"time": time, "event": event, "group": group, "level": level}
    try:
        suffix = upload_suffix(file.filename)
        if not 0.5 <= level < 1:
            raise InputError("level", level, "a confidence level between 0.5 and 1")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"cohort{suffix}"
            save_upload(file.file, path, filename=file.filename, settings=settings)
            frame = read_table(path)
        payload, curves = survival_analysis(
            frame,
            time.strip(),
            event.strip(),
            group.strip() or None,
            level=level,
            options=("time", "event", "group"),
        )
    except InputError as exc:
        return render(request, "survival.html", 422, values=values, result=None, error=str(exc))
    png = km_figure_png(curves, time_label=time)
    figure = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return render(
        request,
        "survival.html",
        values=values,
        result=payload,
        figure=figure,
        error=None,
    )
