"""CDS Hooks endpoints: discovery, the ``patient-view`` service and its feedback.

Each service call must carry a JWT signed by a registered EHR (``LEPTODX_CDS_CLIENTS``); the
service answers from prefetch, falls back to the EHR's FHIR server for what is missing, stores the
assessment as a case (reused while the input is unchanged) and returns one card linking to it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from leptodx.errors import InputError, shown
from leptodx.interop.cds_hooks.auth import AuthError, verify_jwt
from leptodx.interop.cds_hooks.cards import SERVICE_ID, assessment_cards, discovery, incomplete_card
from leptodx.interop.fhir import assess_import, read_bundle
from leptodx.interop.fhir.client import PREFETCH, pull_resources
from leptodx.store import cds as store
from leptodx.store.db import transaction
from leptodx.web.jsonbody import StrictJsonRoute
from leptodx.web.problems import problem

router = APIRouter(prefix="/cds-services", tags=["cds-hooks"], route_class=StrictJsonRoute)
SERVICE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Not a patient-view call, or no patient id."},
    412: {"description": "Prefetch incomplete and no FHIR server to fall back on."},
    502: {"description": "The EHR's FHIR server could not be read."},
}
_REQUIRED_LEGS = {"known_cancer", "clinical_signs", "mri", "cytology"}


@router.get("")
def cds_discovery() -> dict[str, Any]:
    """CDS Hooks discovery (no patient data, no authentication)."""
    return discovery()


def ehr_claims(request: Request) -> dict[str, Any]:
    """Dependency: the calling EHR's verified JWT claims, or 401 with ``WWW-Authenticate``."""
    try:
        return _verify(request)
    except AuthError as exc:
        raise HTTPException(
            401, str(exc), headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        ) from None


EhrClaims = Annotated[dict[str, Any], Depends(ehr_claims)]


def _verify(request: Request) -> dict[str, Any]:
    settings = request.app.state.settings
    sessions = request.app.state.sessions
    audiences = {
        f"{settings.public_url.rstrip('/')}{request.url.path}",
        str(request.url).split("?")[0],
    }
    last: AuthError | None = None
    for audience in sorted(audiences):
        try:
            return verify_jwt(
                request.headers.get("authorization"),
                clients=settings.cds_clients,
                audience=audience,
                remember_jti=lambda iss, jti, exp: store.remember_jti(sessions, iss, jti, exp),
            )
        except AuthError as exc:
            last = exc
            if "audience" not in str(exc).lower():
                break
    raise last or AuthError("no audience")


def _object(body: dict[str, Any], key: str) -> dict[str, Any]:
    """``body[key]`` when it is a JSON object, else an empty one (absent or malformed)."""
    value = body.get(key)
    return value if isinstance(value, dict) else {}


def _prefetched(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, dict):
        return []
    if value.get("resourceType") == "Bundle":
        entries = value.get("entry")
        return [
            e["resource"]
            for e in (entries if isinstance(entries, list) else [])
            if isinstance(e, dict) and isinstance(e.get("resource"), dict)
        ]
    return [value]


@router.post(f"/{SERVICE_ID}", response_model=None, responses=SERVICE_ERRORS)
def patient_view(
    request: Request, claims: EhrClaims, body: Annotated[dict[str, Any], Body()]
) -> JSONResponse | dict[str, Any]:
    """``patient-view``: one card with the EANO–ESMO level and type, CSF and next steps."""
    if body.get("hook") != "patient-view":
        return problem(
            400, "Bad Request", f"hook {shown(body.get('hook'))}: this service handles patient-view"
        )
    patient_id = _object(body, "context").get("patientId")
    if not isinstance(patient_id, str) or not 1 <= len(patient_id) <= 200:
        return problem(400, "Bad Request", "context.patientId (1 to 200 characters) is required")
    prefetch = _object(body, "prefetch")
    groups = {k: _prefetched(prefetch.get(k)) for k in PREFETCH if prefetch.get(k) is not None}
    missing = [k for k in PREFETCH if k not in groups]
    if missing:
        server = body.get("fhirServer")
        if not isinstance(server, str) or not server:
            return problem(
                412,
                "Precondition Failed",
                f"prefetch {', '.join(missing)} missing and no fhirServer given",
            )
        token = _object(body, "fhirAuthorization").get("access_token")
        if not isinstance(token, str | None):
            return problem(400, "Bad Request", "fhirAuthorization.access_token must be text")
        try:
            groups.update(
                pull_resources(server, patient_id, token=token, keys=missing, timeout_s=2.0)
            )
        except InputError as exc:
            return problem(502, "Bad Gateway", f"FHIR fallback failed: {exc}")
    resources = [r for group in groups.values() for r in group]
    if not any(r.get("resourceType") in {"Observation", "DiagnosticReport"} for r in resources):
        return {"cards": []}  # nothing LM-related recorded: stay silent
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }
    try:
        imported = read_bundle(bundle, ignore_unknown=True)
        result = assess_import(imported)
    except InputError as exc:
        if exc.field in _REQUIRED_LEGS:
            return {"cards": [incomplete_card(exc.field, exc.expected)]}
        return {"cards": [incomplete_card(exc.field, f"{exc.expected} (got {shown(exc.value)})")]}
    settings = request.app.state.settings
    with transaction(request.app.state.sessions) as session:
        case = store.case_for_call(
            session, external_id=patient_id, data=imported.record, result=result, iss=claims["iss"]
        )
        case_url = f"{settings.public_url.rstrip('/')}/cases/{case.id}"
    return {"cards": assessment_cards(result, case_url=case_url, patient_id=patient_id)}


@router.post(
    f"/{SERVICE_ID}/feedback",
    response_model=None,
    responses={400: {"description": "No list of feedback objects."}},
)
def feedback(
    request: Request, claims: EhrClaims, body: Annotated[dict[str, Any], Body()]
) -> JSONResponse | dict[str, Any]:
    """Card outcomes (accepted / overridden) from the EHR, kept in the audit log."""
    items = body.get("feedback")
    if not isinstance(items, list) or not all(isinstance(i, dict) and i.get("card") for i in items):
        return problem(
            400, "Bad Request", "feedback: a list of {card, outcome, …} objects is required"
        )
    with transaction(request.app.state.sessions) as session:
        store.record_feedback(session, iss=claims["iss"], service=SERVICE_ID, feedback=items)
    return {}
