"""Service settings from the environment (prefix ``LEPTODX_``); one object, validated at start-up.

There is no default secret in any mode (docs/security.md):

* **production** refuses a missing, short or low-entropy ``LEPTODX_SECRET_KEY`` and a missing
  audit key, refuses ``LEPTODX_COOKIE_SECURE=false``, and never prints a rejected value;
* **development** serves a loopback interface only; secrets not given are generated once and kept
  beside the database with mode 0600 (:mod:`leptodx.web.keys`).
"""

from __future__ import annotations

import ipaddress
import json
import math
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from leptodx.errors import LeptoDxError
from leptodx.interop.cds_hooks.auth import CdsClient

MIN_SECRET_CHARS = 32
MIN_SECRET_BITS = 128.0
"""Shannon estimate (characters × bits per character) a production secret must reach."""
MIB = 1024 * 1024
LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost"})


class ConfigError(LeptoDxError):
    """The service configuration is unusable; the message names the setting, never a secret."""


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


def is_loopback(host: str) -> bool:
    """True for ``127.0.0.0/8``, ``::1`` and ``localhost``."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def secret_weakness(name: str, value: str) -> str | None:
    """Why ``value`` is not a usable production secret (None when it is); never quotes it."""
    if len(value) < MIN_SECRET_CHARS:
        return f"{name} is too short ({len(value)} characters; at least {MIN_SECRET_CHARS})"
    counts = Counter(value)
    bits = -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values()) * len(value)
    if bits < MIN_SECRET_BITS:
        return (
            f"{name} has too little entropy (about {bits:.0f} bits; at least "
            f"{MIN_SECRET_BITS:.0f}): use a random value, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
        )
    return None


class Settings(BaseSettings):
    """``LEPTODX_DATABASE_URL``, ``LEPTODX_SECRET_KEY``, ``LEPTODX_ENVIRONMENT``, …"""

    model_config = SettingsConfigDict(
        env_prefix="LEPTODX_", extra="ignore", hide_input_in_errors=True
    )

    environment: Environment = Environment.DEVELOPMENT
    host: str = "127.0.0.1"
    """Interface ``leptodx serve`` binds; development mode accepts loopback only."""
    data_dir: Path = Path("data")
    database_url: str | None = None
    secret_key: SecretStr | None = None
    """Signs the login form's CSRF cookie and keys the session-id hashes."""
    secret_key_file: Path | None = None
    audit_key: SecretStr | None = None
    """HMAC key of the audit chain; kept outside the database."""
    audit_key_file: Path | None = None
    cookie_secure: bool = True
    """``Secure`` cookies and HSTS; only development on a loopback host may turn it off."""
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_absolute_hours: int = Field(default=8, ge=1, le=7 * 24)
    teams_enabled: bool = False
    login_attempts_per_minute: int = Field(default=10, ge=1)
    """Per client address, all user names together."""
    login_failures_before_lockout: int = Field(default=5, ge=1)
    login_lockout_minutes: int = Field(default=15, ge=1)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is used."""
    max_body_bytes: int = Field(default=MIB, ge=1024)
    """Largest request body outside uploads (JSON, forms)."""
    max_upload_bytes: int = Field(default=50 * MIB, ge=1024)
    max_upload_rows: int = Field(default=1_000_000, ge=1)
    max_upload_columns: int = Field(default=2_000, ge=1)
    public_url: str = "http://127.0.0.1:8000"
    cds_clients: list[CdsClient] = Field(default_factory=list)
    """EHRs allowed to call the CDS Hooks service (JSON list; docs/interop.md)."""
    cds_clients_file: Path | None = None
    """Or a JSON file with that list."""
    cds_allowed_origins: list[str] = Field(default_factory=list)
    """Origins of browser-based CDS clients allowed by CORS on /cds-services (JSON list, e.g.
    ``["https://sandbox.cds-hooks.org"]``); none by default. ``*`` is refused: the services carry
    patient data (OWASP CORS guidance, to which CDS Hooks 2.0 refers)."""
    cds_model_file: Path | None = None
    """A fitted-model file whose risk the order cards show (with the two settings below)."""
    cds_model_validation_file: Path | None = None
    """The ``results.json`` of ``leptodx research validate`` for that model on the site's cohort."""
    cds_decision_threshold: float | None = Field(default=None, gt=0.0, lt=1.0)
    """The site's decision threshold: a threshold of that validation's decision curve."""

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(
                    f"LEPTODX_TRUSTED_PROXIES: {item[:60]!r} is not an address or network"
                ) from None
        return value

    @model_validator(mode="after")
    def _mode_rules(self) -> Settings:
        if self.environment is Environment.DEVELOPMENT:
            if not is_loopback(self.host):
                raise ValueError(
                    f"development mode serves a loopback interface only (host {self.host[:60]!r}); "
                    "set LEPTODX_ENVIRONMENT=production with LEPTODX_SECRET_KEY and an audit key "
                    "to serve other hosts (docs/security.md)"
                )
            return self
        if not self.cookie_secure:
            raise ValueError(
                "LEPTODX_COOKIE_SECURE=false is refused in production (serve behind TLS)"
            )
        if self.secret_key is None and self.secret_key_file is None:
            raise ValueError(
                "LEPTODX_SECRET_KEY (or LEPTODX_SECRET_KEY_FILE) must be set in production "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        if self.audit_key is None and self.audit_key_file is None:
            raise ValueError(
                "LEPTODX_AUDIT_KEY (or LEPTODX_AUDIT_KEY_FILE) must be set in production: the "
                "audit chain's HMAC key, kept outside the database"
            )
        for name, secret in (("LEPTODX_SECRET_KEY", self.secret_key), ("LEPTODX_AUDIT_KEY", self.audit_key)):  # fmt: skip
            weakness = secret and secret_weakness(name, secret.get_secret_value())
            if weakness:
                raise ValueError(weakness)
        return self

    @model_validator(mode="after")
    def _cds_clients_from_file(self) -> Settings:
        if self.cds_clients_file is not None:
            try:
                entries = json.loads(self.cds_clients_file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ValueError(
                    f"LEPTODX_CDS_CLIENTS_FILE {self.cds_clients_file}: {exc}"
                ) from None
            self.cds_clients = [*self.cds_clients, *(CdsClient.model_validate(e) for e in entries)]
        return self

    @model_validator(mode="after")
    def _cds_origins_and_model(self) -> Settings:
        for origin in self.cds_allowed_origins:
            if not _is_origin(origin):
                raise ValueError(
                    f"LEPTODX_CDS_ALLOWED_ORIGINS: {origin!r} is not an origin; expected "
                    "scheme://host[:port] without a path (and never '*': the services carry "
                    "patient data)"
                )
        given = [self.cds_model_file, self.cds_model_validation_file, self.cds_decision_threshold]
        if any(v is not None for v in given) and not all(v is not None for v in given):
            raise ValueError(
                "LEPTODX_CDS_MODEL_FILE, LEPTODX_CDS_MODEL_VALIDATION_FILE and "
                "LEPTODX_CDS_DECISION_THRESHOLD go together (a model is shown only with its local "
                "validation and the site's threshold)"
            )
        return self

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL; default: SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'leptodx.sqlite3').resolve()}"

    @property
    def key_dir(self) -> Path:
        """Where development keys are kept: beside the SQLite file, else in the data directory."""
        url = self.sqlalchemy_url
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
            return Path(url.removeprefix("sqlite:///")).parent
        return self.data_dir


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment (and ``overrides``); a :class:`ConfigError` listing each
    problem by setting, without the values received (a rejected secret is never printed)."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            message = str(err["msg"]).removeprefix("Value error, ")
            problems.append(f"{f'LEPTODX_{where.upper()}: ' if where else ''}{message}")
        raise ConfigError("; ".join(problems)) from None


def _is_origin(text: str) -> bool:
    """``https://host`` or ``http://host:port``: a scheme, a host, no path, query or wildcard."""
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    return (
        parts.scheme in {"http", "https"}
        and bool(parts.hostname)
        and "*" not in text
        and parts.path in {"", "/"}
        and not parts.query
        and not parts.fragment
        and not text.endswith("/")
    )
