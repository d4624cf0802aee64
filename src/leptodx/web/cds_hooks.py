"""CDS Hooks endpoints: discovery, the ``patient-view`` and order services, and their feedback.

Each service call must carry a JWT signed by a registered EHR (``LEPTODX_CDS_CLIENTS``); the
service answers from prefetch, falls back to the EHR's FHIR server for what is missing, stores the
assessment as a case (reused while the input is unchanged) and returns cards linking to it. A
record with findings missing links to the case form pre-filled with it. Browser-based CDS clients
(sandboxes) are served through CORS on ``/cds-services`` (:class:`CdsCors`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from leptodx.errors import InputError, shown
from leptodx.interop.cds_hooks.auth import AuthError, verify_jwt
from leptodx.interop.cds_hooks.cards import SERVICE_ID, assessment_cards, discovery, incomplete_card
from leptodx.interop.cds_hooks.orders import (
    ORDER_HOOKS,
    ORDER_SERVICE_ID,
    order_card,
    ordered_tests,
)
from leptodx.interop.cds_hooks.site_model import support_lines
from leptodx.interop.fhir import FhirImport, assess_import, read_bundle
from leptodx.interop.fhir.client import PREFETCH, pull_resources
from leptodx.store import cds as store
from leptodx.store.db import transaction
from leptodx.web.jsonbody import StrictJsonRoute
from leptodx.web.problems import problem

router = APIRouter(prefix="/cds-services", tags=["cds-hooks"], route_class=StrictJsonRoute)
SERVICE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Not a call of a hook this service handles, or no patient id."},
    412: {"description": "Prefetch incomplete and no FHIR server to fall back on."},
    502: {"description": "The EHR's FHIR server could not be read."},
}
FEEDBACK_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "No list of feedback objects."}
}
_REQUIRED_LEGS = {"known_cancer", "clinical_signs", "mri", "cytology"}
PREFIX = "/cds-services"


class CdsCors:
    """CORS on ``/cds-services`` only, for browser-based CDS clients (CDS Hooks 2.0 §CORS).

    Origins come from the ``cds_allowed_origins`` setting (none by default: no cross-origin
    access); preflight requests are answered; ``Authorization`` and ``Content-Type`` are allowed.
    No cookies are involved (the EHR authenticates with a JWT), so credentials are not allowed.
    Starlette's ``CORSMiddleware`` does the work; the rest of the app gets no CORS headers.
    """

    def __init__(self, app: ASGIApp, *, origins: Sequence[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=list(origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=["WWW-Authenticate"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path == PREFIX or path.startswith(PREFIX + "/"):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


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


@dataclass
class _Assessed:
    """A patient's record read and assessed for a hook call, stored as a case."""

    imported: FhirImport
    result: dict[str, Any]
    case_url: str
    form_url: str


def _patient_id(body: dict[str, Any]) -> str | JSONResponse:
    patient_id = _object(body, "context").get("patientId")
    if not isinstance(patient_id, str) or not 1 <= len(patient_id) <= 200:
        return problem(400, "Bad Request", "context.patientId (1 to 200 characters) is required")
    return patient_id


def _resources(body: dict[str, Any], patient_id: str) -> list[dict[str, Any]] | JSONResponse:
    """Prefetched resources, completed from the EHR's FHIR server."""
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
    return [r for group in groups.values() for r in group]


def _assess(
    request: Request, claims: dict[str, Any], patient_id: str, resources: list[dict[str, Any]]
) -> _Assessed | dict[str, Any]:
    """Import, assess and store; ``{"cards": [...]}`` when the record cannot be assessed."""
    settings = request.app.state.settings
    base = settings.public_url.rstrip("/")
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}  # fmt: skip
    try:
        imported = read_bundle(bundle, ignore_unknown=True)
        result = assess_import(imported)
    except InputError as exc:
        form = f"{base}/cases/new?patient_id={quote(patient_id, safe='')}"
        expected = exc.expected if exc.field in _REQUIRED_LEGS else f"{exc.expected} (got {shown(exc.value)})"  # fmt: skip
        return {"cards": [incomplete_card(exc.field, expected, form_url=form)]}
    with transaction(request.app.state.sessions) as session:
        case = store.case_for_call(
            session, external_id=patient_id, data=imported.record, result=result, iss=claims["iss"]
        )
        case_id = case.id
    return _Assessed(imported, result, f"{base}/cases/{case_id}", f"{base}/cases/new?from_case={case_id}")  # fmt: skip


