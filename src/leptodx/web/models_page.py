"""Researcher page for fitted models: upload a ``model.json`` (or take a finished cohort job's),
see the stored models, and which one the assessment pages score under "Model risk".

The API route ``POST /api/v1/models`` stores through the same :func:`store_fitted_model`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from leptodx.errors import InputError
from leptodx.store import research
from leptodx.store.models import FittedModelRecord, User
from leptodx.web.case_view import timestamp
from leptodx.web.deps import CurrentUser, SessionDep, SettingsDep
from leptodx.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_MODEL_BYTES = 5 * 1024 * 1024
"""A fitted-model file is a few kilobytes; anything much larger is not one."""


def store_fitted_model(db: Session, user: User, document: Any) -> FittedModelRecord:
    """Check a fitted-model document (schema and content hash) and store it (audited)."""
    from leptodx.models.fitted import FittedModel

    if not isinstance(document, dict):
        raise InputError("model", type(document).__name__, "a LeptoDx fitted-model document")
    try:
        model = FittedModel.model_validate(document)
    except ValueError as exc:
        raise InputError(
            "model", "(document)", f"a LeptoDx fitted-model document ({exc})"
        ) from None
    if model.content_hash != model.compute_hash():
        raise InputError(
            "model.content_hash", model.content_hash, "the hash of the unmodified document"
        )
    return research.add_fitted_model(
        db, user=user, name=model.spec.name, content_hash=model.content_hash, document=document
    )


def _rows(db: Session) -> list[dict[str, Any]]:
    records = db.scalars(select(FittedModelRecord).order_by(FittedModelRecord.id.desc()))
    users = {u.id: u.username for u in db.scalars(select(User))}
    rows = []
    for record in records:
        doc = record.document
        training = doc.get("training") or {}
        predictors = (doc.get("spec") or {}).get("predictors") or []
        rows.append(
            {
                "id": record.id,
                "name": record.name,
                "hash": record.content_hash[:12],
                "method": doc.get("method", ""),
                "predictors": ", ".join(str(p.get("name", p.get("field", ""))) for p in predictors),
                "training": f"n = {training.get('n', '?')}, events = {training.get('n_events', '?')}"
                + (" (synthetic data)" if training.get("synthetic") else ""),
                "by": users.get(record.uploaded_by, f"user {record.uploaded_by}"),
                "at": timestamp(record.created_at),
            }
        )
    return rows


@router.get("/research/models")
def models_page(
    request: Request,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    error: str | None = None,
    added: int | None = None,
) -> HTMLResponse:
    jobs = [
        j
        for j in research.list_jobs(db, user=user, teams_enabled=settings.teams_enabled)
        if j.status == "done" and j.result_path is not None
    ]
    return render(
        request,
        "models.html",
        422 if error else 200,
        models=_rows(db),
        jobs=jobs,
        error=error,
        added=added,
    )


@router.post("/research/models")
async def models_upload(
    request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> Response:
    form = await request.form()
    upload, job_field = form.get("file"), str(form.get("job_id") or "").strip()
    try:
        if isinstance(upload, UploadFile) and upload.filename:
            document = _read_upload(upload)
        elif job_field:
            document = _job_model(db, user, job_field, settings.teams_enabled)
        else:
            raise InputError("file", None, "a model.json file or a finished cohort job")
        record = store_fitted_model(db, user, document)
    except InputError as exc:
        db.rollback()
        return models_page(request, user, db, settings, error=str(exc))
    db.commit()
    return RedirectResponse(f"/research/models?added={record.id}", status_code=303)


def _read_upload(upload: UploadFile) -> Any:
    """The uploaded JSON (Starlette's UploadFile: the class a form field holds)."""
    raw = upload.file.read(MAX_MODEL_BYTES + 1)
    name = (upload.filename or "")[:200]
    if len(raw) > MAX_MODEL_BYTES:
        raise InputError("file", name, f"a fitted-model file of at most {MAX_MODEL_BYTES:,} bytes")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InputError(
            "file", name, "a JSON fitted-model file (model.json written by leptodx develop)"
        ) from None


def _job_model(db: Session, user: User, raw: str, teams: bool) -> Any:
    job = (
        research.get_job(db, user=user, job_id=int(raw), teams_enabled=teams)
        if raw.isascii() and raw.isdigit() and len(raw) <= 9
        else None
    )
    if job is None or job.status != "done" or job.result_path is None:
        raise InputError("job_id", raw[:20], "a finished cohort job of yours or your team's")
    return json.loads((Path(job.result_path) / "model.json").read_text(encoding="utf-8"))
