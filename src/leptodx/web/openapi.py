"""The OpenAPI document, completed from the policy table: each operation declares how it is
authenticated (API token, browser session, or an EHR's JWT) and every error status it can return,
each as an ``application/problem+json`` document (schema ``Problem``)."""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse

from leptodx.web.deps import SESSION_COOKIE, session_principal
from leptodx.web.policy import Access, Scope, rule_for
from leptodx.web.problems import MEDIA_TYPE

PROBLEM = {
    "title": "Problem",
    "description": "RFC 9457 problem details; input errors name the field, value and expectation.",
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "field": {"type": "string"},
        "value": {"type": "string"},
        "expected": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}
SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "API token from `leptodx tokens create` (stored only as a hash). "
        "Paste it here to send `Authorization: Bearer <token>` with every call.",
    },
    "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": "Browser session after logging in (nothing to enter here: the browser "
        "sends the cookie). Unsafe methods also need the session's X-CSRF-Token header, which "
        "this page adds to its own requests when you are logged in.",
    },
    "ehrJwt": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "CDS Hooks: a JWT signed by a registered EHR (docs/interop.md).",
    },
}
DESCRIPTIONS = {
    400: "The body could not be parsed, or the call is malformed.",
    401: "Not authenticated (no, expired or revoked token; or an invalid EHR JWT).",
    403: "Authenticated, but the role may not do this (or the CSRF token is missing).",
    404: "No such record in your data scope (ids outside 1…2⁶³−1 are never found).",
    409: "Conflict with the record's state.",
    412: "Precondition failed.",
    413: "The request body is larger than the service accepts.",
    422: "Invalid input: the problem names the field, the value and what is expected.",
    502: "An upstream server failed.",
}
_PROBLEM_CONTENT = {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _error_codes(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    rule = rule_for(method.upper(), path)
    codes: set[int] = set()
    if rule is None or rule.access is Access.PUBLIC:
        operation["security"] = []
    elif rule.access is Access.EHR:
        operation["security"] = [{"ehrJwt": []}]
        codes.add(401)
    else:
        operation["security"] = [{"bearerAuth": []}, {"sessionCookie": []}]
        codes |= {401, 403}
    parameters = operation.get("parameters", [])
    if any(p.get("in") == "path" for p in parameters) or (
        rule is not None and rule.scope in (Scope.PATIENT, Scope.CASE, Scope.JOB)
    ):
        codes.add(404)
    if parameters:
        codes.add(422)
    if "requestBody" in operation:
        codes |= {400, 413, 422}
    return codes


def _body_schemas() -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """Operations whose handler takes a free JSON object, and the contract it is checked against
    (the handler validates it with the same models, so errors name the field)."""
    from pydantic import TypeAdapter

    from leptodx.domain.patient import input_json_schema
    from leptodx.followup.events import Event
    from leptodx.models.fitted import FittedModel

    ref = "#/components/schemas/{model}"
    patient = ("PatientInput", input_json_schema(ref_template=ref))
    event = ("FollowupEvent", TypeAdapter(Event).json_schema(ref_template=ref))
    model = ("FittedModel", FittedModel.model_json_schema(ref_template=ref))
    return {
        ("post", "/api/v1/assess"): patient,
        ("post", "/api/v1/patients/{patient_id}/cases"): patient,
        ("post", "/api/v1/patients/{patient_id}/events"): event,
        ("post", "/api/v1/models"): model,
    }


def _declare_bodies(schema: dict[str, Any], schemas: dict[str, Any]) -> None:
    for (method, path), (name, body) in _body_schemas().items():
        operation = schema["paths"].get(path, {}).get(method)
        if operation is None or "requestBody" not in operation:
            continue
        schemas.update(body.pop("$defs", {}))
        schemas[name] = body
        content = operation["requestBody"]["content"]["application/json"]
        content["schema"] = {"$ref": f"#/components/schemas/{name}"}


def build(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = PROBLEM
    components["securitySchemes"] = SECURITY_SCHEMES
    _declare_bodies(schema, schemas)
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for code in _error_codes(method, path, operation):
                responses.setdefault(str(code), {"description": DESCRIPTIONS[code]})
            for code, response in responses.items():
                if code.isdigit() and int(code) >= 400:
                    response["content"] = _PROBLEM_CONTENT
                    response.setdefault("description", DESCRIPTIONS.get(int(code), "Error"))
    return schema


def install(app: FastAPI) -> None:
    """Serve :func:`build`'s document at ``/openapi.json`` (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="leptodx-csrf" content="{csrf}">
<title>LeptoDx API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
<link rel="icon" href="/static/swagger/favicon.png">
<link rel="stylesheet" href="/static/swagger-a11y.css">
</head>
<body>
<main id="swagger-ui"><h1>LeptoDx API</h1></main>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/swagger/leptodx-init.js"></script>
</body>
</html>
"""


def docs_page(request: Request) -> HTMLResponse:
    """Swagger UI from /static (no CDN, no inline script). For a logged-in browser the page
    carries the session's CSRF token, which Swagger sends on its own same-origin writes; the
    page is never cached (``no-store``) and cannot be framed (CSP ``frame-ancestors 'none'``)."""
    principal = session_principal(request)
    csrf = principal.csrf if principal is not None and principal.via == "session" else ""
    return HTMLResponse(DOCS_PAGE.format(csrf=escape(csrf, quote=True)))
