"""Server-rendered pages (Jinja2): login, case entry, assessment, patient timeline, admin."""

from __future__ import annotations

import secrets
from html import escape
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from leptodx import DECISION_SUPPORT_NOTICE, __version__
from leptodx.clinical.assess import CONTRACT_VERSION, assess_record
from leptodx.domain.patient import parse_patient
from leptodx.errors import InputError
from leptodx.presentation.assessment import input_line, present, summary_line
from leptodx.presentation.labels import ANALYTE_SHORT
from leptodx.reference.symptoms import SYMPTOMS
from leptodx.store import audit, crud
from leptodx.store.models import AuditEntry, FittedModelRecord, User
from leptodx.web import forms
from leptodx.web.deps import SESSION_COOKIE, SessionDep, SettingsDep, session_data
from leptodx.web.security import csrf_matches, hash_password, verify_password

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
templates.env.globals.update(
    notice=DECISION_SUPPORT_NOTICE,
    version=__version__,
    forms=forms,
    symptoms=SYMPTOMS,
    analyte_labels=ANALYTE_SHORT,
    assessment_line=summary_line,
    input_line=input_line,
)
LOGIN_CSRF = "leptodx_login_csrf"


class LoginRequired(Exception):
    pass


def ui_user(request: Request, db: SessionDep) -> User:
    data = session_data(request)
    user = db.get(User, data.user_id) if data else None
    if user is None or not user.active:
        raise HTTPException(303, headers={"Location": "/login"})
    request.state.csrf = data.csrf if data else ""
    return user


UiUser = Annotated[User, Depends(ui_user)]


def _check_csrf(request: Request, token: str) -> None:
    data = session_data(request)
    if data is None or not csrf_matches(data.csrf, token):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(
        request, name, {"csrf": getattr(request.state, "csrf", ""), **context}, status_code=status
    )


@router.get("/login")
def login_page(request: Request, error: str | None = None) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", login_csrf=token, error=error)
    response.set_cookie(
        LOGIN_CSRF,
        token,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.cookie_secure,
    )
    return response


@router.post("/login")
def login(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()],
) -> Response:
    if not csrf_matches(request.cookies.get(LOGIN_CSRF, ""), csrf_token):
        raise HTTPException(403, "missing or wrong CSRF token; reload the login page")
    client = request.client.host if request.client else "?"
    if not request.app.state.login_limiter.allow(f"{client}:{username}"):
        return render(
            request,
            "login.html",
            429,
            login_csrf=csrf_token,
            error="Too many attempts; wait a minute and try again.",
        )
    user = crud.user_by_name(db, username=username)
    if user is None or not verify_password(user.password_hash, password):
        audit.record(db, actor=username, action="login_failed", entity="user")
        db.commit()
        return render(
            request,
            "login.html",
            401,
            login_csrf=csrf_token,
            error="Unknown user or wrong password.",
        )
    cookie, _ = request.app.state.session_codec.dump(user.id)
    audit.record(db, actor=user.username, action="login", entity="user", entity_id=user.id)
    db.commit()
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        max_age=settings.session_max_age_s,
    )
    response.delete_cookie(LOGIN_CSRF)
    return response


@router.post("/logout")
def logout(
    request: Request, user: UiUser, db: SessionDep, csrf_token: Annotated[str, Form()]
) -> Response:
    _check_csrf(request, csrf_token)
    audit.record(db, actor=user.username, action="logout", entity="user", entity_id=user.id)
    db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(request: Request, user: UiUser, db: SessionDep, settings: SettingsDep) -> HTMLResponse:
    patients = (
        crud.list_patients(db, user=user, teams_enabled=settings.teams_enabled)
        if user.role in ("clinician", "admin")
        else []
    )
    db.commit()
    return render(request, "home.html", user=user, patients=patients)


@router.get("/cases/new")
def new_case(request: Request, user: UiUser, patient_id: str = "") -> HTMLResponse:
    return render(
        request,
        "case_form.html",
        user=user,
        values={"patient_id": patient_id},
        checked=[],
        errors={},
        summary=None,
    )


@router.post("/cases/new")
async def submit_case(
    request: Request, user: UiUser, db: SessionDep, settings: SettingsDep
) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "symptoms"}
    symptoms = [str(s) for s in form.getlist("symptoms")]
    _check_csrf(request, values.get("csrf_token", ""))
    if user.role not in ("clinician", "admin"):
        raise HTTPException(403, "entering cases needs the clinician role")
    try:
        if not values.get("patient_id", "").strip():
            raise InputError("patient_id", "", "a patient identifier")
        data = forms.to_input(values, symptoms)
        result = assess_record(data, profile=values.get("profile") or None)
    except InputError as exc:
        name = forms.field_name(exc.field)
        return render(
            request,
            "case_form.html",
            422,
            user=user,
            values=values,
            checked=symptoms,
            errors={name: str(exc)},
            summary=str(exc),
        )
    external = values["patient_id"].strip()
    patient = next(
        (
            p
            for p in crud.list_patients(db, user=user, teams_enabled=settings.teams_enabled)
            if p.external_id == external
        ),
        None,
    )
    patient = patient or crud.create_patient(db, user=user, external_id=external)
    case = crud.add_case(db, user=user, patient=patient, data=data, result=result)
    db.commit()
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.post("/cases/check")
async def check_case(request: Request, user: UiUser) -> HTMLResponse:
    """htmx: validate the form so far and return the first problem (missing fields are not yet
    problems while the form is being filled)."""
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "symptoms"}
    _check_csrf(request, values.get("csrf_token", ""))
    try:
        parse_patient(forms.to_input(values, [str(s) for s in form.getlist("symptoms")]))
    except InputError as exc:
        if exc.value is not None and exc.value != "":
            return HTMLResponse(f'<p class="error">{escape(str(exc))}</p>')
    return HTMLResponse("")


