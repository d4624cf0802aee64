"""The two keys of a deployment: the session secret and the audit chain's HMAC key.

Each comes from its environment variable, else from its ``*_FILE`` variable (e.g. a container
secret), else — in development only — from a file generated once beside the database with mode
0600. A key file readable by group or others is refused, as ssh refuses a private key.
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from leptodx.web.settings import ConfigError, Environment, Settings, secret_weakness

SESSION_KEY_FILE = "leptodx-session.key"
AUDIT_KEY_FILE = "leptodx-audit.key"


@dataclass(frozen=True, slots=True)
class Keys:
    session: bytes
    audit: bytes

    def __repr__(self) -> str:
        return "Keys(<hidden>)"


def _read_key_file(path: Path, name: str) -> str:
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(f"{name} file {path} is readable by others: chmod 600 {path}")
        value = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name} file {path} cannot be read ({exc.__class__.__name__})") from None
    if not value:
        raise ConfigError(f"{name} file {path} is empty")
    return value


def _generated(path: Path, name: str) -> str:
    """The development key in ``path``, created once (atomically, mode 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key_file(path, name)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")
    return _read_key_file(path, name)


def _resolve(
    settings: Settings, value: SecretStr | None, file: Path | None, name: str, generated: str
) -> bytes:
    if value is not None:
        text = value.get_secret_value()
    elif file is not None:
        text = _read_key_file(file, f"{name}_FILE")
        if settings.environment is Environment.PRODUCTION:
            weakness = secret_weakness(f"{name}_FILE", text)
            if weakness:
                raise ConfigError(weakness)
    elif settings.environment is Environment.DEVELOPMENT:
        text = _generated(settings.key_dir / generated, name)
    else:  # the settings validator already refuses this
        raise ConfigError(f"{name} must be set in production")
    return text.encode()


def load_keys(settings: Settings) -> Keys:
    """The deployment's keys (see the module docstring for where each comes from)."""
    return Keys(
        session=_resolve(
            settings,
            settings.secret_key,
            settings.secret_key_file,
            "LEPTODX_SECRET_KEY",
            SESSION_KEY_FILE,
        ),
        audit=_resolve(
            settings,
            settings.audit_key,
            settings.audit_key_file,
            "LEPTODX_AUDIT_KEY",
            AUDIT_KEY_FILE,
        ),
    )
