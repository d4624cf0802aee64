"""CSRF protection of cookie-authenticated writes (synchronizer token; OWASP CSRF cheat sheet).

Each browser session has a random CSRF token stored with it (:mod:`leptodx.store.login_sessions`).
Pages put it into every form (``csrf_token``); the Swagger page (``/docs``) hands it to Swagger
UI, which sends it as ``X-CSRF-Token`` on its own same-origin requests (docs/decisions/
web-swagger-authorize-and-csrf.md). Requests with an API token carry no cookie authority and need
no CSRF token. The log-in form, which has no session yet, uses a double-submit cookie
(:mod:`leptodx.web.login`).
"""

from __future__ import annotations

from typing import Protocol

from fastapi import HTTPException, Request

from leptodx.web.security import csrf_matches

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HEADER = "x-csrf-token"
FORM_FIELD = "csrf_token"
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class Authenticated(Protocol):
    @property
    def via(self) -> str: ...
    @property
    def csrf(self) -> str: ...


async def check_csrf(request: Request, principal: Authenticated) -> None:
    """Refuse (403) a cookie-authenticated unsafe request without the session's CSRF token in the
    ``X-CSRF-Token`` header or, for form posts, the ``csrf_token`` field."""
    if principal.via != "session" or request.method not in UNSAFE:
        return
    received = request.headers.get(HEADER)
    if received is None and request.headers.get("content-type", "").startswith(_FORMS):
        value = (await request.form()).get(FORM_FIELD)
        received = value if isinstance(value, str) else None
    if not csrf_matches(principal.csrf, received):
        raise HTTPException(
            403, "missing or wrong CSRF token: reload the page (API: send the X-CSRF-Token header)"
        )
