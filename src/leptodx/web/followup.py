"""Follow-up in the web app: events API, the patient page's timeline figure and event form.

Events are never deleted: a wrong one is marked entered-in-error (with a reason, audited) and
stops counting in the timeline, the response history and the trends. A future-dated event is
refused when it is written, so reading a patient's follow-up cannot fail on a stored event.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from leptodx.errors import InputError
from leptodx.followup.events import EVENT_KINDS, Timeline, parse_event, parse_timeline
from leptodx.followup.summary import followup_summary
from leptodx.store import crud
from leptodx.store import followup as store
from leptodx.store.models import FollowupEvent, Patient, User
from leptodx.web.api import Id
from leptodx.web.deps import CurrentUser, SessionDep, SettingsDep
from leptodx.web.jsonbody import StrictJsonRoute
from leptodx.web.templating import render

api = APIRouter(prefix="/api/v1", tags=["follow-up"], route_class=StrictJsonRoute)
ui = APIRouter(include_in_schema=False)


class EnteredInError(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    reason: str = Field(min_length=1, max_length=store.MAX_REASON_CHARS)


def _patient(db: SessionDep, user: User, patient_id: int, teams: bool) -> Patient:
    patient = crud.get_patient(db, user=user, patient_id=patient_id, teams_enabled=teams)
    if patient is None:  # removed since the policy looked
        raise HTTPException(404, f"patient {patient_id} not found")
    return patient


def _event(db: SessionDep, patient: Patient, event_id: int) -> FollowupEvent:
    event = store.find_event(db, patient=patient, event_id=event_id)
    if event is None:
        raise HTTPException(404, f"event {event_id} of patient {patient.id} not found")
    if event.entered_in_error_at is not None:
        raise HTTPException(409, f"event {event_id} is already marked entered-in-error")
    return event


def timeline_of(db: SessionDep, patient: Patient) -> tuple[Timeline, list[FollowupEvent]]:
    """The patient's counted events as a timeline, and their rows in the same (date, id) order.

    Stored events were validated when written; the future-date rule is not re-applied, so an
    event stored before that rule existed cannot make the patient unreadable.
    """
    rows = store.list_events(db, patient=patient)
    timeline = parse_timeline(
        {"patient_id": patient.external_id, "events": [e.data for e in rows]}, today=date.max
    )
    return timeline, rows


def summary_of(db: SessionDep, patient: Patient) -> tuple[dict[str, Any], Timeline]:
    """The follow-up JSON with each event's id and the events marked entered-in-error."""
    timeline, rows = timeline_of(db, patient)
    summary = followup_summary(timeline)
    for event, row in zip(summary["events"], rows, strict=True):
        event["id"] = row.id
    summary["entered_in_error"] = [
        {
            "id": row.id,
            **row.data,
            "marked_at": row.entered_in_error_at.isoformat() if row.entered_in_error_at else None,
            "reason": row.entered_in_error_reason,
        }
        for row in store.list_events(db, patient=patient, entered_in_error=True)
    ]
    return summary, timeline


