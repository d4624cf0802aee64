"""Pure ASGI middleware: security headers on every response, and the request body limit.

* Every response gets the CSP and related headers, and — except static files —
  ``Cache-Control: no-store``: responses that may carry patient data are never cached.
  ``Strict-Transport-Security`` is added whenever cookies are ``Secure``.
* Request bodies are limited to ``max_body`` bytes (``max_upload`` on upload routes): a declared
  ``Content-Length`` over the limit is refused before the body is read, a streamed body as soon
  as it passes the limit — both with 413 (a problem document, or an error page on pages).
"""

from __future__ import annotations

from collections.abc import Collection

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leptodx.web.policy import is_api_path

DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
"""The OpenAPI page: Swagger UI sets inline styles; its start-up script is a static file."""
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect"})
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` (and HSTS) to responses that do not set them."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        headers = dict(SECURITY_HEADERS)
        if hsts:
            headers[HSTS[0]] = HSTS[1]
        self.raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        self.docs = [
            (k, DOCS_CSP.encode()) if k == b"content-security-policy" else (k, v)
            for k, v in self.raw
        ]
        self.static = [(k, v) for k, v in self.raw if k != b"cache-control"]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                path = scope["path"]
                own = (
                    self.docs
                    if path in DOCS_PATHS
                    else self.static
                    if path.startswith("/static/")
                    else self.raw
                )
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in own if h[0] not in present
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit:,} bytes")


class BodyLimit:
    """Refuses request bodies over the limit with 413 (see the module docstring)."""

    def __init__(
        self, app: ASGIApp, *, max_body: int, max_upload: int, upload_paths: Collection[str]
    ) -> None:
        self.app, self.max_body, self.max_upload = app, max_body, max_upload
        self.upload_paths = frozenset(upload_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_upload if scope["path"] in self.upload_paths else self.max_body
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        from fastapi.responses import HTMLResponse, Response

        from leptodx.web.problems import problem

        detail = BodyTooLarge(limit).detail
        response: Response
        if is_api_path(scope["path"]):
            response = problem(413, "Content too large", detail)
        else:
            response = HTMLResponse(
                f"<!doctype html><title>Content too large</title><h1>Content too large</h1><p>{detail}.</p>",
                status_code=413,
            )
        response.headers["Connection"] = "close"
        await response(scope, receive, send)
