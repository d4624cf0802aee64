"""API tokens (random, stored as SHA-256), CSRF comparison, the client address behind trusted
proxies, and the login throttle (per client address and per account, counted in the database so
that it holds across server processes)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session
from starlette.requests import Request

from leptodx.store import login_attempts as attempts
from leptodx.store.passwords import MAX_USERNAME_CHARS

TOKEN_PREFIX = "ldx_"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def new_api_token() -> tuple[str, str]:
    """A new token (shown once) and the hash that is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode(errors="replace")).hexdigest()


def csrf_matches(expected: str, received: str | None) -> bool:
    return (
        bool(expected)
        and received is not None
        and hmac.compare_digest(expected.encode(), received.encode(errors="replace"))
    )


def parse_networks(items: Sequence[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in items)


def _within(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(request: Request, trusted: Sequence[Network]) -> str:
    """The client's address: the peer, or — only when the peer is a trusted proxy — the
    right-most ``X-Forwarded-For`` hop that is not itself a trusted proxy."""
    peer = request.client.host if request.client else ""
    if not trusted or not _within(peer, trusted):
        return peer
    hops = [h.strip() for v in request.headers.getlist("x-forwarded-for") for h in v.split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _within(hop, trusted):
            return hop[:64]
    return peer


def account_key(username: str) -> str:
    """The throttle's key of a user name (case-folded, cut to the longest allowed name)."""
    return username.casefold()[: MAX_USERNAME_CHARS + 1]


class LoginThrottle:
    """Login limits: ``per_client`` attempts a minute from one address (any user names), and an
    account lock-out of ``lockout_s`` after ``failures`` failed attempts on it.

    The attempts live in the database (:mod:`leptodx.store.login_attempts`), so the limits hold
    across server processes; each method works in the caller's session, which commits.
    """

    CLIENT_WINDOW_S = 60.0

    def __init__(
        self,
        *,
        per_client: int,
        failures: int,
        lockout_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.per_client, self.failures, self.lockout_s = per_client, failures, lockout_s
        self.clock = clock
        self._forget_s = max(self.CLIENT_WINDOW_S, lockout_s)

    def client_allowed(self, db: Session, client: str) -> bool:
        """Count one attempt from ``client``; False (and not counted) when over the limit."""
        now = self.clock()
        attempts.serialise(db)
        key = client[:64]
        recent = attempts.times(db, kind=attempts.CLIENT, key=key, since=now - self.CLIENT_WINDOW_S)  # fmt: skip
        if len(recent) >= self.per_client:
            return False
        attempts.add(db, kind=attempts.CLIENT, key=key, at=now, forget_before=now - self._forget_s)  # fmt: skip
        return True

    def locked_for(self, db: Session, username: str) -> float:
        """Seconds the account stays locked (0 when it is not)."""
        now = self.clock()
        hits = attempts.times(
            db, kind=attempts.ACCOUNT, key=account_key(username), since=now - self.lockout_s
        )
        if len(hits) < self.failures:
            return 0.0
        return max(0.0, hits[-self.failures] + self.lockout_s - now)

    def failed(self, db: Session, username: str) -> None:
        now = self.clock()
        attempts.add(
            db,
            kind=attempts.ACCOUNT,
            key=account_key(username),
            at=now,
            forget_before=now - self._forget_s,
        )

    def succeeded(self, db: Session, username: str) -> None:
        attempts.clear(db, kind=attempts.ACCOUNT, key=account_key(username))
