"""FastAPI application factory: ``create_app(settings)``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from leptodx import __version__
from leptodx.store.db import make_engine, session_factory
from leptodx.web import api, cohort_jobs, problems, ui
from leptodx.web.security import RateLimiter, SessionCodec
from leptodx.web.settings import Settings

STATIC = Path(__file__).with_name("static")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service. Tables must exist already (``leptodx db upgrade``)."""
    settings = settings or Settings()
    app = FastAPI(
        title="LeptoDx",
        version=__version__,
        description="Decision support for leptomeningeal metastasis — not a diagnosis.",
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.sqlalchemy_url)
    app.state.sessions = session_factory(app.state.engine)
    app.state.session_codec = SessionCodec(settings.secret_key, settings.session_max_age_s)
    app.state.login_limiter = RateLimiter(settings.login_attempts_per_minute)
    problems.install(app)

    @app.middleware("http")
    async def _security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if settings.cookie_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    app.include_router(api.router)
    app.include_router(cohort_jobs.router)
    app.include_router(ui.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