@router.post(f"/{SERVICE_ID}", response_model=None, responses=SERVICE_ERRORS)
def patient_view(
    request: Request, claims: EhrClaims, body: Annotated[dict[str, Any], Body()]
) -> JSONResponse | dict[str, Any]:
    """``patient-view``: one card with the EANO–ESMO level and type, CSF and next steps."""
    if body.get("hook") != "patient-view":
        return problem(
            400, "Bad Request", f"hook {shown(body.get('hook'))}: this service handles patient-view"
        )
    patient_id = _patient_id(body)
    if isinstance(patient_id, JSONResponse):
        return patient_id
    resources = _resources(body, patient_id)
    if isinstance(resources, JSONResponse):
        return resources
    if not any(r.get("resourceType") in {"Observation", "DiagnosticReport"} for r in resources):
        return {"cards": []}  # nothing LM-related recorded: stay silent
    assessed = _assess(request, claims, patient_id, resources)
    if isinstance(assessed, dict):
        return assessed
    return {
        "cards": assessment_cards(
            assessed.result,
            case_url=assessed.case_url,
            patient_id=patient_id,
            form_url=assessed.form_url,
        )
    }


@router.post(f"/{ORDER_SERVICE_ID}", response_model=None, responses=SERVICE_ERRORS)
def order_service(
    request: Request, claims: EhrClaims, body: Annotated[dict[str, Any], Body()]
) -> JSONResponse | dict[str, Any]:
    """``order-select`` / ``order-sign``: for a lumbar puncture or neuraxis MRI order, the current
    level, what the result can change and the site model's support (never a block)."""
    hook = body.get("hook")
    if hook not in ORDER_HOOKS:
        return problem(400, "Bad Request", f"hook {shown(hook)}: this service handles {' and '.join(ORDER_HOOKS)}")  # fmt: skip
    patient_id = _patient_id(body)
    if isinstance(patient_id, JSONResponse):
        return patient_id
    tests = ordered_tests(str(hook), _object(body, "context"))
    if not tests:
        return {"cards": []}  # no lumbar puncture or MRI among the orders
    resources = _resources(body, patient_id)
    if isinstance(resources, JSONResponse):
        return resources
    assessed = _assess(request, claims, patient_id, resources)
    if isinstance(assessed, dict):
        return assessed
    site = request.app.state.site_model
    model_lines = support_lines(site, assessed.imported.record) if site is not None else []
    links = [{"label": "Open the assessment in LeptoDx", "url": assessed.case_url, "type": "absolute"}]  # fmt: skip
    if assessed.result["eano_esmo"]["outcome"] == "incomplete":
        links.append({"label": "Add the missing findings in LeptoDx (pre-filled form)", "url": assessed.form_url, "type": "absolute"})  # fmt: skip
    cards = [
        order_card(
            test, assessed.result, assessed.imported.record, model_lines=model_lines, links=links
        )
        for test in tests
    ]
    return {"cards": cards}


def _feedback(request: Request, claims: dict[str, Any], body: dict[str, Any], service: str) -> JSONResponse | dict[str, Any]:  # fmt: skip
    items = body.get("feedback")
    if not isinstance(items, list) or not all(isinstance(i, dict) and i.get("card") for i in items):
        return problem(
            400, "Bad Request", "feedback: a list of {card, outcome, …} objects is required"
        )
    with transaction(request.app.state.sessions) as session:
        store.record_feedback(session, iss=claims["iss"], service=service, feedback=items)
    return {}


@router.post(f"/{SERVICE_ID}/feedback", response_model=None, responses=FEEDBACK_ERRORS)
def feedback(
    request: Request, claims: EhrClaims, body: Annotated[dict[str, Any], Body()]
) -> JSONResponse | dict[str, Any]:
    """Card outcomes (accepted / overridden) from the EHR, kept in the audit log."""
    return _feedback(request, claims, body, SERVICE_ID)


@router.post(f"/{ORDER_SERVICE_ID}/feedback", response_model=None, responses=FEEDBACK_ERRORS)
def order_feedback(
    request: Request, claims: EhrClaims, body: Annotated[dict[str, Any], Body()]
) -> JSONResponse | dict[str, Any]:
    """Outcomes of the order cards, kept in the audit log."""
    return _feedback(request, claims, body, ORDER_SERVICE_ID)
