"""Authentication of the calling EHR (CDS Hooks 2.0 §Trusting CDS Clients).

The EHR signs a JWT (ES384 or RS384) per request. Checked: signature against the issuer's
configured key (inline JWKS, JWKS URL or PEM public key), ``iss`` on the allow-list, ``aud`` equal
to the service endpoint URL, ``exp`` (and ``iat``) in time, ``jti`` present and unseen (the replay
check is a callback so that the store can make it atomic across workers).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import jwt
from pydantic import BaseModel, ConfigDict, model_validator

ALGORITHMS = ("ES384", "RS384")
LEEWAY_S = 30
MAX_LIFETIME_S = 3600


class CdsClient(BaseModel):
    """A registered EHR: its issuer and where its public key comes from (exactly one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    iss: str
    jwks: dict[str, Any] | None = None
    jwks_url: str | None = None
    public_key: str | None = None

    @model_validator(mode="after")
    def _one_key_source(self) -> CdsClient:
        given = [x for x in (self.jwks, self.jwks_url, self.public_key) if x]
        if len(given) != 1:
            raise ValueError(
                f"CDS client {self.iss}: give exactly one of jwks, jwks_url, public_key"
            )
        return self


class AuthError(Exception):
    """The request's JWT is missing or invalid (answered with 401)."""


_jwks_clients: dict[str, jwt.PyJWKClient] = {}


def _key(client: CdsClient, token: str, header: Mapping[str, Any]) -> Any:
    if client.public_key:
        return client.public_key
    if client.jwks_url:
        fetcher = _jwks_clients.setdefault(
            client.jwks_url, jwt.PyJWKClient(client.jwks_url, cache_keys=True, lifespan=300)
        )
        try:
            return fetcher.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientError as exc:
            raise AuthError(f"no usable key at {client.jwks_url}: {exc}") from None
    keys = jwt.PyJWKSet.from_dict(client.jwks or {}).keys
    kid = header.get("kid")
    matching = [k for k in keys if kid is None or k.key_id == kid]
    if not matching:
        raise AuthError(f"no key with kid {kid!r} for issuer {client.iss}")
    return matching[0].key


def verify_jwt(
    authorization: str | None,
    *,
    clients: Sequence[CdsClient],
    audience: str,
    remember_jti: Callable[[str, str, datetime], bool],
) -> dict[str, Any]:
    """Claims of a valid ``Authorization: Bearer <jwt>``; :class:`AuthError` otherwise.

    ``remember_jti(iss, jti, expires)`` stores the token id and returns False if it was seen.
    """
    if not authorization or not authorization.startswith("Bearer "):
        raise AuthError("an Authorization: Bearer <JWT> header is required")
    token = authorization.removeprefix("Bearer ").strip()
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise AuthError(f"malformed JWT: {exc}") from None
    if header.get("alg") not in ALGORITHMS:
        raise AuthError(f"JWT algorithm {header.get('alg')!r} not accepted (ES384 or RS384)")
    by_iss = {c.iss: c for c in clients}
    client = by_iss.get(str(unverified.get("iss")))
    if client is None:
        raise AuthError(f"issuer {unverified.get('iss')!r} is not registered")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            _key(client, token, header),
            algorithms=[header["alg"]],
            audience=audience,
            issuer=client.iss,
            leeway=LEEWAY_S,
            options={"require": ["iss", "aud", "exp", "iat", "jti"]},
        )
    except jwt.PyJWTError as exc:
        raise AuthError(f"invalid JWT: {exc}") from None
    if claims["exp"] - claims["iat"] > MAX_LIFETIME_S:
        raise AuthError(f"JWT lifetime above {MAX_LIFETIME_S} s")
    expires = datetime.fromtimestamp(claims["exp"], UTC)
    if not remember_jti(client.iss, str(claims["jti"]), expires):
        raise AuthError("JWT replayed: this jti was already used")
    return claims
