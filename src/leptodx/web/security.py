"""Passwords (argon2), API tokens (random, stored as SHA-256), signed session cookies, CSRF."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_hasher = PasswordHasher()
TOKEN_PREFIX = "ldx_"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_api_token() -> tuple[str, str]:
    """A new token (shown once) and the hash that is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SessionData:
    user_id: int
    csrf: str


class SessionCodec:
    """Signs ``(user id, CSRF token)`` into the session cookie; expiry enforced on load."""

    def __init__(self, secret_key: str, max_age_s: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="leptodx-session")
        self._max_age = max_age_s

    def dump(self, user_id: int) -> tuple[str, SessionData]:
        data = SessionData(user_id, secrets.token_urlsafe(24))
        return self._serializer.dumps({"uid": data.user_id, "csrf": data.csrf}), data

    def load(self, cookie: str | None) -> SessionData | None:
        if not cookie:
            return None
        try:
            raw = self._serializer.loads(cookie, max_age=self._max_age)
        except (BadSignature, SignatureExpired):
            return None
        return SessionData(int(raw["uid"]), str(raw["csrf"]))


def csrf_matches(expected: str, received: str | None) -> bool:
    return received is not None and hmac.compare_digest(expected, received)


class RateLimiter:
    """At most ``limit`` attempts per key in a sliding 60-second window (in memory, per process)."""

    def __init__(self, limit: int, window_s: float = 60.0) -> None:
        self.limit, self.window = limit, window_s
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        hits = self._hits[key]
        while hits and now - hits[0] > self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True
