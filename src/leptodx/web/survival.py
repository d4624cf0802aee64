"""Researcher page: survival by EANO–ESMO type (or any group) on an uploaded cohort file."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse

from leptodx.cohort.table import read_table
from leptodx.errors import InputError
from leptodx.research.survival import km_figure_png, survival_analysis
from leptodx.web.cohort_jobs import SUFFIXES
from leptodx.web.ui import UiUser, _check_csrf, render

router = APIRouter(include_in_schema=False)
MAX_BYTES = 200 * 1024 * 1024


def _researcher(user: UiUser) -> None:
    if user.role not in ("researcher", "admin"):
        raise HTTPException(403, "survival analysis needs the researcher role")


@router.get("/research/survival")
def survival_form(request: Request, user: UiUser) -> HTMLResponse:
    _researcher(user)
    return render(request, "survival.html", user=user, values={}, result=None, error=None)


@router.post("/research/survival")
def survival_run(
    request: Request,
    user: UiUser,
    file: Annotated[UploadFile, File()],
    time: Annotated[str, Form()],
    event: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()],
    group: Annotated[str, Form()] = "",
    level: Annotated[float, Form()] = 0.95,
) -> HTMLResponse:
    """Kaplan–Meier per group with R survfit's median CI, log-rank test and the figure."""
    _check_csrf(request, csrf_token)
    _researcher(user)
    values = {"time": time, "event": event, "group": group, "level": level}
    suffix = Path(file.filename or "").suffix.lower()
    try:
        if suffix not in SUFFIXES:
            raise InputError(
                "file", file.filename, f"a cohort file ({', '.join(sorted(SUFFIXES))})"
            )
        if not 0.5 <= level < 1:
            raise InputError("level", level, "a confidence level between 0.5 and 1")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"cohort{suffix}"
            data = file.file.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise InputError("file", file.filename, "a file of at most 200 MB")
            path.write_bytes(data)
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
        return render(
            request, "survival.html", 422, user=user, values=values, result=None, error=str(exc)
        )
    png = km_figure_png(curves, time_label=time)
    figure = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return render(
        request,
        "survival.html",
        user=user,
        values=values,
        result=payload,
        figure=figure,
        error=None,
    )
