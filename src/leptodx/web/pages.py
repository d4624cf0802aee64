"""Server-rendered pages (Jinja2): start page, case entry, assessment, admin, cohort analyses.

Who may open each page is decided by :data:`leptodx.web.policy.POLICY` (one dependency on every
route); handlers only fetch, validate and render.
"""

from __future__ import annotations

from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from leptodx import __version__
from leptodx.clinical.assess import CONTRACT_VERSION, assess_record
from leptodx.domain.patient import parse_patient
from leptodx.errors import InputError
from leptodx.presentation.assessment import present
from leptodx.store import crud
from leptodx.store.models import FittedModelRecord, User
from leptodx.web import case_view, forms
from leptodx.web.deps import MAX_ID, CurrentUser, SessionDep, SettingsDep
from leptodx.web.messages import readable
from leptodx.web.policy import permits
from leptodx.web.templating import render, templates

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(
    request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    patients = (
        crud.list_patients(db, user=user, teams_enabled=settings.teams_enabled)
        if permits(user.role, "GET", "/api/v1/patients")
        else []
    )
    db.commit()
    return render(request, "home.html", patients=patients)


@router.get("/cases/new")
def new_case(
    request: Request,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    patient_id: str = "",
    from_case: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """The case form, empty or pre-filled from a stored case the user may see (e.g. the record
    the CDS Hooks service read from the EHR: its card links here to add missing findings)."""
    values: dict[str, str] = {"patient_id": patient_id[:200]}
    checked: list[str] = []
    prefilled = None
    if from_case is not None:
        case = crud.get_case(db, user=user, case_id=from_case, teams_enabled=settings.teams_enabled)
        if case is None:
            raise HTTPException(404, f"case {from_case} not found")
        values, checked = forms.from_input(case.input)
        values.setdefault("patient_id", case.patient.external_id)
        prefilled = case.id
        db.commit()
    return render(
        request,
        "case_form.html",
        values=values,
        checked=checked,
        errors={},
        summary=None,
        prefilled=prefilled,
    )


@router.post("/cases/new")
async def submit_case(
    request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "symptoms"}
    symptoms = [str(s) for s in form.getlist("symptoms")]
    try:
        external = values.get("patient_id", "").strip()
        if not 1 <= len(external) <= 200:
            raise InputError("patient_id", external, "a patient identifier of 1 to 200 characters")
        data = forms.to_input(values, symptoms)
        result = assess_record(data, profile=values.get("profile") or None)
    except InputError as exc:
        return render(
            request,
            "case_form.html",
            422,
            values=values,
            checked=symptoms,
            errors={forms.field_name(exc.field): readable(exc)},
            summary=readable(exc),
        )
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
async def check_case(request: Request, user: CurrentUser) -> HTMLResponse:
    """htmx: validate the form so far and return the first problem (missing fields are not yet
    problems while the form is being filled)."""
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "symptoms"}
    try:
        parse_patient(forms.to_input(values, [str(s) for s in form.getlist("symptoms")]))
    except InputError as exc:
        if exc.value is not None and exc.value != "":
            return HTMLResponse(f'<p class="error">{escape(readable(exc))}</p>')
    return HTMLResponse("")


@router.get("/cases/{case_id}")
def case_page(
    case_id: int, request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    return render(request, "case.html", **_case_context(case_id, user, db, settings))


@router.get("/cases/{case_id}/assessment.pdf")
def case_pdf(
    case_id: int,
    request: Request,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    download: bool = True,
) -> Response:
    """The assessment page as a tagged PDF (the print layout; same content, same sources)."""
    context = _case_context(case_id, user, db, settings)
    html = templates.get_template("case.html").render(
        {**context, "request": request, "user": user, "csrf": "", "printing": True}
    )
    disposition = "attachment" if download else "inline"
    return Response(
        case_view.render_pdf(html),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'{disposition}; filename="leptodx-assessment-{case_id}.pdf"'
        },
    )


def _case_context(
    case_id: int, user: User, db: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    case = crud.get_case(db, user=user, case_id=case_id, teams_enabled=settings.teams_enabled)
    if case is None:  # removed since the policy looked
        raise HTTPException(404, f"case {case_id} not found")
    model_risk = _model_risk(db, case.input)
    author = db.get(User, case.created_by)
    db.commit()
    result, stale = current_result(case.input, case.output)
    blocks = case_view.definitions()
    cited = {s["key"] for s in result["sources"]} if result is not None else set()
    return {
        "case": case,
        "r": result,
        "v": present(result) if result is not None else None,
        "stale": stale,
        "model_risk": model_risk,
        "author": author.username if author is not None else f"user {case.created_by}",
        "assessed_at": case_view.timestamp(case.created_at),
        "inputs": case_view.input_panel(case.input),
        "definitions": blocks,
        "help_sources": case_view.help_sources(blocks, cited),
    }


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
        missing = exc.value is None or exc.value == ""
        error = (
            f"the model needs {exc.field.replace('_', ' ')}, which this case does not record"
            if missing
            else str(exc)
        )
        return {"name": stored.name, "error": error}
    return {
        "name": stored.name,
        "probability": prediction.probability,
        "contributions": prediction.contributions,
        "warnings": prediction.warnings,
    }