@api.get("/patients/{patient_id}/followup")
def get_followup(
    patient_id: Id, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """Events, response history (changes between visits), CSF/ctDNA trends; and the events
    marked entered-in-error, which do not count."""
    summary, _ = summary_of(db, _patient(db, user, patient_id, settings.teams_enabled))
    db.commit()
    return summary


@api.post("/patients/{patient_id}/events", status_code=201)
def post_event(patient_id: Id, user: CurrentUser, db: SessionDep, settings: SettingsDep, event: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:  # fmt: skip
    """Add one follow-up event (see docs/followup.md for the kinds and fields); not in the future."""
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    parsed = parse_event(event)
    stored = store.add_event(
        db, user=user, patient=patient, data=parsed.model_dump(mode="json", exclude_none=True)
    )
    db.commit()
    return {"id": stored.id, **stored.data}


@api.post(
    "/patients/{patient_id}/events/{event_id}/entered-in-error",
    responses={409: {"description": "The event is already marked entered-in-error."}},
)
def mark_event(patient_id: Id, event_id: Id, body: EnteredInError, user: CurrentUser, db: SessionDep, settings: SettingsDep) -> dict[str, Any]:  # fmt: skip
    """Mark an event entered-in-error: it is kept (and audited) but no longer counts."""
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    row = store.mark_entered_in_error(
        db, user=user, event=_event(db, patient, event_id), reason=body.reason
    )
    db.commit()
    return {"id": row.id, **row.data, "entered_in_error": True, "reason": row.entered_in_error_reason}  # fmt: skip


@ui.get("/patients/{patient_id}")
def patient_page(patient_id: int, request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep) -> Response:  # fmt: skip
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    return patient_view(request, db, patient)


@ui.get("/patients/{patient_id}/timeline.png")
def timeline_png(patient_id: int, user: CurrentUser, db: SessionDep, settings: SettingsDep) -> Response:  # fmt: skip
    from leptodx.reports._mpl import figure_bytes, pyplot
    from leptodx.reports.timeline import plot_timeline

    patient = _patient(db, user, patient_id, settings.teams_enabled)
    timeline, _ = timeline_of(db, patient)
    db.commit()
    # an event stored in the future before writes refused it is listed, not drawn
    today = date.today()
    timeline = timeline.model_copy(
        update={"events": tuple(e for e in timeline.events if e.date <= today)}
    )
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
        number = float(text.replace(",", "."))
    except ValueError:
        raise InputError(key, text, "a number") from None
    if not math.isfinite(number):
        raise InputError(key, text, "a finite number")
    return number


def _level(pick: dict[str, str], key: str) -> int:
    text = pick[key]
    if not (text.isascii() and text.isdigit() and len(text) <= 3):
        raise InputError(key, text, "a LANO level (a whole number, 0 upwards)")
    return int(text)


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
        event["neuro"] = {d: _level(pick, f"lano_{d}") for d in LANO_DOMAINS if f"lano_{d}" in pick}  # fmt: skip
    return event


def _alteration(line: str, i: int) -> dict[str, Any]:
    parts = line.split()
    if len(parts) not in (2, 3):
        raise InputError(
            f"alterations line {i + 1}", line, "GENE VARIANT [VAF], e.g. EGFR L858R 0.12"
        )
    out: dict[str, Any] = {"gene": parts[0], "variant": parts[1]}
    if len(parts) == 3:
        vaf = _number({"vaf": parts[2]}, "vaf")
        if vaf is None or not 0 <= vaf <= 1:
            raise InputError(f"alterations line {i + 1}", parts[2], "a VAF between 0 and 1")
        out["vaf"] = vaf
    return out


@ui.post("/patients/{patient_id}/events")
async def add_event_form(patient_id: int, request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep) -> Response:  # fmt: skip
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    try:
        parsed = parse_event(event_from_form(values))
        store.add_event(
            db, user=user, patient=patient, data=parsed.model_dump(mode="json", exclude_none=True)
        )
    except InputError as exc:
        db.rollback()
        patient = _patient(db, user, patient_id, settings.teams_enabled)
        return patient_view(request, db, patient, error=str(exc), values=values, status=422)
    db.commit()
    return RedirectResponse(f"/patients/{patient_id}#followup", status_code=303)


@ui.post("/patients/{patient_id}/events/{event_id}/entered-in-error")
def mark_event_form(patient_id: int, event_id: int, request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep, reason: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    try:
        store.mark_entered_in_error(
            db, user=user, event=_event(db, patient, event_id), reason=reason
        )
    except InputError as exc:
        db.rollback()
        patient = _patient(db, user, patient_id, settings.teams_enabled)
        return patient_view(request, db, patient, error=str(exc), status=422)
    db.commit()
    return RedirectResponse(f"/patients/{patient_id}#followup", status_code=303)


def patient_view(request: Request, db: SessionDep, patient: Patient, *, error: str | None = None, values: dict[str, str] | None = None, status: int = 200) -> Response:  # fmt: skip
    """The patient page: assessments, follow-up timeline, ctDNA, response history, event form."""
    from leptodx.followup.ctdna import ctdna_comparisons
    from leptodx.reference import response as response_ref

    summary, timeline = summary_of(db, patient)
    db.commit()
    return render(
        request,
        "patient.html",
        status,
        patient=patient,
        followup=summary,
        ctdna=ctdna_comparisons(timeline),
        kinds=EVENT_KINDS,
        ref=response_ref,
        error=error,
        values=values or {},
    )
