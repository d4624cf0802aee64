"""JSON API under /api/v1: the same service functions and JSON as the CLI."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Path, Response
from pydantic import BaseModel, Field

from leptodx import jsonsafe
from leptodx.clinical.assess import assess_record
from leptodx.interop.fhir import assess_input
from leptodx.store import crud
from leptodx.store.models import Case, FittedModelRecord, Patient
from leptodx.web.deps import MAX_ID, CurrentUser, SessionDep, SettingsDep
from leptodx.web.jsonbody import StrictJsonRoute

router = APIRouter(prefix="/api/v1", route_class=StrictJsonRoute)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A record id path parameter (ids outside the range are 404, checked by the policy)."""


class PatientIn(BaseModel):
    model_config = {"extra": "forbid", "strict": True}
    external_id: str = Field(min_length=1, max_length=200)


class PatientOut(BaseModel):
    id: int
    external_id: str
    cases: int


class CaseOut(BaseModel):
    id: int
    patient_id: Id
    created_at: str
    input: dict[str, Any]
    output: dict[str, Any]


def _patient_out(p: Patient) -> PatientOut:
    return PatientOut(id=p.id, external_id=p.external_id, cases=len(p.cases))


def _case_out(c: Case) -> CaseOut:
    return CaseOut(
        id=c.id,
        patient_id=c.patient_id,
        created_at=c.created_at.isoformat(),
        input=c.input,
        output=c.output,
    )


@router.post("/assess", response_model=dict[str, Any])
async def assess(
    user: CurrentUser,
    data: Annotated[dict[str, Any], Body()],
    profile: str | None = None,
    ignore_unknown: bool = True,
) -> Response:
    """Stateless assessment: the input contract or a FHIR R4 Bundle (``application/json`` or
    ``application/fhir+json``) in, the `leptodx assess --format json` JSON out.

    A Bundle is read as by ``leptodx assess BUNDLE`` (docs/interop.md): Observations with codes
    LeptoDx does not use are listed as ignored; ``ignore_unknown=false`` refuses them instead. The
    body holds the same values as the CLI's (strict JSON), without FastAPI's encoder pass.
    """
    result = assess_input(data, profile=profile, ignore_unknown=ignore_unknown)
    return Response(jsonsafe.dumps(result), media_type="application/json")


@router.get("/patients")
def list_patients(user: CurrentUser, db: SessionDep, settings: SettingsDep) -> list[PatientOut]:
    patients = crud.list_patients(db, user=user, teams_enabled=settings.teams_enabled)
    db.commit()
    return [_patient_out(p) for p in patients]


@router.post("/patients", status_code=201)
def create_patient(body: PatientIn, user: CurrentUser, db: SessionDep) -> PatientOut:
    patient = crud.create_patient(db, user=user, external_id=body.external_id)
    db.commit()
    return PatientOut(id=patient.id, external_id=patient.external_id, cases=0)


def _patient(db: SessionDep, user: CurrentUser, settings: SettingsDep, patient_id: int) -> Patient:
    """The patient (the policy has checked it exists and is in the user's scope); audited."""
    patient = crud.get_patient(
        db, user=user, patient_id=patient_id, teams_enabled=settings.teams_enabled
    )
    if patient is None:  # removed since the policy looked
        raise HTTPException(404, f"patient {patient_id} not found")
    return patient


@router.get("/patients/{patient_id}")
def read_patient(
    patient_id: Id, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> PatientOut:
    patient = _patient(db, user, settings, patient_id)
    db.commit()
    return _patient_out(patient)


@router.patch("/patients/{patient_id}")
def update_patient(
    patient_id: Id, body: PatientIn, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> PatientOut:
    patient = crud.update_patient(
        db,
        user=user,
        patient=_patient(db, user, settings, patient_id),
        external_id=body.external_id,
    )
    db.commit()
    return _patient_out(patient)


@router.get("/patients/{patient_id}/cases")
def list_cases(
    patient_id: Id, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> list[CaseOut]:
    patient = _patient(db, user, settings, patient_id)
    db.commit()
    return [_case_out(c) for c in patient.cases]


@router.post("/patients/{patient_id}/cases", status_code=201)
def create_case(
    patient_id: Id,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    data: Annotated[dict[str, Any], Body()],
    profile: str | None = None,
) -> CaseOut:
    """Assess and store; an invalid submission writes nothing (422, one transaction)."""
    patient = _patient(db, user, settings, patient_id)
    result = assess_record(data, profile=profile)
    case = crud.add_case(db, user=user, patient=patient, data=data, result=result)
    db.commit()
    return _case_out(case)


@router.get("/cases/{case_id}")
def read_case(case_id: Id, user: CurrentUser, db: SessionDep, settings: SettingsDep) -> CaseOut:
    case = crud.get_case(db, user=user, case_id=case_id, teams_enabled=settings.teams_enabled)
    if case is None:
        raise HTTPException(404, f"case {case_id} not found")
    db.commit()
    return _case_out(case)


@router.post("/models", status_code=201)
def upload_model(
    user: CurrentUser, db: SessionDep, document: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Store a fitted-model file (its content hash is verified)."""
    from leptodx.web.models_page import store_fitted_model

    record = store_fitted_model(db, user, document)
    db.commit()
    return {"id": record.id, "name": record.name, "content_hash": record.content_hash}


@router.post("/models/{model_id}/score")
def score_model(
    model_id: Id, user: CurrentUser, db: SessionDep, record: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Risk of one patient with each predictor's contribution (decision support only)."""
    from leptodx.models.fitted import FittedModel

    stored = db.get(FittedModelRecord, model_id)
    if stored is None:
        raise HTTPException(404, f"model {model_id} not found")
    prediction = FittedModel.model_validate(stored.document).predict(record)
    return {
        "model": prediction.model,
        "model_hash": prediction.model_hash,
        "probability": prediction.probability,
        "linear_predictor": prediction.linear_predictor,
        "intercept": prediction.intercept,
        "contributions": [asdict(c) for c in prediction.contributions],
        "warnings": list(prediction.warnings),
        "notes": list(prediction.notes),
    }
