"""Follow-up in the web app: events API, the patient page's timeline figure and event form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from leptodx.errors import InputError
from leptodx.followup.events import EVENT_KINDS, Timeline, parse_event, parse_timeline
from leptodx.followup.summary import followup_summary
from leptodx.store import crud
from leptodx.store.models import Patient, User
from leptodx.web.deps import ClinicianUser, SessionDep, SettingsDep
from leptodx.web.ui import UiUser, _check_csrf, render

api = APIRouter(prefix="/api/v1", tags=["follow-up"])
ui = APIRouter(include_in_schema=False)


def _patient(db: SessionDep, user: User, patient_id: int, teams: bool) -> Patient:
    patient = crud.get_patient(db, user=user, patient_id=patient_id, teams_enabled=teams)
    if patient is None:
        raise HTTPException(404, f"patient {patient_id} not found")
    return patient


def timeline_of(db: SessionDep, patient: Patient) -> Timeline:
    """The stored events of a patient as a validated timeline."""
    events = [e.data for e in crud.list_events(db, patient=patient)]
    return parse_timeline({"patient_id": patient.external_id, "events": events})


@api.get("/patients/{patient_id}/followup")
def get_followup(
    patient_id: int, user: ClinicianUser, db: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """Events, response history (changes between visits) and CSF/ctDNA trends."""
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    summary = followup_summary(timeline_of(db, patient))
    db.commit()
    return summary


@api.post("/patients/{patient_id}/events", status_code=201)
def post_event(patient_id: int, user: ClinicianUser, db: SessionDep, settings: SettingsDep, event: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:  # fmt: skip
    """Add one follow-up event (see docs/followup.md for the kinds and fields)."""
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    parsed = parse_event(event)
    stored = crud.add_event(
        db, user=user, patient=patient, data=parsed.model_dump(mode="json", exclude_none=True)
    )
    db.commit()
    return {"id": stored.id, **stored.data}


@ui.get("/patients/{patient_id}")
def patient_page(patient_id: int, request: Request, user: UiUser, db: SessionDep, settings: SettingsDep) -> Response:  # fmt: skip
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    return patient_view(request, user, db, patient)


@ui.get("/patients/{patient_id}/timeline.png")
def timeline_png(patient_id: int, user: UiUser, db: SessionDep, settings: SettingsDep) -> Response:
    from leptodx.reports._mpl import figure_bytes, pyplot
    from leptodx.reports.timeline import plot_timeline

    patient = _patient(db, user, patient_id, settings.teams_enabled)
    timeline = timeline_of(db, patient)
    db.commit()
    if not timeline.events:
        raise HTTPException(404, "no follow-up events yet")
    fig = plot_timeline(timeline)
    data = figure_bytes(fig, "png")
    pyplot().close(fig)
    return Response(data, media_type="image/png", headers={"Cache-Control": "no-store"})


def _number(values: dict[str, str], key: str) -> float | None:
    text = values.get(key, "").strip()
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise InputError(key, text, "a number") from None


def event_from_form(values: dict[str, str]) -> dict[str, Any]:
    """The event dict of the patient page's form (only the fields of the chosen kind)."""
    kind = values.get("kind", "")
    event: dict[str, Any] = {"kind": kind, "date": values.get("date", "")}
    if values.get("note", "").strip():
        event["note"] = values["note"].strip()
    pick = {k: v.strip() for k, v in values.items() if v.strip()}
    if kind == "diagnosis":
        event.update({k: pick[k] for k in ("level", "type") if k in pick})
    elif kind == "lumbar_puncture":
        if "cytology" in pick:
            event["cytology"] = pick["cytology"]
        csf = {a: {"value": _number(values, a), "unit": values.get(f"{a}_unit", "")} for a in ("leukocytes", "protein") if pick.get(a)}  # fmt: skip
        if csf:
            event["csf"] = csf
    elif kind == "mri":
        event["pattern"] = pick.get("pattern")
    elif kind == "treatment":
        event.update({k: pick[k] for k in ("modality", "agent", "end") if k in pick})
    elif kind == "ctdna":
        event["sample_type"] = pick.get("sample_type")
        if pick.get("tumour_fraction"):
            event["tumour_fraction"] = _number(values, "tumour_fraction")
        event["alterations"] = [_alteration(line, i) for i, line in enumerate(pick.get("alterations", "").splitlines()) if line.strip()]  # fmt: skip
    elif kind == "response":
        from leptodx.reference.response import LANO_DOMAINS, MRI_ITEMS

        mri: dict[str, Any] = {
            "items": {k: pick[f"item_{k}"] for k in MRI_ITEMS if f"item_{k}" in pick}
        }
        if "overall" in pick:
            mri["overall"] = pick["overall"]
        event["mri"] = mri
        if "cytology" in pick:
            event["cytology"] = pick["cytology"]
        event["neuro"] = {d: int(pick[f"lano_{d}"]) for d in LANO_DOMAINS if f"lano_{d}" in pick}
    return event


def _alteration(line: str, i: int) -> dict[str, Any]:
    parts = line.split()
    if len(parts) not in (2, 3):
        raise InputError(
            f"alterations line {i + 1}", line, "GENE VARIANT [VAF], e.g. EGFR L858R 0.12"
        )
    out: dict[str, Any] = {"gene": parts[0], "variant": parts[1]}
    if len(parts) == 3:
        try:
            out["vaf"] = float(parts[2])
        except ValueError:
            raise InputError(
                f"alterations line {i + 1}", parts[2], "a VAF between 0 and 1"
            ) from None
    return out


@ui.post("/patients/{patient_id}/events")
async def add_event_form(patient_id: int, request: Request, user: UiUser, db: SessionDep, settings: SettingsDep) -> Response:  # fmt: skip
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    _check_csrf(request, values.get("csrf_token", ""))
    if user.role not in ("clinician", "admin"):
        raise HTTPException(403, "adding follow-up events needs the clinician role")
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    try:
        parsed = parse_event(event_from_form(values))
    except InputError as exc:
        return patient_view(request, user, db, patient, error=str(exc), values=values, status=422)
    crud.add_event(
        db, user=user, patient=patient, data=parsed.model_dump(mode="json", exclude_none=True)
    )
    db.commit()
    return RedirectResponse(f"/patients/{patient_id}#followup", status_code=303)


def patient_view(request: Request, user: User, db: SessionDep, patient: Patient, *, error: str | None = None, values: dict[str, str] | None = None, status: int = 200) -> Response:  # fmt: skip
    """The patient page: assessments, follow-up timeline, ctDNA, response history, event form."""
    from leptodx.followup.ctdna import ctdna_comparisons
    from leptodx.reference import response as response_ref

    timeline = timeline_of(db, patient)
    summary = followup_summary(timeline)
    db.commit()
    return render(
        request,
        "patient.html",
        status,
        user=user,
        patient=patient,
        followup=summary,
        ctdna=ctdna_comparisons(timeline),
        kinds=EVENT_KINDS,
        ref=response_ref,
        error=error,
        values=values or {},
    )
