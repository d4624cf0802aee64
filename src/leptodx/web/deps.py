"""Request dependencies: settings, database session, current user, role checks, CSRF."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from leptodx.store import crud
from leptodx.store.models import User
from leptodx.web.security import SessionData, csrf_matches, hash_token
from leptodx.web.settings import Settings

SESSION_COOKIE = "leptodx_session"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_db(request: Request) -> Iterator[Session]:
    """A session per request; handlers commit what they change, anything else is rolled back."""
    session = request.app.state.sessions()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_db)]


def session_data(request: Request) -> SessionData | None:
    return request.app.state.session_codec.load(request.cookies.get(SESSION_COOKIE))  # type: ignore[no-any-return]


def _authenticate(request: Request) -> User:
    """User of a bearer token or session cookie, looked up on the read-only engine.

    The returned object is detached (all columns loaded): handlers pass it to ``crud`` with their
    own session. Cookie-authenticated unsafe requests must carry the session's CSRF token.
    """
    header = request.headers.get("authorization", "")
    with request.app.state.read_sessions() as lookup:  # never takes the SQLite write lock
        if header.lower().startswith("bearer "):
            user = crud.user_by_token(lookup, token_hash=hash_token(header[7:].strip()))
            if user is None:
                raise HTTPException(
                    401,
                    "invalid, expired or revoked API token",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            return user
        data = session_data(request)
        if data is None:
            raise HTTPException(
                401,
                "log in or send 'Authorization: Bearer <token>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        found = lookup.get(User, data.user_id)
        if found is None or not found.active:
            raise HTTPException(401, "session no longer valid")
    if request.method in UNSAFE and not csrf_matches(
        data.csrf, request.headers.get("x-csrf-token")
    ):
        raise HTTPException(403, "missing or wrong CSRF token (send the X-CSRF-Token header)")
    return found


async def current_user(request: Request) -> User:
    """Authenticated user (an async dependency: a short indexed lookup, no threadpool hop)."""
    return _authenticate(request)


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: str) -> Callable[[User], Awaitable[User]]:
    """Dependency that admits only users with one of ``roles``."""

    async def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise HTTPException(
                403, f"this needs the role {' or '.join(roles)}; you are {user.role}"
            )
        return user

    return check


ClinicianUser = Annotated[User, Depends(require_role("clinician", "admin"))]
ResearcherUser = Annotated[User, Depends(require_role("researcher", "admin"))]
AdminUser = Annotated[User, Depends(require_role("admin"))]
