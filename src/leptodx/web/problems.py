"""Errors as RFC 9457 problem details (``application/problem+json``) naming the field."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from leptodx.errors import InputError, LeptoDxError

MEDIA_TYPE = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""

    @app.exception_handler(InputError)
    async def _input_error(_: Request, exc: InputError) -> JSONResponse:
        return problem(
            422,
            "Invalid input",
            str(exc),
            field=exc.field,
            value=repr(exc.value),
            expected=exc.expected,
        )

    @app.exception_handler(LeptoDxError)
    async def _leptodx_error(_: Request, exc: LeptoDxError) -> JSONResponse:
        return problem(422, "Invalid input", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "message": e["msg"]}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"field": "(request)", "message": "invalid request"}
        return problem(
            422,
            "Invalid request",
            f"{first['field']}: {first['message']}",
            field=first["field"],
            errors=errors,
        )

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        response = problem(exc.status_code, _TITLES.get(exc.status_code, "Error"), str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response


_TITLES = {
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    429: "Too many requests",
}
