"""Alembic environment: runs migrations on the engine LeptoDx would use for the URL."""

from alembic import context

from leptodx.store.db import make_engine
from leptodx.store.models import Base

url = context.config.get_main_option("sqlalchemy.url")
if url is None:
    raise RuntimeError("alembic: sqlalchemy.url is not set (leptodx db upgrade sets it)")
engine = make_engine(url)
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
engine.dispose()
