"""FastAPI application factory: ``create_app(settings)``."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from leptodx import __version__
from leptodx.errors import InputError
from leptodx.interop.cds_hooks.site_model import SiteModel, load_site_model
from leptodx.store.db import make_engine, session_factory
from leptodx.web import (
    admin,
    api,
    cds_hooks,
    cohort_jobs,
    cohort_pages,
    followup,
    login,
    models_page,
    openapi,
    pages,
    problems,
    survival,
)
from leptodx.web.deps import authorize
from leptodx.web.keys import load_keys
from leptodx.web.middleware import BodyLimit, SecurityHeaders
from leptodx.web.policy import UPLOAD_PATHS
from leptodx.web.security import LoginThrottle, parse_networks
from leptodx.web.settings import Environment, Settings, load_settings

STATIC = Path(__file__).with_name("static")


def _site_model(settings: Settings) -> SiteModel | None:
    """The locally validated model of the order cards, checked at start-up (or None)."""
    if settings.cds_model_file is None:
        return None
    assert settings.cds_model_validation_file is not None
    assert settings.cds_decision_threshold is not None
    site = load_site_model(
        settings.cds_model_file,
        settings.cds_model_validation_file,
        settings.cds_decision_threshold,
    )
    if site.synthetic and settings.environment is Environment.PRODUCTION:
        raise InputError(
            "cds_model_validation_file",
            str(settings.cds_model_validation_file),
            "a validation on the site's patients (this one is on synthetic data)",
        )
    return site


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service. Tables must exist already (``leptodx db upgrade``)."""
    settings = settings or load_settings()
    app = FastAPI(
        title="LeptoDx",
        version=__version__,
        description="Decision support for leptomeningeal metastasis — not a diagnosis.",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(authorize)],
    )
    app.state.settings = settings
    app.state.keys = keys = load_keys(settings)
    app.state.engine = make_engine(settings.sqlalchemy_url)
    app.state.sessions = session_factory(app.state.engine, audit_key=keys.audit)
    app.state.read_engine = make_engine(settings.sqlalchemy_url, read_only=True)
    app.state.read_sessions = session_factory(app.state.read_engine, audit_key=keys.audit)
    app.state.login_throttle = LoginThrottle(
        per_client=settings.login_attempts_per_minute,
        failures=settings.login_failures_before_lockout,
        lockout_s=60.0 * settings.login_lockout_minutes,
    )
    app.state.trusted_proxies = parse_networks(settings.trusted_proxies)
    app.state.site_model = _site_model(settings)
    problems.install(app)
    app.add_middleware(
        BodyLimit,
        max_body=settings.max_body_bytes,
        max_upload=settings.max_upload_bytes,
        upload_paths=UPLOAD_PATHS,
    )
    app.add_middleware(SecurityHeaders, hsts=settings.cookie_secure)
    app.add_middleware(cds_hooks.CdsCors, origins=settings.cds_allowed_origins)  # outermost

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return openapi.docs_page(request)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    app.include_router(api.router)
    app.include_router(cds_hooks.router)
    app.include_router(followup.api)
    app.include_router(followup.ui)
    app.include_router(survival.router)
    app.include_router(models_page.router)
    app.include_router(cohort_jobs.router)
    app.include_router(login.router)
    app.include_router(pages.router)
    app.include_router(cohort_pages.router)
    app.include_router(admin.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    openapi.install(app)
    return app
