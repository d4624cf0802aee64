"""The cohort analyses page: upload a cohort file, start ``develop``, follow the jobs.

The form posts ``multipart/form-data``; Starlette's form parser hands over
:class:`starlette.datastructures.UploadFile` objects (FastAPI's ``UploadFile`` is a subclass used
only for parameter declarations), so the upload is recognised by the Starlette class.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from leptodx.errors import InputError
from leptodx.store import research
from leptodx.web.cohort_jobs import submit_develop
from leptodx.web.deps import CurrentUser, SessionDep, SettingsDep
from leptodx.web.messages import readable
from leptodx.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/cohorts")
def cohorts_page(
    request: Request,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    error: str | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    jobs = research.list_jobs(db, user=user, teams_enabled=settings.teams_enabled)
    running = any(j.status in ("queued", "running") for j in jobs)
    return render(
        request,
        "cohorts.html",
        422 if error else 200,
        jobs=jobs,
        running=running,
        error=error,
        values=values or {},
    )


@router.post("/cohorts")
async def cohorts_submit(
    request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> Response:
    form = await request.form()
    upload = form.get("file")
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("file", None, "a cohort file (CSV, TSV, Parquet or Excel)")
        submit_develop(
            request,
            db,
            user,
            upload,
            spec=values.get("spec", "gao-a"),
            outcome="lm",
            bootstrap=form_int(values.get("bootstrap"), "bootstrap", 200),
            seed=form_int(values.get("seed"), "seed", 1),
            lasso=values.get("lasso") == "on",
        )
    except InputError as exc:
        db.rollback()
        return cohorts_page(request, user, db, settings, error=readable(exc), values=values)
    return RedirectResponse("/cohorts", status_code=303)


def form_int(raw: str | None, name: str, default: int) -> int:
    """A whole number typed into a form field (empty: ``default``)."""
    text = (raw or "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        raise InputError(name, text, "a whole number")
    return int(text)
