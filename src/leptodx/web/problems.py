"""Every error as an RFC 9457 problem document (``application/problem+json``) on API routes, or
as an HTML error page on pages — never a plain-text 500 (docs/security.md).

Input errors name the field, the value received (cut to 200 characters) and what was expected.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from leptodx.errors import InputError, LeptoDxError, cut, shown
from leptodx.web.policy import POLICY, is_api_path

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("leptodx.web")

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
    502: "Bad gateway",
}


class FieldProblem(HTTPException):
    """An HTTP error about one input field (e.g. a non-finite number in a JSON body)."""

    def __init__(self, status: int, field: str, value: Any, expected: str) -> None:
        self.field, self.value, self.expected = cut(field), value, expected
        super().__init__(status, f"{self.field}: got {shown(value)}; expected {expected}")


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


PAGE_HEADINGS = {
    403: (
        "Not allowed",
        "Your role does not allow this page or action. Ask an administrator if you need it.",
    ),
    404: ("Not found", "There is no such page or record, or it is outside your team's records."),
    405: ("Not allowed here", "This address does not accept that kind of request."),
    413: ("Too large", "What you sent is larger than the service accepts."),
    422: ("Please check your input", ""),
    429: ("Too many requests", "Wait a minute, then try again."),
    500: ("Something went wrong", "LeptoDx could not complete this request."),
}
"""Heading and explanation of the HTML error pages (the detail follows in smaller print)."""


def _answer(
    request: Request, status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    """A problem document for API routes, an HTML error page for pages."""
    title = TITLES.get(status, "Error")
    if is_api_path(request.url.path):
        response: Response = problem(status, title, detail, **extra)
    else:
        from leptodx.web.deps import session_principal
        from leptodx.web.templating import render

        if getattr(request.state, "principal", None) is None:  # refused before authorize ended
            request.state.principal = session_principal(request)
        heading, explanation = PAGE_HEADINGS.get(status, (title, ""))
        if status == 403 and "CSRF" in detail:
            explanation = "This form has expired or did not come from LeptoDx: reload the page and send it again."  # fmt: skip
        response = render(
            request,
            "error.html",
            status,
            title=title,
            heading=heading,
            explanation=explanation or detail,
            detail=detail,
            reference=extra.get("reference"),
        )
    if headers:
        response.headers.update(headers)
    return response


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document or error page."""

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> Response:
        if not is_api_path(request.url.path):  # a page: the error in people's words
            from leptodx.web.messages import readable

            return _answer(request, 422, readable(exc))
        return _answer(
            request, 422, str(exc), field=exc.field, value=shown(exc.value), expected=exc.expected
        )

    @app.exception_handler(LeptoDxError)
    async def _leptodx_error(request: Request, exc: LeptoDxError) -> Response:
        return _answer(request, 422, cut(str(exc), 1000))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "field": cut(".".join(str(p) for p in e["loc"] if p != "body") or "(body)"),
                "message": cut(str(e["msg"])),
            }
            for e in exc.errors()[:20]
        ]
        first = errors[0] if errors else {"field": "(request)", "message": "invalid request"}
        return _answer(
            request,
            422,
            f"{first['field']}: {first['message']}",
            field=first["field"],
            errors=errors,
        )

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if exc.status_code in (302, 303) and exc.headers and "Location" in exc.headers:
            return RedirectResponse(exc.headers["Location"], status_code=exc.status_code)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # Starlette names only the first route of the path
            path = getattr(request.scope.get("route"), "path", None)
            allowed = sorted({m for m, p in POLICY if p == path})
            if allowed:
                headers["Allow"] = ", ".join(allowed)
        extra: dict[str, Any] = {}
        if isinstance(exc, FieldProblem):
            extra = {"field": exc.field, "value": shown(exc.value), "expected": exc.expected}
        return _answer(request, exc.status_code, cut(str(exc.detail), 1000), headers, **extra)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        reference = secrets.token_hex(6)
        log.exception("unhandled error %s on %s %s", reference, request.method, request.url.path)
        return _answer(
            request,
            500,
            f"an internal error occurred; it has been logged (reference {reference})",
            reference=reference,
        )
