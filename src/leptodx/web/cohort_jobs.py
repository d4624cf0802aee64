"""Cohort uploads that run ``develop`` in the background; progress and report via the API and UI.

One worker thread per process runs jobs in submission order; progress is written to the
``cohort_jobs`` row so any page or API client can follow it.
"""

from __future__ import annotations

import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import UploadFile as StarletteUpload

from leptodx.errors import InputError, LeptoDxError
from leptodx.store import research
from leptodx.store.db import transaction
from leptodx.store.models import CohortJob, User
from leptodx.web.api import Id
from leptodx.web.deps import CurrentUser, SessionDep, SettingsDep
from leptodx.web.jsonbody import StrictJsonRoute
from leptodx.web.uploads import save_upload, upload_suffix

router = APIRouter(prefix="/api/v1/cohorts", route_class=StrictJsonRoute)
log = logging.getLogger("leptodx.web")
SPECS = ("gao-a", "gao-b")
MAX_SEED = 2**32 - 1
REPORT_FILES = ("report.html", "report.pdf", "model.json", "results.json")
MEDIA_TYPES = {".html": "text/html", ".pdf": "application/pdf", ".json": "application/json"}
REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"
"""A stored report shown in the browser: its inline styles and embedded figures, nothing else
(no script, no requests, no forms; sandboxed)."""


def job_dir(data_dir: Path, job_id: int) -> Path:
    return data_dir / "jobs" / str(job_id)


def job_out(job: CohortJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "error": job.error,
        "parameters": job.parameters,
        "created_at": job.created_at.isoformat(),
        "report": f"/api/v1/cohorts/{job.id}/report" if job.status == "done" else None,
    }


def _run(sessions: sessionmaker[Session], job_id: int, source: Path, out: Path) -> None:
    from leptodx.models.builtin import resolve_spec
    from leptodx.research.develop import DevelopOptions
    from leptodx.research.jobs import develop_to
    from leptodx.scale.runner import cluster_runner

    with transaction(sessions) as session:
        job = session.get(CohortJob, job_id)
        assert job is not None
        job.status = "running"
        params = dict(job.parameters)
    n_boot = int(params["bootstrap"])
    done = [0]

    def advance() -> None:
        done[0] += 1
        if done[0] % max(1, n_boot // 20) == 0:
            with transaction(sessions) as s:
                row = s.get(CohortJob, job_id)
                if row is not None:
                    row.progress = min(99, int(100 * done[0] / max(n_boot, 1)))

    try:
        options = DevelopOptions(
            spec=resolve_spec(params["spec"]),
            outcome=params["outcome"],
            lasso=bool(params["lasso"]),
            n_boot=n_boot,
            seed=int(params["seed"]),
        )
        with cluster_runner(None) as cluster:  # LEPTODX_DASK_SCHEDULER, when configured
            replicates = cluster.replicates if cluster is not None else None
            develop_to(source, options, out, advance=advance, pdf=False, replicates=replicates)
        status, error = "done", None
    except LeptoDxError as exc:
        status, error = "failed", str(exc)
    except Exception:  # a job must end in a visible state, never hang as "running"
        reference = secrets.token_hex(6)
        log.exception("cohort job %s failed: internal error %s", job_id, reference)
        status, error = "failed", f"internal error (reference {reference}; it has been logged)"
    with transaction(sessions) as session:
        job = session.get(CohortJob, job_id)
        assert job is not None
        job.status, job.error = status, error
        job.progress = 100 if status == "done" else job.progress
        job.result_path = str(out) if status == "done" else None


def executor(request: Request) -> ThreadPoolExecutor:
    state = request.app.state
    if getattr(state, "job_executor", None) is None:
        state.job_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="leptodx-job")
    return state.job_executor  # type: ignore[no-any-return]


