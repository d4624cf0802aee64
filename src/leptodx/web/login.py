"""Log in and log out (pages). Sessions are server-side rows (:mod:`leptodx.store.login_sessions`).

Limits (docs/security.md): ``LEPTODX_LOGIN_ATTEMPTS_PER_MINUTE`` per client address, whatever the
user names; an account locks for ``LEPTODX_LOGIN_LOCKOUT_MINUTES`` after
``LEPTODX_LOGIN_FAILURES_BEFORE_LOCKOUT`` failures, and the page says so even when the right
password is given. An unknown user name costs one argon2 verification, as a wrong password does.
The attempts are counted in the database, so the limits hold across server processes.
"""

from __future__ import annotations

import math
import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from leptodx.store import audit, crud, login_sessions
from leptodx.store.passwords import MAX_USERNAME_CHARS, dummy_verify, verify_password
from leptodx.web.deps import SESSION_COOKIE, CurrentUser, SessionDep, SettingsDep
from leptodx.web.security import client_address, csrf_matches
from leptodx.web.templating import render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF = "leptodx_login_csrf"


@router.get("/login")
def login_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", login_csrf=token, error=None)
    response.set_cookie(
        LOGIN_CSRF, token, httponly=True, samesite="strict", secure=settings.cookie_secure
    )
    return response


@router.post("/login")
def login(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()],
) -> Response:
    if not csrf_matches(request.cookies.get(LOGIN_CSRF, ""), csrf_token):
        raise HTTPException(403, "missing or wrong CSRF token; reload the login page")
    state = request.app.state
    client = client_address(request, state.trusted_proxies)

    def again(status: int, error: str) -> HTMLResponse:
        return render(request, "login.html", status, login_csrf=csrf_token, error=error)

    throttle = state.login_throttle
    allowed = throttle.client_allowed(db, client)
    db.commit()  # the attempt counts, in every server process, whatever happens next
    if not allowed:
        return again(429, "Too many log-in attempts from your address: wait a minute, then try again.")  # fmt: skip
    locked_s = throttle.locked_for(db, username)
    if locked_s:
        audit.record(db, actor=username, action="login_locked", entity="user", detail={"client": client})  # fmt: skip
        db.commit()
        minutes = max(1, math.ceil(locked_s / 60))
        return again(
            429,
            f"This account is locked for {minutes} more minute{'s' if minutes > 1 else ''} after "
            "repeated failed log-ins. Wait, or ask an administrator to check the account.",
        )
    user = crud.user_by_name(db, username=username) if len(username) <= MAX_USERNAME_CHARS else None
    if user is None:
        dummy_verify(password)
    if user is None or not verify_password(user.password_hash, password):
        throttle.failed(db, username)
        audit.record(db, actor=username, action="login_failed", entity="user", detail={"client": client})  # fmt: skip
        db.commit()
        return again(401, "Unknown user or wrong password.")
    throttle.succeeded(db, username)
    presented = request.cookies.get(SESSION_COOKIE)
    if presented:  # rotate: a session id known before the login never becomes a logged-in one
        login_sessions.revoke(db, token=presented, key=state.keys.session)
    absolute = timedelta(hours=settings.session_absolute_hours)
    token, _ = login_sessions.start(
        db, user=user, key=state.keys.session, absolute=absolute, client=client
    )
    audit.record(db, actor=user.username, action="login", entity="user", entity_id=user.id, detail={"client": client})  # fmt: skip
    db.commit()
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        max_age=int(absolute.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF)
    return response


@router.post("/logout")
def logout(request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep) -> Response:
    """End the session server-side (the cookie stops working at once, wherever it was copied)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        login_sessions.revoke(db, token=token, key=request.app.state.keys.session)
    audit.record(db, actor=user.username, action="logout", entity="user", entity_id=user.id)
    db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, secure=settings.cookie_secure, httponly=True, samesite="lax")  # fmt: skip
    return response
