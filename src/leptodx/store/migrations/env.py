"""Alembic environment: runs migrations on the engine LeptoDx would use for the URL."""

from alembic import context

from leptodx.store.db import make_engine
from leptodx.store.models import Base

engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
engine.dispose()
