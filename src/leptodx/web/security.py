"""API tokens (random, stored as SHA-256), CSRF comparison, the client address behind trusted
proxies, and the login throttle (per client address and per account, in memory per process)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Sequence

from starlette.requests import Request

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


class _Windows:
    """Timestamps per key within a sliding window; at most ``max_keys`` keys (oldest dropped)."""

    def __init__(self, window_s: float, max_keys: int = 10_000) -> None:
        self.window, self.max_keys = window_s, max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and now - hits[0] >= self.window:
            hits.popleft()
        return hits

    def add(self, key: str, now: float) -> None:
        hits = self._hits.setdefault(key, deque())
        hits.append(now)
        self._hits.move_to_end(key)
        while len(self._hits) > self.max_keys:
            self._hits.popitem(last=False)

    def clear(self, key: str) -> None:
        self._hits.pop(key, None)


class LoginThrottle:
    """Login limits: ``per_client`` attempts a minute from one address (any user names), and an
    account lock-out of ``lockout_s`` after ``failures`` failed attempts on it."""

    def __init__(self, *, per_client: int, failures: int, lockout_s: float) -> None:
        self.per_client, self.failures = per_client, failures
        self._clients = _Windows(60.0)
        self._accounts = _Windows(lockout_s)
        self._lock = threading.Lock()

    def client_allowed(self, client: str) -> bool:
        """Count one attempt from ``client``; False when over the limit."""
        now = time.monotonic()
        with self._lock:
            if len(self._clients.recent(client, now)) >= self.per_client:
                return False
            self._clients.add(client, now)
            return True

    def locked_for(self, username: str) -> float:
        """Seconds the account stays locked (0 when it is not)."""
        now = time.monotonic()
        with self._lock:
            hits = self._accounts.recent(account_key(username), now)
            if len(hits) < self.failures:
                return 0.0
            return max(0.0, hits[-self.failures] + self._accounts.window - now)

    def failed(self, username: str) -> None:
        with self._lock:
            self._accounts.add(account_key(username), time.monotonic())

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._accounts.clear(account_key(username))