@router.get("/cases/{case_id}")
def case_page(
    case_id: int, request: Request, user: UiUser, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    case = crud.get_case(db, user=user, case_id=case_id, teams_enabled=settings.teams_enabled)
    if case is None:
        raise HTTPException(404, f"case {case_id} not found")
    model_risk = _model_risk(db, case.input)
    db.commit()
    result, stale = current_result(case.input, case.output)
    view = present(result) if result is not None else None
    return render(
        request, "case.html", user=user, case=case, r=result, v=view, stale=stale,
        model_risk=model_risk,
    )  # fmt: skip


def current_result(
    record: dict[str, Any], stored: dict[str, Any]
) -> tuple[dict[str, Any] | None, str | None]:
    """The stored assessment, or for one stored under an older output contract the record
    re-assessed with the current rules (the stored result stays unchanged), with a note."""
    old = stored.get("contract_version")
    if old == CONTRACT_VERSION:
        return stored, None
    profile = (stored.get("csf") or {}).get("profile")
    try:
        result = assess_record(record, profile=profile)
    except InputError as exc:
        return None, (
            f"This case was stored with output contract {old} by an earlier LeptoDx version and "
            f"its input cannot be assessed under the current input contract ({exc}). Enter the "
            "case again."
        )
    return result, (
        f"This case was stored with output contract {old} by an earlier LeptoDx version. It is "
        f"shown re-assessed with the current rules (LeptoDx {__version__}); the stored result is "
        "kept unchanged in the record."
    )


def _model_risk(db: SessionDep, record: dict[str, Any]) -> dict[str, Any] | None:
    stored = db.scalars(
        select(FittedModelRecord).order_by(FittedModelRecord.id.desc()).limit(1)
    ).first()
    if stored is None:
        return None
    from leptodx.models.fitted import FittedModel

    try:
        prediction = FittedModel.model_validate(stored.document).predict(record)
    except InputError as exc:
        return {"name": stored.name, "error": str(exc)}
    return {
        "name": stored.name,
        "probability": prediction.probability,
        "contributions": prediction.contributions,
        "warnings": prediction.warnings,
    }


def _admin(user: User) -> None:
    if user.role != "admin":
        raise HTTPException(403, "this page needs the admin role")


@router.get("/admin/users")
def admin_users(
    request: Request, user: UiUser, db: SessionDep, error: str | None = None
) -> HTMLResponse:
    _admin(user)
    return render(
        request,
        "admin_users.html",
        user=user,
        users=list(db.scalars(select(User).order_by(User.id))),
        roles=crud.ROLES,
        error=error,
    )


@router.post("/admin/users")
def admin_add_user(
    request: Request,
    user: UiUser,
    db: SessionDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()],
) -> Response:
    _admin(user)
    _check_csrf(request, csrf_token)
    try:
        crud.create_user(db, username=username, password_hash=hash_password(password), role=role)
    except InputError as exc:
        db.rollback()
        return admin_users(request, user, db, error=str(exc))
    db.commit()
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/audit")
def admin_audit(request: Request, user: UiUser, db: SessionDep) -> HTMLResponse:
    _admin(user)
    entries = list(db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(200)))
    return render(request, "admin_audit.html", user=user, entries=entries, check=audit.verify(db))


@router.get("/cohorts")
def cohorts_page(
    request: Request, user: UiUser, db: SessionDep, error: str | None = None
) -> HTMLResponse:
    if user.role not in ("researcher", "admin"):
        raise HTTPException(403, "cohort analyses need the researcher role")
    from leptodx.store.models import CohortJob

    jobs = list(db.scalars(select(CohortJob).order_by(CohortJob.id.desc()).limit(50)))
    running = any(j.status in ("queued", "running") for j in jobs)
    return render(request, "cohorts.html", user=user, jobs=jobs, running=running, error=error)


@router.post("/cohorts")
async def cohorts_submit(request: Request, user: UiUser, db: SessionDep) -> Response:
    from fastapi import UploadFile

    from leptodx.web.cohort_jobs import submit_develop

    form = await request.form()
    _check_csrf(request, str(form.get("csrf_token", "")))
    if user.role not in ("researcher", "admin"):
        raise HTTPException(403, "cohort analyses need the researcher role")
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("file", None, "a cohort file (CSV, TSV, Parquet or Excel)")
        submit_develop(
            request,
            db,
            user,
            upload,
            spec=str(form.get("spec", "gao-a")),
            outcome="lm",
            bootstrap=int(str(form.get("bootstrap", "200")) or 0),
            seed=int(str(form.get("seed", "1")) or 1),
            lasso=form.get("lasso") == "on",
        )
    except (InputError, ValueError) as exc:
        db.rollback()
        return cohorts_page(request, user, db, error=str(exc))
    return RedirectResponse("/cohorts", status_code=303)
