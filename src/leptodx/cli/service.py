"""``leptodx serve``, ``db``, ``users``, ``tokens`` and ``audit``: running and operating the service."""

from __future__ import annotations

import getpass
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from leptodx.cli._app import App
from leptodx.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from leptodx.web.settings import Settings

service_app = App()
db_app = App(help="Database schema (Alembic migrations).")
users_app = App(help="User accounts.")
tokens_app = App(help="API tokens for scripts.")
audit_app = App(help="The keyed, hash-chained audit log.")

DEMO_DIR = Path("data/demo")
MAX_TOKEN_DAYS = 3650


def _settings(**overrides: object) -> Settings:
    from leptodx.web.settings import load_settings

    return load_settings(**overrides)


def _sessions(settings: Settings | None = None) -> sessionmaker[Session]:
    from leptodx.store.db import make_engine, session_factory
    from leptodx.web.keys import load_keys

    settings = settings or _settings()
    return session_factory(
        make_engine(settings.sqlalchemy_url), audit_key=load_keys(settings).audit
    )


def _operator() -> str:
    """The audit actor of CLI commands: the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read_password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _demo_settings(host: str, port: int) -> Settings:
    """Development settings in ./data/demo; refuses production and any other database."""
    import os
    import secrets

    from leptodx.web.settings import ConfigError, Environment

    if os.environ.get("LEPTODX_ENVIRONMENT", "").strip().lower() == Environment.PRODUCTION:
        raise ConfigError(
            "serve --demo seeds users with published passwords: it refuses production mode "
            "(unset LEPTODX_ENVIRONMENT)"
        )
    demo_db = f"sqlite:///{(DEMO_DIR / 'leptodx.sqlite3').resolve()}"
    url = os.environ.get("LEPTODX_DATABASE_URL")
    if url and url != demo_db:
        raise ConfigError(
            f"serve --demo uses only its own database ({demo_db}); unset LEPTODX_DATABASE_URL"
        )
    return _settings(
        environment=Environment.DEVELOPMENT,
        host=host,
        data_dir=DEMO_DIR,
        database_url=demo_db,
        secret_key=secrets.token_urlsafe(48),
        cookie_secure=False,
        public_url=f"http://{host}:{port}",
    )


@service_app.command("serve")
def serve(
    demo: Annotated[
        bool,
        typer.Option(
            help="Development demo: SQLite in ./data/demo, migrations, demo users and cases."
        ),
    ] = False,
    host: Annotated[
        str, typer.Option(help="Interface to bind (development: loopback only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=32,
            help="Server processes (uvicorn workers); sessions, login limits and the audit chain "
            "are shared through the database.",
        ),
    ] = 1,
) -> None:
    """Run the web application (and API) with uvicorn.

    X-Forwarded-For is used only from LEPTODX_TRUSTED_PROXIES (uvicorn's own proxy handling is
    off), so a client cannot pick the address its log-in attempts are counted against.
    ``--workers N`` runs N processes on one port (docs/decisions/web-workers.md).
    """
    import uvicorn

    from leptodx.store.db import transaction, upgrade
    from leptodx.web.app import create_app

    if workers > 1:
        if demo:
            raise InputError("--workers", str(workers), "1 with --demo (the demo runs one process)")
        _serve_workers(host, port, workers)
        return
    if demo:
        settings = _demo_settings(host, port)
        upgrade(settings.sqlalchemy_url)
        app = create_app(settings)
        from leptodx.web.demo import seed

        with transaction(app.state.sessions) as session:
            logins = seed(session)
        typer.echo(f"LeptoDx demo at http://{host}:{port}/  (database {settings.sqlalchemy_url})")
        for name, role, password in logins:
            typer.echo(f"  log in as {name!r} / {password!r} ({role})")
    else:
        app = create_app(_settings(host=host))
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)


def _serve_workers(host: str, port: int, workers: int) -> None:
    """``workers`` uvicorn processes, each building the app from the environment; the settings
    and keys are checked (and development keys generated) once here, before any process starts."""
    import os

    import uvicorn

    from leptodx.web.keys import load_keys

    settings = _settings(host=host)
    load_keys(settings)
    os.environ["LEPTODX_HOST"] = host  # the workers' settings: the same as checked here
    uvicorn.run(
        "leptodx.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        proxy_headers=False,
    )


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations (default: to the newest); seals an audit chain written before the key."""
    from leptodx.store import audit
    from leptodx.store.db import transaction, upgrade

    settings = _settings()
    upgrade(settings.sqlalchemy_url, revision)
    if revision == "head":
        with transaction(_sessions(settings)) as session:
            if audit.adopt_key(session):
                typer.echo("audit chain sealed with the audit key")
    typer.echo(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: str = "base") -> None:
    """Revert migrations."""
    from leptodx.store.db import downgrade

    downgrade(_settings().sqlalchemy_url, revision)
    typer.echo(f"database at {revision}")


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def _password(password_stdin: bool) -> str:
    if not password_stdin:
        raise InputError("--password-stdin", None, "the flag, with the password on standard input")
    return _read_password()


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="clinician, researcher or admin.")],
    password_stdin: PasswordStdin = False,
    team: Annotated[str | None, typer.Option(help="Team (when teams are enabled).")] = None,
) -> None:
    """Create a user (name ≤ 64 characters, password ≥ 12, read from stdin — never an argument)."""
    from leptodx.store import crud
    from leptodx.store.db import transaction

    password = _password(password_stdin)
    with transaction(_sessions()) as session:
        crud.create_user(
            session, username=name, password=password, role=role, team=team, actor=_operator()
        )
    typer.echo(f"user {name} ({role}) created")


