"""Follow-up in the web app: events API, the patient page (timeline figure, readable event
table, one form per event kind) and the amend / entered-in-error actions.

Events are never deleted: a wrong one is marked entered-in-error (with a reason, audited) and
stops counting in the timeline, the response history and the trends; amending marks it so and
stores the corrected event in the same transaction. A future-dated event is refused when it is
written, so reading a patient's follow-up cannot fail on a stored event. CSF values and cytology
of the patient's saved assessments join the timeline as lumbar punctures (dated the day of the
assessment) unless a lumbar puncture is recorded that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from leptodx.errors import InputError
from leptodx.followup.events import EVENT_KINDS, Timeline, parse_event, parse_timeline
from leptodx.followup.summary import FollowupSummary, summarise_followup
from leptodx.reference.analytes import ANALYTE_TABLE
from leptodx.store import crud
from leptodx.store import followup as store
from leptodx.store.models import Case, FollowupEvent, Patient, User
from leptodx.web import event_forms, event_text
from leptodx.web.api import Id
from leptodx.web.deps import MAX_ID, CurrentUser, SessionDep, SettingsDep
from leptodx.web.jsonbody import StrictJsonRoute
from leptodx.web.messages import readable
from leptodx.web.templating import render
from leptodx.web.timeline_cache import FigureCache, content_key

api = APIRouter(prefix="/api/v1", tags=["follow-up"], route_class=StrictJsonRoute)
ui = APIRouter(include_in_schema=False)


class EnteredInError(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    reason: str = Field(min_length=1, max_length=store.MAX_REASON_CHARS)


class Amendment(BaseModel):
    """The corrected event (all its fields, as for a new event) and why it was corrected."""

    model_config = ConfigDict(extra="forbid", strict=True)
    event: dict[str, Any]
    reason: str = Field(min_length=1, max_length=store.MAX_REASON_CHARS)


def _patient(db: SessionDep, user: User, patient_id: int, teams: bool, *, audited: bool = True) -> Patient:  # fmt: skip
    """The patient (read audited), or 404. ``audited=False`` only where the same page view was
    audited already (the policy checked the data scope before the handler ran)."""
    if audited:
        patient = crud.get_patient(db, user=user, patient_id=patient_id, teams_enabled=teams)
    else:
        patient = db.get(Patient, patient_id)
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


def assessment_event(case: Case) -> dict[str, Any] | None:
    """The lumbar puncture of a saved assessment (its CSF values and cytology), or None."""
    record = case.input or {}
    csf = {
        a.name: record["csf"][a.name]
        for a in ANALYTE_TABLE
        if a.specimen == "csf" and isinstance(record.get("csf"), dict) and a.name in record["csf"]
    }
    cytology = record.get("cytology")
    if not csf and cytology not in ("positive", "equivocal", "negative"):
        return None
    event: dict[str, Any] = {"kind": "lumbar_puncture", "date": case.created_at.date().isoformat()}
    if cytology is not None:
        event["cytology"] = cytology
    if csf:
        event["csf"] = csf
    return event


def timeline_of(db: SessionDep, patient: Patient) -> tuple[Timeline, list[dict[str, Any]]]:
    """The patient's counted events as a timeline, and where each comes from, in the same
    (date, id) order: ``{"id": event id}`` or ``{"case_id": …, "source": "assessment"}``.

    Stored events were validated when written; the future-date and plausibility rules are not
    re-applied, so an event stored before those rules cannot make the patient unreadable.
    """
    rows = store.list_events(db, patient=patient)
    entries: list[tuple[dict[str, Any], dict[str, Any]]] = [(r.data, {"id": r.id}) for r in rows]
    punctures = {r.data["date"] for r in rows if r.kind == "lumbar_puncture"}
    for case in patient.cases:
        derived = assessment_event(case)
        if derived is not None and derived["date"] not in punctures:
            try:
                parse_event(derived)  # units known, values possible (as when it was assessed)
            except InputError:  # an assessment stored under an older input contract
                continue
            entries.append((derived, {"case_id": case.id, "source": "assessment"}))
    entries.sort(key=lambda pair: pair[0]["date"])
    timeline = parse_timeline(
        {"patient_id": patient.external_id, "events": [data for data, _ in entries]},
        today=date.max,
        plausibility=False,
    )
    return timeline, [origin for _, origin in entries]


@dataclass(frozen=True)
class PatientFollowup:
    """A stored patient's follow-up: the summary, where each counted event comes from (its id,
    or its assessment) and the events marked entered-in-error (kept, not counted)."""

    summary: FollowupSummary
    origins: tuple[dict[str, Any], ...]
    entered_in_error: tuple[dict[str, Any], ...]

    @property
    def events(self) -> list[dict[str, Any]]:
        """Each counted event as recorded, with its id or assessment (the page's event table)."""
        return [
            {**e.model_dump(mode="json", exclude_none=True), **origin}
            for e, origin in zip(self.summary.timeline.events, self.origins, strict=True)
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON of the API's follow-up: :meth:`FollowupSummary.to_dict` with each event's origin
        and the events marked entered-in-error."""
        out = self.summary.to_dict()
        out["events"] = self.events
        out["entered_in_error"] = list(self.entered_in_error)
        return out


def summary_of(db: SessionDep, patient: Patient) -> PatientFollowup:
    """The patient's follow-up with each event's id (or its assessment) and the events marked
    entered-in-error."""
    timeline, origins = timeline_of(db, patient)
    marked = tuple(
        {
            "id": row.id,
            **row.data,
            "marked_at": row.entered_in_error_at.isoformat() if row.entered_in_error_at else None,
            "reason": row.entered_in_error_reason,
        }
        for row in store.list_events(db, patient=patient, entered_in_error=True)
    )
    return PatientFollowup(summarise_followup(timeline), tuple(origins), marked)


@api.get("/patients/{patient_id}/followup")
def get_followup(
    patient_id: Id, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """Events, response history (changes between visits), CSF/ctDNA trends; and the events
    marked entered-in-error, which do not count."""
    followup = summary_of(db, _patient(db, user, patient_id, settings.teams_enabled))
    db.commit()
    return followup.to_dict()


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


@api.post(
    "/patients/{patient_id}/events/{event_id}/amend",
    status_code=201,
    responses={409: {"description": "The event is already marked entered-in-error."}},
)
def amend_event(patient_id: Id, event_id: Id, body: Amendment, user: CurrentUser, db: SessionDep, settings: SettingsDep) -> dict[str, Any]:  # fmt: skip
    """Correct an event: the corrected event is stored and the old one marked entered-in-error
    ("amended by event N: reason"), in one audited transaction; returns the new event."""
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    parsed = parse_event(body.event)
    new = store.amend_event(
        db,
        user=user,
        event=_event(db, patient, event_id),
        patient=patient,
        data=parsed.model_dump(mode="json", exclude_none=True),
        reason=body.reason,
    )
    db.commit()
    return {"id": new.id, **new.data, "amends": event_id}


def figures(request: Request) -> FigureCache:
    state = request.app.state
    if getattr(state, "timeline_figures", None) is None:
        state.timeline_figures = FigureCache()
    return state.timeline_figures  # type: ignore[no-any-return]


def drawable(timeline: Timeline) -> Timeline:
    """The events the figure draws: an event stored in the future before writes refused it is
    listed, not drawn."""
    today = date.today()
    return timeline.model_copy(
        update={"events": tuple(e for e in timeline.events if e.date <= today)}
    )


def draw_png(timeline: Timeline) -> bytes:
    from leptodx.reports.plotting import figure_bytes, pyplot
    from leptodx.reports.timeline import plot_timeline

    fig = plot_timeline(timeline)
    try:
        return figure_bytes(fig, "png")
    finally:
        pyplot().close(fig)


@ui.get("/patients/{patient_id}")
def patient_page(patient_id: int, request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep, add: Annotated[str, Query(max_length=30)] = "", amend: Annotated[int, Query(ge=0, le=MAX_ID)] = 0) -> Response:  # fmt: skip
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    return patient_view(request, db, user, patient, kind=add if add in EVENT_KINDS else None, amend=amend)  # fmt: skip


@ui.get("/patients/{patient_id}/timeline.png")
def timeline_png(patient_id: int, request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep, v: str = "") -> Response:  # fmt: skip
    """The timeline figure; ``v`` is the content key the page linked (cache by content)."""
    cache = figures(request)
    issued = bool(v) and cache.was_issued(user.id, patient_id, v[:64])
    patient = _patient(db, user, patient_id, settings.teams_enabled, audited=not issued)
    timeline, _ = timeline_of(db, patient)
    db.commit()
    shown = drawable(timeline)
    if not shown.events:
        raise HTTPException(404, "no follow-up events yet")
    data = cache.get(content_key(shown), lambda: draw_png(shown))
    return Response(data, media_type="image/png", headers={"Cache-Control": "no-store"})


def _form_values(form: Any) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


@ui.post("/patients/{patient_id}/events")
async def add_event_form(patient_id: int, request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep) -> Response:  # fmt: skip
    values = _form_values(await request.form())
    kind = values.get("kind", "")
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    try:
        parsed = parse_event(event_forms.event_from_form(kind, values))
        store.add_event(
            db, user=user, patient=patient, data=parsed.model_dump(mode="json", exclude_none=True)
        )
    except InputError as exc:
        db.rollback()
        patient = _patient(db, user, patient_id, settings.teams_enabled, audited=False)
        return patient_view(request, db, user, patient, kind=kind, error=exc, values=values, status=422)  # fmt: skip
    db.commit()
    return RedirectResponse(f"/patients/{patient_id}#followup", status_code=303)


@ui.post("/patients/{patient_id}/events/{event_id}/amend")
async def amend_event_form(patient_id: int, event_id: int, request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep) -> Response:  # fmt: skip
    values = _form_values(await request.form())
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    old = _event(db, patient, event_id)
    kind = old.kind
    try:
        parsed = parse_event(event_forms.event_from_form(kind, {**values, "kind": kind}))
        data = parsed.model_dump(mode="json", exclude_none=True)
        store.amend_event(db, user=user, patient=patient, event=old, data=data, reason=values.get("reason", ""))  # fmt: skip
    except InputError as exc:
        db.rollback()
        patient = _patient(db, user, patient_id, settings.teams_enabled, audited=False)
        return patient_view(request, db, user, patient, kind=kind, amend=event_id, error=exc, values=values, status=422)  # fmt: skip
    db.commit()
    return RedirectResponse(f"/patients/{patient_id}#followup", status_code=303)


@ui.post("/patients/{patient_id}/events/{event_id}/entered-in-error")
def mark_event_form(patient_id: int, event_id: int, request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep, reason: Annotated[str, Form(max_length=2000)] = "") -> Response:  # fmt: skip
    patient = _patient(db, user, patient_id, settings.teams_enabled)
    try:
        store.mark_entered_in_error(
            db, user=user, event=_event(db, patient, event_id), reason=reason
        )
    except InputError as exc:
        db.rollback()
        patient = _patient(db, user, patient_id, settings.teams_enabled, audited=False)
        return patient_view(request, db, user, patient, mark=event_id, error=exc, status=422)
    db.commit()
    return RedirectResponse(f"/patients/{patient_id}#followup", status_code=303)


def patient_view(
    request: Request,
    db: SessionDep,
    user: User,
    patient: Patient,
    *,
    kind: str | None = None,
    amend: int = 0,
    mark: int = 0,
    error: InputError | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The patient page: assessments, follow-up timeline, readable events, ctDNA, response
    history, and one event form per kind (the one with an error, or being amended, open)."""
    from leptodx.followup.ctdna import ctdna_comparisons
    from leptodx.reference import response as response_ref

    followup = summary_of(db, patient)
    timeline = followup.summary.timeline
    amending = None
    if amend:
        row = store.find_event(db, patient=patient, event_id=amend)
        if row is not None and row.entered_in_error_at is None:
            amending = row
            kind = row.kind
            values = values if values is not None else event_forms.form_values(row.data)
    db.commit()
    shown = drawable(timeline)
    key = content_key(shown) if shown.events else ""
    if key:
        figures(request).issue(user.id, patient.id, key)
    problem = None
    if error is not None:
        target = "reason-" + str(mark) if mark else event_forms.error_field(kind or "", error.field)
        problem = {"target": target, "message": readable(error)}
    return render(
        request,
        "patient.html",
        status,
        patient=patient,
        followup=followup,
        figure_key=key,
        ctdna=ctdna_comparisons(timeline),
        kinds=EVENT_KINDS,
        event_forms=event_forms,
        phrases=event_text.phrases,
        kind_label=event_text.kind_label,
        ref=response_ref,
        open_kind=kind,
        amending=amending,
        mark=mark,
        problem=problem,
        values=values or {},
    )
