"""User names and passwords: the rules every path shares (CLI, admin page, API) and argon2 hashes.

An unknown user name costs the same time as a wrong password: :func:`dummy_verify` runs one
argon2 verification against a hash made with the same parameters.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from leptodx.errors import InputError

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024
MAX_USERNAME_CHARS = 64
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]*")
USERNAME_RULE = f"1–{MAX_USERNAME_CHARS} characters: letters, digits and . _ @ - (not first)"

_hasher = PasswordHasher()


def check_username(username: str) -> str:
    """The user name, or an :class:`InputError` (length and characters)."""
    if len(username) > MAX_USERNAME_CHARS or not USERNAME.fullmatch(username):
        raise InputError("username", username, USERNAME_RULE)
    return username


def check_password(password: str) -> None:
    """Refuse passwords shorter than 12 or longer than 1024 characters (the value is not shown)."""
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise InputError(
            "password",
            f"({len(password)} characters)",
            f"{MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters",
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    if len(password) > MAX_PASSWORD_CHARS:
        dummy_verify(password[:MAX_PASSWORD_CHARS])
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(24))


def dummy_verify(password: str) -> None:
    """One argon2 verification that always fails (for unknown or inactive users)."""
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher.verify(_dummy_hash(), password[:MAX_PASSWORD_CHARS])