@users_app.command("passwd")
def users_passwd(name: str, password_stdin: PasswordStdin = False) -> None:
    """Set a new password (from stdin); the user's sessions end."""
    from leptodx.store import crud
    from leptodx.store.db import transaction

    password = _password(password_stdin)
    with transaction(_sessions()) as session:
        crud.set_password(session, username=name, password=password, actor=_operator())
    typer.echo(f"password of {name} changed; their sessions have ended")


@users_app.command("role")
def users_role(name: str, role: str) -> None:
    """Change a user's role; the user's sessions end."""
    from leptodx.store import crud
    from leptodx.store.db import transaction

    with transaction(_sessions()) as session:
        crud.set_role(session, username=name, role=role, actor=_operator())
    typer.echo(f"{name} is now {role}; their sessions have ended")


@users_app.command("deactivate")
def users_deactivate(name: str) -> None:
    """Deactivate a user: no log-in, no API token, every session ends."""
    from leptodx.store import crud
    from leptodx.store.db import transaction

    with transaction(_sessions()) as session:
        crud.deactivate_user(session, username=name, actor=_operator())
    typer.echo(f"{name} deactivated; their sessions have ended")


@tokens_app.command("create")
def tokens_create(
    name: str,
    user: Annotated[str, typer.Option(help="Owner of the token.")],
    days: Annotated[
        int, typer.Option(help=f"Days until the token expires (1–{MAX_TOKEN_DAYS}).")
    ] = 90,
) -> None:
    """Create an API token; it is printed once and stored only as a hash."""
    from leptodx.store import crud
    from leptodx.store.db import transaction
    from leptodx.web.security import new_api_token

    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InputError("--days", days, f"a whole number of days from 1 to {MAX_TOKEN_DAYS}")
    token, token_hash = new_api_token()
    with transaction(_sessions()) as session:
        owner = crud.user_by_name(session, username=user)
        if owner is None:
            raise InputError("--user", user, "an existing, active user")
        expires = datetime.now(UTC) + timedelta(days=days)
        record = crud.create_token(
            session, user=owner, name=name, token_hash=token_hash, expires_at=expires
        )
        token_id = record.id
    typer.echo(token)
    typer.echo(
        f"(token id {token_id}; expires {expires:%Y-%m-%d}; shown once — store it now)", err=True
    )


@tokens_app.command("revoke")
def tokens_revoke(token_id: int) -> None:
    """Revoke an API token by id."""
    from leptodx.store import crud
    from leptodx.store.db import transaction

    with transaction(_sessions()) as session:
        crud.revoke_token(session, token_id=token_id, actor=_operator())
    typer.echo(f"token {token_id} revoked")


@audit_app.command("verify")
def audit_verify(
    expect_head: Annotated[
        str | None,
        typer.Option(
            "--expect-head",
            help="A head hash anchored earlier (e.g. in write-once storage); the chain must "
            "still contain it, so a cut tail is detected.",
        ),
    ] = None,
) -> None:
    """Check the keyed hash chain; exit 1 naming the first broken entry."""
    from leptodx.store import audit
    from leptodx.store.db import transaction

    if expect_head is not None and not re.fullmatch(r"[0-9a-f]{64}", expect_head.strip().lower()):
        raise InputError("--expect-head", expect_head, "a head hash: 64 hexadecimal characters")
    anchor = expect_head.strip().lower() if expect_head else None
    with transaction(_sessions()) as session:
        result = audit.verify(session, expect_head=anchor)
    if not result.ok:
        where = f" at entry {result.first_broken_id}" if result.first_broken_id else ""
        typer.echo(f"audit log BROKEN{where}: {result.reason}", err=True)
        raise typer.Exit(1)
    anchored = f"; anchored head found at entry {result.anchor_id}" if result.anchor_id else ""
    typer.echo(
        f"audit log intact: {result.entries} entries; head hash {result.head_hash}{anchored}"
    )
