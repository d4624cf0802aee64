"""FastAPI application factory: ``create_app(settings)``."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leptodx import __version__
from leptodx.store.db import make_engine, session_factory
from leptodx.web import api, cds_hooks, cohort_jobs, followup, problems, survival, ui
from leptodx.web.security import RateLimiter, SessionCodec
from leptodx.web.settings import Settings

STATIC = Path(__file__).with_name("static")
DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
"""The OpenAPI page (no patient data) needs Swagger UI's inline initialisation script."""
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect"})
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Pure ASGI middleware adding security headers (no per-request task or stream overhead)."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        self.docs = [
            (k, DOCS_CSP.encode()) if k == b"content-security-policy" else (k, v)
            for k, v in self.raw
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                own = self.docs if scope["path"] in DOCS_PATHS else self.raw
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in own if h[0] not in present
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service. Tables must exist already (``leptodx db upgrade``)."""
    settings = settings or Settings()
    app = FastAPI(
        title="LeptoDx",
        version=__version__,
        description="Decision support for leptomeningeal metastasis — not a diagnosis.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.sqlalchemy_url)
    app.state.sessions = session_factory(app.state.engine)
    app.state.read_engine = make_engine(settings.sqlalchemy_url, read_only=True)
    app.state.read_sessions = session_factory(app.state.read_engine)
    app.state.session_codec = SessionCodec(settings.secret_key, settings.session_max_age_s)
    app.state.login_limiter = RateLimiter(settings.login_attempts_per_minute)
    problems.install(app)

    headers = dict(SECURITY_HEADERS)
    if settings.cookie_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    app.add_middleware(SecurityHeaders, headers=headers)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI served from /static (no CDN: works offline and under the CSP)."""
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="LeptoDx API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon.png",
        )

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    app.include_router(api.router)
    app.include_router(cds_hooks.router)
    app.include_router(followup.api)
    app.include_router(followup.ui)
    app.include_router(survival.router)
    app.include_router(cohort_jobs.router)
    app.include_router(ui.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