def submit_develop(
    request: Request,
    db: Session,
    user: User,
    upload: StarletteUpload,
    *,
    spec: str,
    outcome: str,
    bootstrap: int,
    seed: int,
    lasso: bool,
) -> CohortJob:
    """Validate the request, store and check the file, queue the job (one transaction)."""
    suffix = upload_suffix(upload.filename)
    if spec not in SPECS:
        raise InputError("spec", spec, f"one of: {', '.join(SPECS)}")
    if outcome != "lm":
        raise InputError("outcome", outcome, "lm (the outcome column of the cohort file)")
    if not 1 <= bootstrap <= 2000:
        raise InputError("bootstrap", bootstrap, "a number of resamples between 1 and 2000")
    if not 0 <= seed <= MAX_SEED:
        raise InputError("seed", seed, f"a whole number between 0 and {MAX_SEED}")
    params = {
        "spec": spec,
        "outcome": outcome,
        "bootstrap": bootstrap,
        "seed": seed,
        "lasso": lasso,
        "filename": (upload.filename or "")[:200],
    }
    settings = request.app.state.settings
    job = research.create_job(db, user=user, kind="develop", parameters=params)
    folder = job_dir(settings.data_dir, job.id)
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"input{suffix}"
    try:
        save_upload(upload.file, source, filename=upload.filename, settings=settings)
    except InputError:
        source.unlink(missing_ok=True)
        folder.rmdir()
        raise
    db.commit()
    executor(request).submit(_run, request.app.state.sessions, job.id, source, folder / "out")
    return job


@router.post("", status_code=202)
def create_job(
    request: Request,
    user: CurrentUser,
    db: SessionDep,
    file: Annotated[UploadFile, File()],
    spec: Annotated[str, Form()] = "gao-a",
    outcome: Annotated[str, Form()] = "lm",
    bootstrap: Annotated[int, Form()] = 200,
    seed: Annotated[int, Form()] = 1,
    lasso: Annotated[bool, Form()] = False,
) -> dict[str, Any]:
    """Upload a cohort and start ``develop`` in the background (202 with the job).

    The file is refused (422) when it has more rows or columns than the service allows
    (``LEPTODX_MAX_UPLOAD_ROWS``, ``LEPTODX_MAX_UPLOAD_COLUMNS``) — checked before reading it.
    """
    return job_out(
        submit_develop(
            request,
            db,
            user,
            file,
            spec=spec,
            outcome=outcome,
            bootstrap=bootstrap,
            seed=seed,
            lasso=lasso,
        )
    )


def _job(db: Session, user: User, job_id: int, teams: bool) -> CohortJob:
    job = research.get_job(db, user=user, job_id=job_id, teams_enabled=teams)
    if job is None:  # removed since the policy looked
        raise HTTPException(404, f"cohort job {job_id} not found")
    return job


@router.get("/{job_id}")
def read_job(job_id: Id, user: CurrentUser, db: SessionDep, settings: SettingsDep) -> dict[str, Any]:  # fmt: skip
    return job_out(_job(db, user, job_id, settings.teams_enabled))


@router.get(
    "/{job_id}/report",
    response_class=FileResponse,
    responses={
        200: {
            "description": "The report or output file.",
            "content": {"text/html": {}, "application/pdf": {}, "application/json": {}},
        },
        409: {"description": "The job is not done yet."},
    },
)
def download_report(
    job_id: Id,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    file: Annotated[str, Query(max_length=20)] = "report.html",
    download: bool = True,
) -> FileResponse:
    """The job's report (``report.html``, ``report.pdf``) or another output (``model.json``,
    ``results.json``); ``download=false`` shows the report in the browser instead of saving it.

    The PDF is made from the HTML report on first request (WeasyPrint, tagged PDF/UA-1) and kept.
    """
    if file not in REPORT_FILES:
        raise InputError("file", file, ", ".join(REPORT_FILES))
    job = _job(db, user, job_id, settings.teams_enabled)
    if job.status != "done" or job.result_path is None:
        raise HTTPException(
            409, f"cohort job {job_id} is {job.status}; the report exists when it is done"
        )
    path = Path(job.result_path) / file
    if file == "report.pdf" and not path.exists():
        report_pdf(path.with_name("report.html"), path)
    media = MEDIA_TYPES[path.suffix]
    headers = {"Content-Security-Policy": REPORT_CSP} if media == "text/html" else None
    return FileResponse(
        path,
        media_type=media,
        filename=f"leptodx-job{job_id}-{file}",
        content_disposition_type="attachment" if download else "inline",
        headers=headers,
    )


def report_pdf(html_path: Path, pdf_path: Path) -> None:
    """Write the HTML report as a tagged PDF (PDF/UA-1) beside it, atomically."""
    from weasyprint import HTML

    from leptodx.cohort.io import write_bytes_atomic

    html = html_path.read_text(encoding="utf-8")
    write_bytes_atomic(
        pdf_path, lambda tmp: HTML(string=html).write_pdf(tmp, pdf_variant="pdf/ua-1")
    )
