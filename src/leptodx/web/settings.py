"""Service settings from the environment (prefix ``LEPTODX_``); one object, validated at start-up.

A production deployment refuses to start with a missing or default secret key.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from leptodx.interop.cds_hooks.auth import CdsClient

DEFAULT_SECRET = "changethis"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """``LEPTODX_DATABASE_URL``, ``LEPTODX_SECRET_KEY``, ``LEPTODX_ENVIRONMENT``, …"""

    model_config = SettingsConfigDict(env_prefix="LEPTODX_", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path("data")
    database_url: str | None = None
    secret_key: str = DEFAULT_SECRET
    cookie_secure: bool = False
    session_max_age_s: int = Field(default=8 * 3600, ge=60)
    teams_enabled: bool = False
    login_attempts_per_minute: int = Field(default=5, ge=1)
    public_url: str = "http://127.0.0.1:8000"
    cds_clients: list[CdsClient] = Field(default_factory=list)
    """EHRs allowed to call the CDS Hooks service (JSON list; docs/interop.md)."""
    cds_clients_file: Path | None = None
    """Or a JSON file with that list."""

    @model_validator(mode="after")
    def _secret_required_in_production(self) -> Settings:
        if self.environment is Environment.PRODUCTION and (
            self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                "LEPTODX_SECRET_KEY must be set to a random value of at least 32 characters in "
                "production (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
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

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL; default: SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'leptodx.sqlite3').resolve()}"
