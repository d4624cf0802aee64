"""``leptodx serve``, ``db``, ``users``, ``tokens`` and ``audit``: running and operating the service."""

from __future__ import annotations

import secrets
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from leptodx.cli._app import App
from leptodx.errors import InputError

service_app = App()
db_app = App(help="Database schema (Alembic migrations).")
users_app = App(help="User accounts.")
tokens_app = App(help="API tokens for scripts.")
audit_app = App(help="The hash-chained audit log.")


def _settings(data_dir: Path | None = None):  # type: ignore[no-untyped-def]
    from leptodx.web.settings import Settings

    return Settings(data_dir=data_dir) if data_dir else Settings()


def _sessions():  # type: ignore[no-untyped-def]
    from leptodx.store.db import make_engine, session_factory

    return session_factory(make_engine(_settings().sqlalchemy_url))


@service_app.command("serve")
def serve(
    demo: Annotated[
        bool, typer.Option(help="SQLite in ./data/demo, migrations, demo users and cases.")
    ] = False,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Run the web application (and API) with uvicorn."""
    import uvicorn

    from leptodx.store.db import transaction, upgrade
    from leptodx.web.app import create_app
    from leptodx.web.settings import Settings

    if demo:
        settings = Settings(
            data_dir=Path("data/demo"),
            secret_key=secrets.token_urlsafe(48),
            public_url=f"http://{host}:{port}",
        )
        upgrade(settings.sqlalchemy_url)
        app = create_app(settings)
        from leptodx.web.demo import seed

        with transaction(app.state.sessions) as session:
            logins = seed(session)
        typer.echo(f"LeptoDx demo at http://{host}:{port}/  (database {settings.sqlalchemy_url})")
        for name, role, password in logins:
            typer.echo(f"  log in as {name!r} / {password!r} ({role})")
    else:
        app = create_app(Settings())
    uvicorn.run(app, host=host, port=port, log_level="info")


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations (default: to the newest)."""
    from leptodx.store.db import upgrade

    upgrade(_settings().sqlalchemy_url, revision)
    typer.echo(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: str = "base") -> None:
    """Revert migrations."""
    from leptodx.store.db import downgrade

    downgrade(_settings().sqlalchemy_url, revision)
    typer.echo(f"database at {revision}")


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="clinician, researcher or admin.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    team: Annotated[str | None, typer.Option(help="Team (when teams are enabled).")] = None,
) -> None:
    """Create a user; the password is read from stdin, never from the command line."""
    from leptodx.store import crud
    from leptodx.store.db import transaction
    from leptodx.web.security import hash_password

    if not password_stdin:
        raise InputError("--password-stdin", None, "the flag, with the password on standard input")
    password = sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        raise InputError("password", "(hidden)", "at least 8 characters")
    with transaction(_sessions()) as session:
        crud.create_user(
            session, username=name, password_hash=hash_password(password), role=role, team=team
        )
    typer.echo(f"user {name} ({role}) created")


@tokens_app.command("create")
def tokens_create(
    name: str,
    user: Annotated[str, typer.Option(help="Owner of the token.")],
    days: Annotated[int | None, typer.Option(help="Expiry in days.")] = None,
) -> None:
    """Create an API token; it is printed once and stored only as a hash."""
    from leptodx.store import crud
    from leptodx.store.db import transaction
    from leptodx.web.security import new_api_token

    token, token_hash = new_api_token()
    with transaction(_sessions()) as session:
        owner = crud.user_by_name(session, username=user)
        if owner is None:
            raise InputError("--user", user, "an existing, active user")
        expires = datetime.now(UTC) + timedelta(days=days) if days else None
        record = crud.create_token(
            session, user=owner, name=name, token_hash=token_hash, expires_at=expires
        )
        token_id = record.id
    typer.echo(token)
    typer.echo(f"(token id {token_id}; shown once — store it now)", err=True)


@tokens_app.command("revoke")
def tokens_revoke(token_id: int, actor: str = "operator") -> None:
    """Revoke an API token by id."""
    from leptodx.store import crud
    from leptodx.store.db import transaction

    with transaction(_sessions()) as session:
        crud.revoke_token(session, token_id=token_id, actor=actor)
    typer.echo(f"token {token_id} revoked")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the hash chain; exit 1 naming the first broken entry."""
    from leptodx.store import audit
    from leptodx.store.db import transaction

    with transaction(_sessions()) as session:
        result = audit.verify(session)
    if not result.ok:
        typer.echo(f"audit log BROKEN at entry {result.first_broken_id}: {result.reason}", err=True)
        raise typer.Exit(1)
    typer.echo(f"audit log intact: {result.entries} entries; head hash {result.head_hash}")
